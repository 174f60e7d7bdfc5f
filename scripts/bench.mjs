// `npm run bench`: runs every bench/*.bench.ts (or those named: `npm run bench -- refresh`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const files = fs.readdirSync(path.join(root, 'bench')).filter((name) => name.endsWith('.bench.ts') && (!wanted.length || wanted.some((w) => name.includes(w)))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const result = spawnSync('node', ['--import', 'tsx', path.join('bench', file)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
