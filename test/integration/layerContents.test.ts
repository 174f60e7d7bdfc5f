// The layer contents model (layers/layerContents.ts, layers/diveEfficiency.ts) on images a real
// engine built, held against an independent reading of `docker save` (test/env/layerFigures.py:
// Python's tarfile, an overlay simulation written from the model's documented semantics, and a
// literal port of dive's Go): every per-layer figure, the merged tree and dive's figures. Then a
// few facts about each image stated by hand, so the comparison is not vacuous.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import Dockerode from 'dockerode';
import { readEngineImageLayers } from '../../src/engine/imageArchive';
import { analyzeLayers, type ImageContents, type LayerChanges } from '../../src/layers/layerContents';
import { BASE_IMAGE, importBusyboxBase, startTestEngine, type TestEngine } from '../env';
import { makeTempDir } from '../env/cleanup';
import { createTar, type TarEntry } from '../env/tarball';

const run = promisify(execFile);

interface PythonLayer {
  index: number;
  diffId: string;
  added: string[];
  modified: string[];
  removed: { path: string; writtenBy: number; size: number }[];
  unmatchedWhiteouts: string[];
  tally: LayerChanges['tally'];
  sizeBytes: number;
  hiddenBytes: number;
}

interface PythonFigures {
  diffIds: string[];
  layers: PythonLayer[];
  visible: Record<string, number>;
  visibleBytes: number;
  hiddenBytes: number;
  dive: {
    efficiency: number;
    wastedBytes: number;
    userWastedFraction: number | null;
    inefficientPaths: { path: string; count: number; cumulativeSize: number }[];
    layerSizes: number[];
    visitErrors: { layer: number; error: string }[];
  };
}

// The classic builder. Sizes are known: head -c N /dev/zero writes N bytes.
// L1 writes everything; /app/conf is written by L1, L2 and L4 (300, 500, 700 bytes); L3 deletes
// one file; L4 rewrites a hard-linked file (both names share the inode) and repoints a symlink;
// `ENV` and `RUN true` change nothing, so the engine makes no layer of them (history marks them
// empty_layer, and dive sees no layer either); L5 removes /data/cache whole; L6 removes /data/keep
// and recreates it in the same RUN; L7 deletes one name of the hard link.
const CLASSIC = {
  ref: 'layerlens-test/figures-classic:1',
  builder: 'classic' as const,
  dockerfile: `FROM ${BASE_IMAGE}
RUN mkdir -p /data/cache/sub /data/keep /app && head -c 4096 /dev/zero > /data/cache/a.bin && head -c 2048 /dev/zero > /data/cache/sub/b.bin && head -c 1000 /dev/zero > /data/cache/c.bin && echo one > /data/keep/file.txt && ln -s /data/keep/file.txt /data/link && ln /data/keep/file.txt /data/hard && head -c 300 /dev/zero > /app/conf
RUN head -c 500 /dev/zero > /app/conf
RUN rm /data/cache/c.bin
RUN echo two-longer > /data/keep/file.txt && head -c 700 /dev/zero > /app/conf && ln -sf /app/conf /data/link
ENV EMPTY=1
RUN true
RUN rm -rf /data/cache
RUN rm -rf /data/keep && mkdir -p /data/keep/again && head -c 123 /dev/zero > /data/keep/again/new.bin && echo one > /data/keep/file.txt
RUN rm /data/hard
`,
};

// BuildKit. L1 writes 20,000 small files ("file <i>\n") in 100 directories /many/d<i % 100>; L2
// deletes the files of d3 whose name starts with f1 one by one, d5 whole, and rewrites d7/f7; L3
// removes d9 and recreates it with f9 and g in one RUN; /etc/motd is written by L4, L5 and L6
// (L6 also adds a symlink and a hard link to it); L7 deletes the hard link and d7/f7.
const MANY = 20_000;
const BUILDKIT = {
  ref: 'layerlens-test/figures-buildkit:1',
  builder: 'buildkit' as const,
  dockerfile: `FROM ${BASE_IMAGE}
RUN mkdir /many && j=0 && while [ $j -lt 100 ]; do mkdir /many/d$j; j=$((j + 1)); done && i=0 && while [ $i -lt ${MANY} ]; do echo "file $i" > /many/d$((i % 100))/f$i; i=$((i + 1)); done
RUN rm /many/d3/f1* && rm -rf /many/d5 && echo changed > /many/d7/f7
RUN rm -rf /many/d9 && mkdir /many/d9 && echo back > /many/d9/f9 && echo new > /many/d9/g
RUN echo v1 > /etc/motd
RUN echo v2-longer > /etc/motd
RUN echo v3-longest-of-all > /etc/motd && ln -s /etc/motd /motd && ln /etc/motd /motd.hard
RUN rm /motd.hard /many/d7/f7
`,
};

