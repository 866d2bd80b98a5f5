// Compiles the whole monorepo with tsc into dist/ and gives dist/ the package.json that
// lets Node resolve the `#libs/<name>` imports against the compiled files.
//
// It compiles into a fresh folder and then swaps it in with renames, so that a lab or a test started
// from dist/ while a build runs never sees it half-empty (the old build removed dist/ first).
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const next = join(root, `.dist-build-${process.pid}`);
const old = join(root, `.dist-old-${process.pid}`);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(next, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', next], {
    stdio: 'inherit',
    cwd: root,
  });
  writeFileSync(
    join(next, 'package.json'),
    JSON.stringify({ name: `${pkg.name}-dist`, version: pkg.version, type: 'module', imports: pkg.imports }, null, 2) + '\n',
  );
  try {
    renameSync(dist, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
} catch (error) {
  rmSync(next, { recursive: true, force: true });
  if (typeof error.status !== 'number') throw error;
  // tsc printed the errors above.
  console.error('build failed: dist/ was left as it was');
  process.exit(error.status);
}
