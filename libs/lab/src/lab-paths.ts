import { join, resolve } from 'node:path';

/**
 * Where a lab keeps everything on disk. One state directory per lab; removing it (`down --purge`)
 * removes every trace.
 */
export interface LabPaths {
  readonly root: string;
  /** The lab's state file: what runs, with which pids; the next command finds orphans through it. */
  readonly stateFile: string;
  readonly logsDir: string;
  readonly dataDir: string;
  readonly confDir: string;
  /** Sockets, pid files and pg_autoctl's XDG folders. */
  readonly runDir: string;
  logFile(componentId: string): string;
  dataOf(componentId: string): string;
  confOf(componentId: string, file: string): string;
}

export const DEFAULT_STATE_DIR = '.faultline';

export function labPaths(stateDir: string = process.env.FAULTLINE_STATE_DIR ?? DEFAULT_STATE_DIR): LabPaths {
  const root = resolve(stateDir);
  const logsDir = join(root, 'logs');
  const dataDir = join(root, 'data');
  const confDir = join(root, 'conf');
  return {
    root,
    stateFile: join(root, 'lab.json'),
    logsDir,
    dataDir,
    confDir,
    runDir: join(root, 'run'),
    logFile: (id) => join(logsDir, `${id}.log`),
    dataOf: (id) => join(dataDir, id),
    confOf: (id, file) => join(confDir, id, file),
  };
}
