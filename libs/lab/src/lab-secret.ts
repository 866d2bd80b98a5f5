import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabPaths } from './lab-paths.js';

/**
 * A secret of the lab (e.g. what signs session tokens), made once per state dir and kept: every instance
 * that needs it gets the same value, and it survives restarts, so sessions outlive a `down`/`up`.
 * Readable by the owner only.
 */
export function labSecret(paths: Pick<LabPaths, 'confDir'>, name: string): string {
  const file = join(paths.confDir, 'secrets', name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString('hex');
    // 'wx': when two commands race, the first one's secret wins and the second reads it.
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(file, 'utf8').trim();
    }
  }
}
