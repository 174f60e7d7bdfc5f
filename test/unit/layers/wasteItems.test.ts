// Waste items tied to Dockerfile lines, on hand-built layers whose figures are stated here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LayerEntries, type LayerEntry } from '../../../src/image/layerEntry';
import { analyzeLayers } from '../../../src/layers/layerContents';
import { type LayerLine, wasteItems } from '../../../src/layers/wasteItems';

const file = (path: string, size: number): LayerEntry => ({ path, type: 'file', size, mode: 0o644, uid: 0, gid: 0 });
const dir = (path: string): LayerEntry => ({ path, type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0 });
const layer = (n: number, entries: LayerEntry[]): LayerEntries => ({ diffId: `sha256:${String(n).repeat(64)}`, entries });

// Layer 0: the base image (no Dockerfile line). 1: RUN on line 2 writes a package cache.
// 2: COPY on line 3 brings a build context file. 3: RUN on line 4 deletes the cache and the
// copied file, and rewrites the base's /etc/motd.
const layers = [
  layer(1, [dir('etc'), file('etc/motd', 300)]),
  layer(2, [dir('var'), dir('var/cache'), dir('var/cache/pkgs'), file('var/cache/pkgs/a.deb', 400_000), file('var/cache/pkgs/b.deb', 112_000)]),
  layer(3, [dir('app'), file('app/secret.tar', 9_000)]),
  layer(4, [dir('var'), dir('var/cache'), file('var/cache/.wh.pkgs', 0), dir('app'), file('app/.wh.secret.tar', 0), dir('etc'), file('etc/motd', 20)]),
];
const lines: Record<number, LayerLine> = { 1: { line: 2, instruction: 'RUN' }, 2: { line: 3, instruction: 'COPY' }, 3: { line: 4, instruction: 'RUN' } };

test('each item names the line that wrote the bytes, the one that hid them, and the fix; largest first', () => {
  const items = wasteItems(analyzeLayers(layers), (index) => lines[index]);
  assert.deepEqual(
    items.map(({ path, bytes, kind, writtenBy, hiddenBy }) => ({ path, bytes, kind, writtenBy, hiddenBy })),
    [
      // The directory removed whole is one item: 400,000 + 112,000 bytes.
      { path: 'var/cache/pkgs', bytes: 512_000, kind: 'removed', writtenBy: 1, hiddenBy: 3 },
      { path: 'app/secret.tar', bytes: 9_000, kind: 'removed', writtenBy: 2, hiddenBy: 3 },
      { path: 'etc/motd', bytes: 300, kind: 'overwritten', writtenBy: 0, hiddenBy: 3 },
    ],
  );
  assert.equal(items[0]!.fix, 'var/cache/pkgs (512.0 kB) is written by line 2 and removed by line 4: remove it in the same RUN as line 2.');
  assert.equal(items[1]!.fix, 'app/secret.tar (9.0 kB) is brought in by COPY on line 3 and removed by line 4: leave it out of the build context (.dockerignore) or copy only what is needed.');
  assert.match(items[2]!.fix, /^etc\/motd \(300 B\) comes from the base image and is overwritten by line 4: that hides it but does not make the image smaller\./);
});

test('without lines (no Dockerfile), items name layers; the items add up to the hidden bytes', () => {
  const contents = analyzeLayers(layers);
  const items = wasteItems(contents, () => undefined);
  assert.equal(items.reduce((sum, item) => sum + item.bytes, 0), contents.hiddenBytes);
  assert.equal(items[0]!.fix, 'var/cache/pkgs (512.0 kB) is written by layer 2 and removed by layer 4: only the last version is seen, the earlier bytes still ship in the image.');
  assert.ok(items.every((item) => !/base image/.test(item.fix)), 'without lines nothing is called the base image');
});

test('the same file written by two RUN lines is one overwritten item for the first write', () => {
  const twice = [layer(1, [file('conf', 100)]), layer(2, [file('conf', 150)]), layer(3, [file('conf', 70)])];
  const items = wasteItems(analyzeLayers(twice), (index) => ({ line: index + 1, instruction: 'RUN' }));
  assert.deepEqual(items.map(({ bytes, writtenBy, hiddenBy }) => ({ bytes, writtenBy, hiddenBy })), [
    { bytes: 150, writtenBy: 1, hiddenBy: 2 },
    { bytes: 100, writtenBy: 0, hiddenBy: 1 },
  ]);
  assert.equal(items[0]!.fix, 'conf (150 B) is written by line 2 and again by line 3: only the last version is seen. Write it once, in line 3, or in the same instruction.');
});

test('a file overwritten and then removed gives both items, and they add up to the hidden bytes', () => {
  // conf: 100 B by layer 1, 150 B by layer 2 (hiding the 100), removed by layer 3 (hiding the 150).
  const contents = analyzeLayers([layer(1, [file('conf', 100)]), layer(2, [file('conf', 150)]), layer(3, [file('.wh.conf', 0)])]);
  const items = wasteItems(contents, () => undefined);
  assert.deepEqual(items.map(({ bytes, kind, writtenBy, hiddenBy }) => ({ bytes, kind, writtenBy, hiddenBy })), [
    { bytes: 150, kind: 'removed', writtenBy: 1, hiddenBy: 2 },
    { bytes: 100, kind: 'overwritten', writtenBy: 0, hiddenBy: 1 },
  ]);
  assert.equal(contents.hiddenBytes, 250);
});
