import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '#libs/config';
import type { InstanceIdentity } from '../instance-identity.js';

/**
 * One JSON line per event on stdout; the runner keeps one log file per process. The default
 * destination writes synchronously, so nothing is lost when the process exits right after a log call.
 */
export function createLogger(identity: InstanceIdentity & { logLevel: LogLevel }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: identity.logLevel,
      base: { app: identity.app, instance: identity.instanceId, dc: identity.dc, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names rather than numbers: the files are read by people as often as by tools.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
