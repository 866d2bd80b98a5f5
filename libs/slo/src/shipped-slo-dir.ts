import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The SLO documents ship in slo/ at the repository root while this module runs from libs/slo/src/ (sources,
 * tests) or dist/libs/slo/src/ (the build): walk up to the first folder with a package.json and an slo/
 * folder (libs/ holds an slo/ too — this library — but no package.json; dist/ has a package.json but no slo/).
 */
function findShippedSloDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'slo');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
  }
  // Not found (an incomplete install): loadSlos(SHIPPED_SLO_DIR) then says it cannot read this folder.
  return join(start, '..', '..', '..', 'slo');
}

/** Absolute path of the repository's shipped SLO documents (`slo/`). */
export const SHIPPED_SLO_DIR: string = findShippedSloDir();