// Opaque directories cannot come out of a build here (the engine's vfs driver diffs naively and
// writes whiteouts file by file), so this image is made by hand and `docker load`ed; the engine
// keeps each layer's tar as it was given (its diff_id), and `docker save` gives it back.
// L0: etc/a (100), etc/conf.d/x (200) and y (300), lib/mods/m (400), opt/tool (50).
// L1: etc/conf.d opaque and y written again (30); lib/mods a symlink over the directory; opt/tool whited out.
// L2: etc whited out whole.
const OPAQUE_REF = 'layerlens-test/figures-opaque:1';
const zeros = (n: number): Buffer => Buffer.alloc(n);
const OPAQUE_LAYERS: TarEntry[][] = [
  [
    { path: 'etc', type: 'dir' }, { path: 'etc/a', type: 'file', content: zeros(100) },
    { path: 'etc/conf.d', type: 'dir' }, { path: 'etc/conf.d/x', type: 'file', content: zeros(200) }, { path: 'etc/conf.d/y', type: 'file', content: zeros(300) },
    { path: 'lib', type: 'dir' }, { path: 'lib/mods', type: 'dir' }, { path: 'lib/mods/m', type: 'file', content: zeros(400) },
    { path: 'opt', type: 'dir' }, { path: 'opt/tool', type: 'file', content: zeros(50) },
  ],
  [
    { path: 'etc', type: 'dir' }, { path: 'etc/conf.d', type: 'dir' }, { path: 'etc/conf.d/.wh..wh..opq', type: 'file' }, { path: 'etc/conf.d/y', type: 'file', content: zeros(30) },
    { path: 'lib', type: 'dir' }, { path: 'lib/mods', type: 'symlink', linkTarget: '/opt' },
    { path: 'opt', type: 'dir' }, { path: 'opt/.wh.tool', type: 'file' },
  ],
  [{ path: '.wh.etc', type: 'file' }],
];

function opaqueImageArchive(): Buffer {
  const layers = OPAQUE_LAYERS.map((entries) => createTar(entries));
  const diffIds = layers.map((layer) => `sha256:${createHash('sha256').update(layer).digest('hex')}`);
  const config = { architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } };
  const manifest = [{ Config: 'config.json', RepoTags: [OPAQUE_REF], Layers: layers.map((_, index) => `l${index}/layer.tar`) }];
  return createTar([
    { path: 'config.json', type: 'file', content: JSON.stringify(config) },
    ...layers.map((layer, index): TarEntry => ({ path: `l${index}/layer.tar`, type: 'file', content: layer })),
    { path: 'manifest.json', type: 'file', content: JSON.stringify(manifest) },
  ]);
}

const manyFile = (i: number): string => `many/d${i % 100}/f${i}`;
const manyBytes = (i: number): number => `file ${i}\n`.length;
const manyIn = (d: number): number[] => Array.from({ length: MANY / 100 }, (_, k) => k * 100 + d);

let engine: TestEngine;
let docker: Dockerode;
let workDir: string;

before(async () => {
  engine = await startTestEngine();
  await importBusyboxBase(engine);
  docker = new Dockerode({ socketPath: engine.socketPath });
  workDir = makeTempDir();
}, { timeout: 120_000 });

after(async () => {
  await engine?.dispose();
});

async function build(image: { ref: string; builder: 'classic' | 'buildkit'; dockerfile: string }): Promise<void> {
  // Without --network=none BuildKit fails with "network bridge not found": this engine has no bridge.
  const args = image.builder === 'buildkit' ? ['--network=none'] : [];
  await engine.docker(['build', '--quiet', ...args, '-t', image.ref, '-'], {
    input: image.dockerfile,
    env: { DOCKER_BUILDKIT: image.builder === 'buildkit' ? '1' : '0' },
  });
}

