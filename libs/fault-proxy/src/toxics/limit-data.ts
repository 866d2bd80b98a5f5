import { defineToxicType, RunningToxic, type ToxicChunk } from './toxic-type.js';

type LimitDataAttributes = Readonly<Record<'bytes', number>>;

/**
 * Passes `bytes` bytes on this connection and direction, then closes the connection. The count
 * starts when the toxic starts on the connection and survives changes to the limit.
 */
class RunningLimitData extends RunningToxic<LimitDataAttributes> {
  write(chunk: ToxicChunk): void {
    const limit = this.attributes.bytes;
    const passed = this.host.memory.bytesPassed ?? 0;
    const allowance = Math.max(0, limit - passed);
    const data = chunk.data.length > allowance ? chunk.data.subarray(0, allowance) : chunk.data;
    if (data.length > 0) {
      this.host.memory.bytesPassed = passed + data.length;
      this.host.emit(data === chunk.data ? chunk : { data, arrivedAt: chunk.arrivedAt });
    }
    if (limit - (this.host.memory.bytesPassed ?? 0) <= 0) this.host.closeConnection();
  }
}

export const limitDataToxic = defineToxicType({
  name: 'limit_data',
  attributeNames: ['bytes'],
  goStructName: 'LimitDataToxic',
  start: (host, attributes) => new RunningLimitData(host, attributes),
});
