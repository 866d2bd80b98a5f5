#!/usr/bin/env node
// The CLI runs from the compiled tree; a checkout that was never built says how to build it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('faultline is not built yet. Run:  npm run build\n');
  process.exit(2);
}
await import(pathToFileURL(entry).href);
