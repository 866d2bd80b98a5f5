import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The page's files (apps/dashboard/public) from the source tree or the compiled one (dist/apps/dashboard/src/http
 * → the repository's apps/dashboard/public), and the charting library from node_modules — nothing from the network.
 */
export function publicDir(): string {
  const candidates = ['../../public/', '../../../../../apps/dashboard/public/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (!found) throw new Error(`the dashboard's page files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

const require = createRequire(import.meta.url);

/** Files served under /vendor/: name → absolute path. */
export function vendorFiles(): ReadonlyMap<string, string> {
  return new Map([
    ['uPlot.iife.min.js', require.resolve('uplot/dist/uPlot.iife.min.js')],
    ['uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css')],
  ]);
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
