// npm 11.16+ warns on every `npm ci` about dependencies whose install scripts package.json's
// `allowScripts` does not cover (a later npm blocks them). The lockfile marks each package
// that has one, so a dependency added or changed without a decision fails here, not on a
// new user's first install.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '../../..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

interface LockedPackage {
  hasInstallScript?: boolean;
}

test('allowScripts in package.json decides, for every locked package with an install script, whether it runs', () => {
  const lock = readJson('package-lock.json') as { packages: Record<string, LockedPackage> };
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([location]) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('esbuild'), `the lockfile marks install scripts (found: ${withScripts.join(', ')})`);
  const allowScripts = (readJson('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  const decided = new Set(Object.keys(allowScripts).map((key) => key.replace(/(?<=.)@[^@]*$/, '')));
  assert.deepEqual(withScripts.filter((name) => !decided.has(name)), [], 'packages with install scripts that allowScripts neither allows nor denies');
});

test('esbuild may put its native binary in place; the optional SSH speedups are not built, as the bundle ships without them', () => {
  const { allowScripts } = readJson('package.json') as { allowScripts?: Record<string, boolean> };
  assert.equal(allowScripts?.esbuild, true);
  assert.equal(allowScripts?.['cpu-features'], false);
  assert.equal(allowScripts?.ssh2, false);
});
