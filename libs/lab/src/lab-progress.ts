/** What the runner reports while it works; the CLI renders it (live on a TTY, plain lines otherwise). */
export type LabProgressEvent =
  | { readonly type: 'phase'; readonly message: string }
  | { readonly type: 'component'; readonly id: string; readonly state: 'preparing' | 'starting' | 'waiting' | 'ready' | 'failed' | 'stopping' | 'stopped' | 'running'; readonly detail?: string; readonly elapsedMs: number };

export type LabProgress = (event: LabProgressEvent) => void;

export const silentProgress: LabProgress = () => undefined;
