// Regenerates the parts of README.md drawn from the code (the architecture diagrams), so they never
// drift from the topology model. Run after `npm run build`: npm run docs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadProfile, renderMermaid } = await import(pathToFileURL(join(root, 'dist/libs/topology/src/index.js')).href);
const readmePath = join(root, 'README.md');
let readme = readFileSync(readmePath, 'utf8');
for (const profile of ['minimal', 'full']) {
  const begin = `<!-- diagram:${profile} -->`;
  const end = `<!-- /diagram:${profile} -->`;
  const block = `${begin}\n\`\`\`mermaid\n${renderMermaid(loadProfile(profile))}\`\`\`\n${end}`;
  const pattern = new RegExp(`${begin}[\\s\\S]*?${end}`);
  if (!pattern.test(readme)) throw new Error(`README.md has no ${begin} … ${end} block`);
  readme = readme.replace(pattern, block);
}
writeFileSync(readmePath, readme);
