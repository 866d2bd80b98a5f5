import { defineToxicType, RunningToxic, type StreamEnd, type ToxicHost } from './toxic-type.js';

type TimeoutAttributes = Readonly<Record<'timeout', number>>;

/**
 * Swallows all data in its direction. With `timeout` > 0 it closes the connection that many ms
 * after it started (on this connection); with 0 the connection just hangs. Deleting the toxic
 * closes the connections it was holding, as the real server does.
 */
class RunningTimeout extends RunningToxic<TimeoutAttributes> {
  private timer: NodeJS.Timeout | null = null;

  constructor(host: ToxicHost, attributes: TimeoutAttributes) {
    super(host, attributes);
    this.arm();
  }

  write(): void {}

  override end(how: StreamEnd): void {
    this.cancel();
    this.host.emitEnd(how);
  }

  /** A changed toxic starts over, so its clock restarts too. */
  override reconfigure(attributes: TimeoutAttributes): void {
    super.reconfigure(attributes);
    this.arm();
  }

  override removed(): void {
    this.cancel();
    this.host.closeConnection();
  }

  override dispose(): void {
    this.cancel();
  }

  private arm(): void {
    this.cancel();
    if (this.attributes.timeout > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.host.closeConnection();
      }, this.attributes.timeout);
    }
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export const timeoutToxic = defineToxicType({
  name: 'timeout',
  attributeNames: ['timeout'],
  goStructName: 'TimeoutToxic',
  start: (host, attributes) => new RunningTimeout(host, attributes),
});
