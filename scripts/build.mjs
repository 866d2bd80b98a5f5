// Compiles the whole monorepo with tsc into dist/ and gives dist/ the package.json that
// lets Node resolve the `#libs/<name>` imports against the compiled files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
  cwd: root,
});
mkdirSync(dist, { recursive: true });
writeFileSync(
  join(dist, 'package.json'),
  JSON.stringify({ name: `${pkg.name}-dist`, version: pkg.version, type: 'module', imports: pkg.imports }, null, 2) + '\n',
);
