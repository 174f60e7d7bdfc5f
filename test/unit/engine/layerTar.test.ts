// Sniffing a layer blob's compression, the entry path form, and what a corrupt layer says.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { normalizeEntryPath, readLayerTar, sniffLayerCompression } from '../../../src/engine/layerTar';
import { archiveLayers, ImageArchiveError } from '../../../src/engine/archiveLayout';

test('gzip, zstd and tar are told by their first bytes; JSON is none of them', () => {
  assert.equal(sniffLayerCompression(gzipSync(Buffer.from('x'))), 'gzip');
  assert.equal(sniffLayerCompression(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0])), 'zstd');
  const header = Buffer.alloc(512);
  header.write('ustar', 257, 'latin1');
  assert.equal(sniffLayerCompression(header), 'tar');
  assert.equal(sniffLayerCompression(Buffer.from('{"schemaVersion":2}')), undefined);
  assert.equal(sniffLayerCompression(Buffer.alloc(1024)), undefined, 'an empty layer (zeros) is not sniffed; the archive reader reads it as a tar');
});

test('entry paths lose ./, leading and trailing slashes', () => {
  assert.equal(normalizeEntryPath('./usr/bin/'), 'usr/bin');
  assert.equal(normalizeEntryPath('/etc/passwd'), 'etc/passwd');
  assert.equal(normalizeEntryPath('././a'), 'a');
  assert.equal(normalizeEntryPath('./'), '');
});

test('a gzip layer that is not gzip inside rejects (the archive names the layer)', async () => {
  const fake = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(600, 7)]);
  await assert.rejects(readLayerTar(fake, Readable.from([]), 'gzip'));
});

test('an empty layer (1 KB of zeros) has no entries and the hash of those zeros', async () => {
  const zeros = Buffer.alloc(1024);
  const reading = await readLayerTar(zeros, Readable.from([]), 'tar');
  assert.deepEqual(reading.entries, []);
  assert.equal(reading.diffId, 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef');
});

const DIFF = `sha256:${'a'.repeat(64)}`;

test('the classic layout: manifest.json names the config and the layer paths in order', () => {
  const files: Record<string, unknown> = { 'manifest.json': [{ Config: 'c.json', Layers: ['x/layer.tar'] }], 'c.json': { rootfs: { diff_ids: [DIFF] } } };
  assert.deepEqual(archiveLayers((path) => files[path], 'app:1'), [{ path: 'x/layer.tar', diffId: DIFF }]);
});

test('a layout whose layers and diff_ids disagree in number, or without a config, says so', () => {
  const files: Record<string, unknown> = { 'manifest.json': [{ Config: 'c.json', Layers: ['x/layer.tar', 'y/layer.tar'] }], 'c.json': { rootfs: { diff_ids: [DIFF] } } };
  assert.throws(() => archiveLayers((path) => files[path], 'app:1'), (error: unknown) => error instanceof ImageArchiveError && /lists 2 layers but its config names 1 diff_ids/.test(error.message));
  assert.throws(() => archiveLayers((path) => ({ 'manifest.json': [{ Config: 'c.json', Layers: [] }] })[path as 'manifest.json'], 'app:1'), /without rootfs\.diff_ids/);
  assert.throws(() => archiveLayers((path) => ({ 'index.json': { manifests: [] } })[path as 'index.json'], 'app:1'), /names no image manifest inside the archive/);
});

/** A layer tar written by tar-stream's packer (pax headers for long names, as Go's archive/tar writes them). */
async function packTar(entries: Array<{ name: string; type?: 'file' | 'symlink' | 'link'; body?: string; linkname?: string }>): Promise<Buffer> {
  const tarStream = await import('tar-stream');
  const pack = tarStream.pack();
  for (const entry of entries) pack.entry({ name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname }, entry.type && entry.type !== 'file' ? undefined : entry.body ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test('entries whose path climbs out with "..", or whose name is 1 MB long, are left out with the reason; the rest is read', async () => {
  const tarBytes = await packTar([
    { name: 'etc/ok', body: 'fine' },
    { name: '../../etc/evil', body: 'x' },
    { name: 'a/../../b', body: 'x' },
    { name: `deep/${'n'.repeat(1024 * 1024)}`, body: 'x' },
    { name: 'lib/abs-link', type: 'symlink', linkname: '/etc/shadow' },
    { name: 'lib/hard', type: 'link', linkname: '../../outside' },
  ]);
  const reading = await readLayerTar(tarBytes, Readable.from([]), 'tar');
  assert.deepEqual(reading.entries.map((entry) => entry.path), ['etc/ok', 'lib/abs-link', 'lib/hard']);
  // Links pointing anywhere are facts about the image, kept as they are: nothing is ever extracted by them.
  assert.equal(reading.entries[1]!.linkTarget, '/etc/shadow');
  assert.equal(reading.entries[2]!.linkTarget, '../../outside');
  assert.deepEqual(reading.skipped.map((entry) => entry.reason), ['its path climbs out of the image with ".."', 'its path climbs out of the image with ".."', 'its name is 1048581 characters long, more than any file system allows (4096)']);
  assert.ok(reading.skipped.every((entry) => entry.name.length <= 200));
});
