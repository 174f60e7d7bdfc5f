// The on-disk layer index cache: entries read back as written, unreadable files deleted and
// never trusted, the byte bound kept by evicting the least recently used.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { type CacheProblem, LayerIndexCache } from '../../../src/engine/layerIndexCache';
import { type LayerEntry } from '../../../src/image/layerEntry';

const diff = (char: string): string => `sha256:${char.repeat(64)}`;
const entries: LayerEntry[] = [
  { path: 'usr/bin/env', type: 'file', size: 1234, mode: 0o755, uid: 0, gid: 0 },
  { path: 'usr/bin', type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0 },
  { path: 'bin/sh', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'busybox' },
  { path: 'data/.wh.cache', type: 'file', size: 0, mode: 0, uid: 1000, gid: 1000 },
];
const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'll-cache-'));

test('what is put reads back the same; a layer never put is undefined', async () => {
  const cache = new LayerIndexCache(path.join(tempDir(), 'layers'));
  assert.equal(await cache.get(diff('a')), undefined);
  await cache.put(diff('a'), entries);
  assert.deepEqual(await cache.get(diff('a')), entries);
  assert.deepEqual(await cache.usage(), { files: 1, bytes: fs.statSync(path.join(cache.dir, `${'a'.repeat(64)}.json.gz`)).size });
});

test('a corrupt file (cut short, garbage, another layer\'s content) is deleted and reported, never trusted', async () => {
  const problems: CacheProblem[] = [];
  const cache = new LayerIndexCache(path.join(tempDir(), 'layers'), undefined, (problem) => problems.push(problem));
  await cache.put(diff('a'), entries);
  const file = path.join(cache.dir, `${'a'.repeat(64)}.json.gz`);
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, whole.length - 10));
  assert.equal(await cache.get(diff('a')), undefined);
  assert.equal(fs.existsSync(file), false, 'the torn file is gone');
  await cache.put(diff('b'), entries);
  fs.copyFileSync(path.join(cache.dir, `${'b'.repeat(64)}.json.gz`), file);
  assert.equal(await cache.get(diff('a')), undefined, 'b\'s index under a\'s name is refused');
  fs.writeFileSync(file, 'not gzip');
  assert.equal(await cache.get(diff('a')), undefined);
  assert.equal(problems.length, 3);
  assert.ok(problems.every((problem) => problem.diffId === diff('a') && problem.reason.length > 0));
});

test('over the bound, the least recently used go first; a read counts as a use', async () => {
  const dir = path.join(tempDir(), 'layers');
  const probe = new LayerIndexCache(dir);
  await probe.put(diff('a'), entries);
  const one = (await probe.usage()).bytes;
  await probe.clear();
  // Room for two files of this size, not three.
  const cache = new LayerIndexCache(dir, one * 2 + Math.floor(one / 2));
  await cache.put(diff('a'), entries);
  await cache.put(diff('b'), entries);
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(dir, `${'a'.repeat(64)}.json.gz`), past, past);
  fs.utimesSync(path.join(dir, `${'b'.repeat(64)}.json.gz`), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  await cache.get(diff('b'));
  await cache.put(diff('c'), entries);
  assert.equal(await cache.get(diff('a')), undefined, 'a was the least recently used');
  assert.deepEqual(await cache.get(diff('b')), entries);
  assert.deepEqual(await cache.get(diff('c')), entries);
});

test('clear removes everything and says how much', async () => {
  const cache = new LayerIndexCache(path.join(tempDir(), 'layers'));
  await cache.put(diff('a'), entries);
  await cache.put(diff('b'), entries);
  const cleared = await cache.clear();
  assert.equal(cleared.files, 2);
  assert.deepEqual(await cache.usage(), { files: 0, bytes: 0 });
});
