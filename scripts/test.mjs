// `npm test`: every check and test suite, in order, ending with one line
// "N passed, N failed[, N skipped]". `npm test -- --only unit,integration` runs a subset.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = path.join(root, '.tmp');
fs.mkdirSync(tmp, { recursive: true });

const onlyArg = process.argv.find((arg) => arg.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : process.argv[process.argv.indexOf(onlyArg) + 1]).split(',') : undefined;

/** Test files under dir, in every subfolder (unit tests mirror src/), sorted. */
const testFiles = (dir, suffix) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir), { recursive: true }).filter((name) => name.endsWith(suffix)).sort().map((name) => path.join(dir, name))
    : [];

/** node --test with a spec reporter for people and a TAP file to count from. */
const nodeTests = (name, files, extra = []) => ({
  name,
  run: async () => {
    if (!files.length) return { passed: 0, failed: 0, skipped: 0 };
    const tap = path.join(tmp, `${name}.tap`);
    const code = await run('node', ['--import', 'tsx', '--test', ...extra, '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files]);
    const counts = countTap(fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '');
    if (code !== 0 && counts.failed === 0) counts.failed = 1; // the runner itself failed (a crash before any test)
    return counts;
  },
});

const check = (name, command, args) => ({
  name,
  run: async () => ((await run(command, args)) === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 }),
});

const stages = [
  check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  check('lint', 'npx', ['eslint', '--max-warnings', '0', '.']),
  check('build', 'node', ['scripts/build.mjs']),
  nodeTests('unit', testFiles('test/unit', '.test.ts')),
  // One file at a time: each starts its own engine, and the machine has two cores.
  nodeTests('integration', testFiles('test/integration', '.test.ts'), ['--test-concurrency=1']),
  {
    name: 'extension',
    run: async () => {
      const out = path.join(tmp, 'extension.json');
      fs.rmSync(out, { force: true });
      const code = await run('node', ['--import', 'tsx', 'test/extension/run.ts', '--results', out]);
      if (!fs.existsSync(out)) return { passed: 0, failed: 1, skipped: 0 };
      const result = JSON.parse(fs.readFileSync(out, 'utf8'));
      return { passed: result.passed, failed: result.failed || (code === 0 ? 0 : 1), skipped: result.skipped ?? 0 };
    },
  },
  nodeTests('e2e', testFiles('test/e2e', '.e2e.ts'), ['--test-concurrency=1']),
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const stage of stages) {
  if (only && !only.includes(stage.name)) continue;
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  let counts;
  try {
    counts = await stage.run();
  } catch (error) {
    console.error(`${stage.name}: ${error instanceof Error ? error.stack : error}`);
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  lines.push(`${stage.name.padEnd(12)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(3)} failed ${String(counts.skipped).padStart(3)} skipped  ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed ? 1 : 0;

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function countTap(text) {
  const value = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { passed: value('pass'), failed: value('fail') + value('cancelled'), skipped: value('skipped') + value('todo') };
}
