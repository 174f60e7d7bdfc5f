// Reading an image's layers from the engine's archive (engine/imageArchive.ts) on a real
// engine, held against an independent reading of `docker save` by Python's tarfile
// (test/env/saveReading.py): the same layers, diff_ids and every entry's header. Then the bad
// archives: cut short, a layer that does not hash to its diff_id, cancelled.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { ImageArchiveError, readEngineImageLayers, readImageArchive } from '../../src/engine/imageArchive';
import { readImageLayersCached } from '../../src/engine/cachedImageLayers';
import { LayerIndexCache } from '../../src/engine/layerIndexCache';
import { type LayerEntries } from '../../src/image/layerEntry';
import { BASE_IMAGE, importBusyboxBase, startTestEngine, type TestEngine } from '../env';
import { makeTempDir } from '../env/cleanup';

const run = promisify(execFile);
const IMAGE = 'layerlens-test/contents:1';
// Files written, overwritten, deleted one by one and as a whole directory; a symlink, a hard
// link. Sizes are known: 4096 + 2048 bytes of zeros, "one\n", "two-longer\n".
const DOCKERFILE = `FROM ${BASE_IMAGE}
RUN mkdir -p /data/cache /data/keep && head -c 4096 /dev/zero > /data/cache/a.bin && head -c 2048 /dev/zero > /data/cache/b.bin && echo one > /data/keep/file.txt && ln -s /data/keep/file.txt /data/link && ln /data/keep/file.txt /data/hard
RUN echo two-longer > /data/keep/file.txt
RUN rm /data/cache/b.bin
RUN rm -rf /data/cache
`;

let engine: TestEngine;
let docker: Dockerode;
let saved: string;
let reading: { diffIds: string[]; layers: LayerEntries[] };

before(async () => {
  engine = await startTestEngine();
  await importBusyboxBase(engine);
  await engine.docker(['build', '--quiet', '-t', IMAGE, '-'], { input: DOCKERFILE, env: { DOCKER_BUILDKIT: '0' } });
  docker = new Dockerode({ socketPath: engine.socketPath });
  saved = path.join(makeTempDir(), 'contents.tar');
  await engine.docker(['save', '-o', saved, IMAGE]);
  const { stdout } = await run('python3', [path.join(__dirname, '..', 'env', 'saveReading.py'), saved], { maxBuffer: 64 * 1024 * 1024 });
  reading = JSON.parse(stdout) as typeof reading;
}, { timeout: 180_000 });

after(async () => {
  await engine?.dispose();
});

test('the engine\'s archive gives the layers, diff_ids and entries Python\'s tarfile reads from docker save', async () => {
  const result = await readEngineImageLayers(docker, IMAGE);
  assert.deepEqual(result.layers.map((layer) => layer.diffId), reading.diffIds);
  assert.equal(result.layers.length, reading.layers.length);
  for (const [index, layer] of result.layers.entries()) {
    assert.equal(layer.diffId, reading.layers[index]!.diffId, `layer ${index + 1}'s hash`);
    assert.deepEqual(layer.entries, reading.layers[index]!.entries, `layer ${index + 1}'s entries`);
  }
  assert.ok(result.archiveBytes >= fs.statSync(saved).size - 10_240, 'the whole archive was read');
  // The fixture's own facts, so the comparison above is not vacuous.
  const byPath = (index: number): Map<string, LayerEntries['entries'][number]> => new Map(result.layers[index]!.entries.map((entry) => [entry.path, entry]));
  const written = byPath(1);
  assert.equal(written.get('data/cache/a.bin')?.size, 4096);
  assert.equal(written.get('data/cache/b.bin')?.size, 2048);
  assert.equal(written.get('data/link')?.type, 'symlink');
  assert.equal(written.get('data/link')?.linkTarget, '/data/keep/file.txt');
  assert.equal(written.get('data/hard')?.type === 'hardlink' || written.get('data/keep/file.txt')?.type === 'hardlink', true, 'one of the two names is a hard link');
  // Writing the file writes its inode: the tar holds the new bytes once, the other name links to them.
  const rewritten = byPath(2);
  assert.deepEqual([rewritten.get('data/keep/file.txt')?.size, rewritten.get('data/hard')?.size].sort(), [0, 'two-longer\n'.length]);
  assert.ok(byPath(3).has('data/cache/.wh.b.bin'), 'the deleted file is a whiteout');
  assert.ok(byPath(4).has('data/.wh.cache'), 'the deleted directory is one whiteout');
});

for (const layout of ['oci', 'docker25'] as const) {
  test(`the ${layout === 'oci' ? 'OCI layout (gzip and zstd layers, index.json only)' : 'Docker 25+ layout (blobs, then manifest.json)'} reads the same layers and entries`, async () => {
    const rewritten = path.join(path.dirname(saved), `${layout}.tar`);
    await run('python3', [path.join(__dirname, '..', 'env', 'ociFromSave.py'), saved, rewritten, layout]);
    const result = await readImageArchive(fs.createReadStream(rewritten), IMAGE);
    assert.deepEqual(result.layers.map((layer) => layer.diffId), reading.diffIds);
    assert.deepEqual(result.layers.map((layer) => layer.entries), reading.layers.map((layer) => layer.entries));
    const compressions = result.layers.map((layer) => layer.compression);
    assert.deepEqual(compressions, layout === 'oci' ? reading.layers.map((_, index) => (index % 2 === 0 ? 'gzip' : 'zstd')) : reading.layers.map(() => 'tar'));
  });
}

