import type { LabProgress, LabProgressEvent } from '#libs/lab';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const symbols: Record<string, string> = {
  preparing: '…',
  starting: '…',
  waiting: '…',
  running: '•',
  ready: '✓',
  failed: '✗',
  stopping: '…',
  stopped: '✓',
};

/**
 * Live progress: on a TTY one line per component, redrawn in place; otherwise (CI, pipes) one plain line
 * per finished step, so logs stay readable. Always on stderr, so stdout stays clean for --json.
 */
export function createProgressRenderer(stream: NodeJS.WriteStream = process.stderr): { progress: LabProgress; done(): void } {
  const t0 = Date.now();
  if (!stream.isTTY) {
    return {
      progress(event: LabProgressEvent) {
        const at = `[${seconds(Date.now() - t0).padStart(6)}]`;
        if (event.type === 'phase') stream.write(`${at} ${event.message}\n`);
        else if (['ready', 'failed', 'stopped', 'starting'].includes(event.state))
          stream.write(`${at} ${event.id} ${event.state}${event.state !== 'starting' ? ` in ${seconds(event.elapsedMs)}` : ''}${event.detail ? ` (${event.detail})` : ''}\n`);
      },
      done() {},
    };
  }
  const lines = new Map<string, string>();
  let phase = '';
  let drawn = 0;
  const draw = () => {
    const rows = [...lines.values()];
    if (phase) rows.push(`  ${phase}`);
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const row of rows) out += `\x1b[2K${row}\n`;
    stream.write(out);
    drawn = rows.length;
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    progress(event) {
      if (event.type === 'phase') phase = event.message;
      else lines.set(event.id, ` ${symbols[event.state] ?? ' '} ${event.id.padEnd(22)} ${event.state.padEnd(9)} ${seconds(event.elapsedMs).padStart(6)}${event.detail ? `  ${event.detail}` : ''}`);
      draw();
    },
    done() {
      clearInterval(timer);
      phase = '';
      draw();
    },
  };
}