/** docker save, then the Python's figures. */
async function pythonFigures(ref: string): Promise<PythonFigures> {
  const saved = path.join(workDir, `${ref.replace(/[^a-z0-9]+/g, '-')}.tar`);
  await engine.docker(['save', '-o', saved, ref]);
  const script = path.join(__dirname, '..', 'env', 'layerFigures.py');
  const { stdout } = await run('python3', [script, saved], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as PythonFigures;
}

async function ourFigures(ref: string): Promise<ImageContents> {
  return analyzeLayers((await readEngineImageLayers(docker, ref)).layers);
}

const byPath = <T extends { path: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

function assertSameFigures(ours: ImageContents, python: PythonFigures): void {
  assert.equal(python.dive.visitErrors.length, 0, `dive's visit failed: ${JSON.stringify(python.dive.visitErrors)}`);
  assert.deepEqual(ours.layers.map((layer) => layer.diffId), python.diffIds);
  for (const [index, expected] of python.layers.entries()) {
    const layer = ours.layers[index]!;
    const what = `layer ${index} (${expected.diffId.slice(7, 19)})`;
    assert.deepEqual(layer.tally, expected.tally, `${what}: tallies`);
    assert.equal(layer.sizeBytes, expected.sizeBytes, `${what}: size`);
    assert.equal(layer.hiddenBytes, expected.hiddenBytes, `${what}: hidden bytes`);
    assert.deepEqual(layer.added.map((entry) => entry.path), expected.added, `${what}: added`);
    assert.deepEqual(layer.modified.map((entry) => entry.path), expected.modified, `${what}: modified`);
    assert.deepEqual(byPath(layer.removed.map(({ path: removedPath, writtenBy }) => ({ path: removedPath, writtenBy }))), byPath(expected.removed.map(({ path: removedPath, writtenBy }) => ({ path: removedPath, writtenBy }))), `${what}: removed`);
    assert.deepEqual(layer.unmatchedWhiteouts, expected.unmatchedWhiteouts, `${what}: unmatched whiteouts`);
  }
  assert.equal(ours.layers.length, python.layers.length);
  assert.deepEqual(Object.fromEntries([...ours.visible].map(([visiblePath, version]) => [visiblePath, version.layer])), python.visible, 'the merged tree');
  assert.equal(ours.visibleBytes, python.visibleBytes, 'visible bytes');
  assert.equal(ours.hiddenBytes, python.hiddenBytes, 'hidden bytes');
  // dive's figures.
  assert.ok(Math.abs(ours.dive.efficiency - python.dive.efficiency) <= 1e-12, `efficiency: ours ${ours.dive.efficiency}, dive's Go ${python.dive.efficiency}`);
  assert.equal(ours.dive.wastedBytes, python.dive.wastedBytes, 'wasted bytes');
  assert.equal(ours.dive.userWastedFraction, python.dive.userWastedFraction ?? 0, 'user wasted fraction');
  assert.deepEqual(byPath(ours.dive.inefficientPaths), byPath(python.dive.inefficientPaths), 'inefficient paths');
  const sizes = ours.dive.inefficientPaths.map((item) => item.cumulativeSize);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'inefficient paths largest first');
  assert.deepEqual(ours.layers.map((layer) => layer.sizeBytes), python.dive.layerSizes, 'dive\'s layer sizes');
}

describe('the classic builder\'s image: overwrites, deletions, a directory removed whole and one recreated, links, steps that make no layer', { timeout: 300_000 }, () => {
  let ours: ImageContents;
  let python: PythonFigures;
  before(async () => {
    await build(CLASSIC);
    python = await pythonFigures(CLASSIC.ref);
    ours = await ourFigures(CLASSIC.ref);
  }, { timeout: 240_000 });

  test('every per-layer figure, the merged tree and dive\'s figures are the independent reading\'s', () => {
    assertSameFigures(ours, python);
  });

  test('stated by hand: the three writes of /app/conf, the file deleted, the directory removed whole, no layer for RUN true', () => {
    // Layers: 0 base, 1 first RUN, 2 conf 500, 3 rm c.bin, 4 rewrite, 5 rm -rf cache, 6 keep recreated, 7 rm hard.
    assert.equal(ours.layers.length, 8, 'ENV and RUN true make no layer');
    const conf = ours.dive.inefficientPaths.find((item) => item.path === 'app/conf');
    assert.deepEqual(conf, { path: 'app/conf', count: 3, cumulativeSize: 300 + 500 + 700 });
    assert.equal(ours.visible.get('app/conf')?.entry.size, 700);
    assert.deepEqual(ours.visible.get('app/conf')?.earlier, [{ layer: 1, size: 300 }, { layer: 2, size: 500 }]);
    // c.bin: written (1000) and whited out (0): dive counts it wasted, and it is hidden.
    assert.deepEqual(ours.dive.inefficientPaths.find((item) => item.path === 'data/cache/c.bin'), { path: 'data/cache/c.bin', count: 2, cumulativeSize: 1000 });
    assert.deepEqual([ours.layers[3]!.tally.removed.count, ours.layers[3]!.tally.removed.bytes], [1, 1000]);
    // /data/cache removed whole: one whiteout removes the directory, a.bin, sub and sub/b.bin
    // (6144 bytes). Our hidden bytes include them; dive sees each path once and wastes none of it.
    const removeCache = ours.layers[5]!;
    assert.deepEqual(removeCache.removed.map((entry) => entry.path).sort(), ['data/cache', 'data/cache/a.bin', 'data/cache/sub', 'data/cache/sub/b.bin']);
    assert.equal(removeCache.tally.removed.bytes, 4096 + 2048);
    assert.equal(removeCache.removed.find((entry) => entry.path === 'data/cache')?.size, 6144, 'the directory\'s removal carries the bytes under it');
    assert.ok(!ours.dive.inefficientPaths.some((item) => item.path.startsWith('data/cache/') && item.path !== 'data/cache/c.bin'));
    const layerOneHidden = ours.layers[1]!.hiddenBytes;
    // Layer 1 wrote 300 (conf) + 1000 (c.bin) + 6144 (cache) + "one\n" (file.txt, rewritten by L4) hidden later.
    assert.equal(layerOneHidden, 300 + 1000 + 6144 + 'one\n'.length);
    assert.ok(ours.dive.wastedBytes < ours.hiddenBytes, `dive's wasted ${ours.dive.wastedBytes} misses what our hidden ${ours.hiddenBytes} counts`);
    // /data/keep removed and recreated in one RUN: the recreated names are there, written by L6.
    assert.equal(ours.visible.get('data/keep/again/new.bin')?.layer, 6);
    assert.equal(ours.visible.get('data/keep/file.txt')?.layer, 6);
    assert.equal(ours.visible.get('data/keep/file.txt')?.entry.size, 'one\n'.length);
    assert.equal(ours.visible.has('data/hard'), false);
    assert.equal(ours.visible.get('data/link')?.entry.linkTarget, '/app/conf');
  });
});

describe('BuildKit\'s image: 20,000 small files, some deleted one by one, a directory removed whole and one recreated, three writes of one file', { timeout: 600_000 }, () => {
  let ours: ImageContents;
  let python: PythonFigures;
  before(async () => {
    await build(BUILDKIT);
    python = await pythonFigures(BUILDKIT.ref);
    ours = await ourFigures(BUILDKIT.ref);
  }, { timeout: 540_000 });

  test('every per-layer figure, the merged tree and dive\'s figures are the independent reading\'s', () => {
    assertSameFigures(ours, python);
  });

  test('stated by hand: the 20,000 files, the deletions, /etc/motd written three times', () => {
    assert.equal(ours.layers.length, 8);
    const all = Array.from({ length: MANY }, (_, i) => i);
    const sum = (ids: readonly number[]): number => ids.reduce((total, i) => total + manyBytes(i), 0);
    const first = ours.layers[1]!;
    assert.equal(first.added.filter((entry) => entry.type === 'file' && entry.path.startsWith('many/')).length, MANY);
    assert.equal(first.tally.added.bytes, sum(all));
    // L2: d3's f1* one by one (whiteouts, each file counted wasted by dive), d5 whole (hidden, not wasted by dive), d7/f7 rewritten.
    const d3Deleted = manyIn(3).filter((i) => String(i).startsWith('1'));
    const d5 = manyIn(5);
    const d9Gone = manyIn(9).filter((i) => i !== 9);
    const removeMany = ours.layers[2]!;
    assert.equal(removeMany.tally.removed.count, d3Deleted.length + d5.length + 1, 'the d3 files, the d5 files and d5 itself');
    assert.equal(removeMany.tally.removed.bytes, sum(d3Deleted) + sum(d5));
    assert.deepEqual(removeMany.modified.filter((entry) => entry.type === 'file').map((entry) => entry.path), ['many/d7/f7']);
    for (const i of d3Deleted) assert.deepEqual(ours.dive.inefficientPaths.find((item) => item.path === manyFile(i)), { path: manyFile(i), count: 2, cumulativeSize: manyBytes(i) });
    assert.ok(!ours.dive.inefficientPaths.some((item) => item.path.startsWith('many/d5/')), 'dive does not see d5\'s files twice');
    // L3: d9 removed and recreated; f9 rewritten ("back\n"), g new, the other files gone.
    const recreate = ours.layers[3]!;
    assert.deepEqual(recreate.added.filter((entry) => entry.type === 'file').map((entry) => entry.path), ['many/d9/g']);
    assert.deepEqual(recreate.modified.filter((entry) => entry.type === 'file').map((entry) => entry.path), ['many/d9/f9']);
    assert.equal(recreate.tally.removed.bytes, sum(d9Gone));
    // L1's hidden bytes: every file of d3 f1*, d5 and d9, and d7/f7.
    assert.equal(first.hiddenBytes, sum(d3Deleted) + sum(d5) + sum(manyIn(9)) + manyBytes(7));
    // /etc/motd by three instructions.
    assert.deepEqual(ours.dive.inefficientPaths.find((item) => item.path === 'etc/motd'), { path: 'etc/motd', count: 3, cumulativeSize: 'v1\n'.length + 'v2-longer\n'.length + 'v3-longest-of-all\n'.length });
    assert.deepEqual(ours.visible.get('etc/motd')?.earlier, [{ layer: 4, size: 'v1\n'.length }, { layer: 5, size: 'v2-longer\n'.length }]);
    assert.equal(ours.visible.get('motd')?.entry.type, 'symlink');
    assert.equal(ours.visible.has('motd.hard'), false);
    assert.equal(ours.visible.has('many/d7/f7'), false);
    assert.equal([...ours.visible.keys()].filter((visiblePath) => visiblePath.startsWith('many/') && /\/f\d+$/.test(visiblePath)).length, MANY - d3Deleted.length - d5.length - (d9Gone.length) - 1);
  });
});

describe('a loaded image with opaque directories, a symlink over a directory and a directory whited out whole', { timeout: 300_000 }, () => {
  let ours: ImageContents;
  let python: PythonFigures;
  before(async () => {
    const archive = path.join(workDir, 'opaque-in.tar');
    fs.writeFileSync(archive, opaqueImageArchive());
    await engine.docker(['load', '-i', archive]);
    python = await pythonFigures(OPAQUE_REF);
    ours = await ourFigures(OPAQUE_REF);
  }, { timeout: 240_000 });

  test('every per-layer figure, the merged tree and dive\'s figures are the independent reading\'s', () => {
    assertSameFigures(ours, python);
  });

  test('stated by hand: what the opaque marker, the symlink and the whiteouts remove, and what dive makes of them', () => {
    const removedBy = (index: number): string[] => ours.layers[index]!.removed.map((entry) => `${entry.path} ${entry.cause}`).sort();
    // The opaque marker removes x, not y (L1 writes y: modified); the symlink replaces lib/mods and removes m.
    assert.deepEqual(removedBy(1), ['etc/conf.d/x opaque', 'lib/mods/m replaced', 'opt/tool whiteout']);
    assert.deepEqual(ours.layers[1]!.modified.map((entry) => entry.path), ['etc', 'etc/conf.d', 'etc/conf.d/y', 'lib', 'lib/mods', 'opt']);
    assert.equal(ours.layers[1]!.tally.removed.bytes, 200 + 400 + 50);
    assert.deepEqual(removedBy(2), ['etc whiteout', 'etc/a whiteout', 'etc/conf.d whiteout', 'etc/conf.d/y whiteout']);
    assert.equal(ours.layers[2]!.tally.removed.bytes, 100 + 30);
    assert.deepEqual(ours.layers.map((layer) => layer.hiddenBytes), [100 + 200 + 300 + 400 + 50, 30, 0]);
    assert.deepEqual([...ours.visible.keys()].sort(), ['lib', 'lib/mods', 'opt']);
    // dive ignores the opaque marker (x stays in its stack, so etc's whiteout counts 100 + 200 + 30)
    // and sees lib/mods/m, x and etc once each: wasted are y (300 + 30) and opt/tool (50 + 0).
    assert.deepEqual(byPath(ours.dive.inefficientPaths), [
      { path: 'etc/conf.d/y', count: 2, cumulativeSize: 330 },
      { path: 'opt/tool', count: 2, cumulativeSize: 50 },
    ]);
    assert.equal(ours.dive.wastedBytes, 380);
    // Sizes seen: L0 100 + 200 + 300 + 400 + 50, L1 y 30, lib/mods 0, tool 0, L2 etc 330; the smallest per path: 100 + 200 + 30 + 400 + 0 + 0 + 330.
    assert.ok(Math.abs(ours.dive.efficiency - 1060 / 1410) <= 1e-12, String(ours.dive.efficiency));
    assert.ok(ours.hiddenBytes > ours.dive.wastedBytes);
  });
});