test('reopening from the cache reads no archive; a missing or corrupt cached layer is read again from the engine', async () => {
  const cache = new LayerIndexCache(path.join(makeTempDir(), 'layers'));
  const first = await readImageLayersCached(docker, IMAGE, cache);
  assert.equal(first.cachedLayers, 0);
  assert.ok(first.archiveBytes > 0);
  assert.deepEqual(first.layers.map((layer) => layer.entries), reading.layers.map((layer) => layer.entries));
  const again = await readImageLayersCached(docker, IMAGE, cache);
  assert.equal(again.archiveBytes, 0, 'every layer cached: no archive read');
  assert.equal(again.cachedLayers, reading.layers.length);
  assert.deepEqual(again.layers, first.layers);
  // A cached layer's file torn on disk: it is not trusted, the archive is read again and the cache mended.
  const file = path.join(cache.dir, `${reading.diffIds[2]!.slice('sha256:'.length)}.json.gz`);
  fs.writeFileSync(file, 'torn');
  const rebuilt = await readImageLayersCached(docker, IMAGE, cache);
  assert.ok(rebuilt.archiveBytes > 0, 'the corrupt layer made it read the archive');
  assert.deepEqual(rebuilt.layers, first.layers);
  assert.equal((await readImageLayersCached(docker, IMAGE, cache)).archiveBytes, 0, 'and the cache is whole again');
});

test('progress counts the archive\'s bytes, and Cancel stops the read with a clear message', async () => {
  let last = 0;
  await readEngineImageLayers(docker, IMAGE, { onProgress: (bytes) => (last = bytes) });
  assert.ok(last > 0);
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(readEngineImageLayers(docker, IMAGE, { signal: abort.signal }), (error: unknown) => error instanceof ImageArchiveError && /Reading the layers of layerlens-test\/contents:1 was cancelled/.test(error.message));
});

test('an archive cut short names the image and says what to do', async () => {
  const bytes = fs.readFileSync(saved);
  const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
  await assert.rejects(readImageArchive(Readable.from([cut]), IMAGE), (error: unknown) => {
    assert.ok(error instanceof ImageArchiveError, String(error));
    assert.match(error.message, /^The image archive of layerlens-test\/contents:1 (could not be read \(after \d+ bytes\)|lacks layer \d+ of \d+)/);
    return true;
  });
});

test('a layer that does not hash to its diff_id is an error naming the layer, never a wrong result', async () => {
  // Python rewrites the archive with one byte of layer 2's file content changed (same sizes).
  const damaged = path.join(path.dirname(saved), 'damaged.tar');
  const script = `
import io, json, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as archive, tarfile.open(dst, 'w') as out:
    manifest = json.load(archive.extractfile('manifest.json'))[0]
    target = manifest['Layers'][1]
    for info in archive:
        data = archive.extractfile(info).read() if info.isreg() else None
        if info.name == target:
            with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                offset = layer.getmember('data/cache/a.bin').offset_data
            data = bytearray(data)
            data[offset + 100] ^= 0xFF  # inside a.bin's zeros, not a header
            data = bytes(data)
        out.addfile(info, io.BytesIO(data) if data is not None else None)
`;
  await run('python3', ['-c', script, saved, damaged]);
  await assert.rejects(readImageArchive(fs.createReadStream(damaged), IMAGE), (error: unknown) => {
    assert.ok(error instanceof ImageArchiveError, String(error));
    assert.match(error.message, /^Layer 2 of 5 \(\S+layer\.tar\) of layerlens-test\/contents:1 hashes to sha256:[0-9a-f]{64}, but the image config says sha256:[0-9a-f]{64}/);
    return true;
  });
});

test('something that is not an image archive says so', async () => {
  const notArchive = Buffer.alloc(10_240);
  await assert.rejects(readImageArchive(Readable.from([notArchive]), 'x:1'), /The image archive of x:1 has neither manifest\.json nor index\.json/);
});

test('the engine stopping mid-stream is an error that names the image and what to do, not a partial result', async () => {
  // Big enough that the archive is still streaming when the engine goes (about 2 s of it here).
  await engine.docker(['build', '--quiet', '-t', 'layerlens-test/big:1', '-'], { input: `FROM ${BASE_IMAGE}\nRUN head -c 314572800 /dev/urandom > /big.bin\n`, env: { DOCKER_BUILDKIT: '0' } });
  let stopping: Promise<void> | undefined;
  await assert.rejects(
    readEngineImageLayers(docker, 'layerlens-test/big:1', {
      onProgress: () => {
        stopping ??= engine.stop();
      },
    }),
    (error: unknown) => {
      assert.ok(error instanceof ImageArchiveError, String(error));
      assert.match(error.message, /^The image archive of layerlens-test\/big:1 (could not be read \(after \d+ bytes\)|lacks layer)/);
      assert.match(error.message, /start it again|Read it again/);
      return true;
    },
  );
  await stopping;
  await engine.start();
});
