// An image's layers read from its archive (`GET /images/{name}/get`, what `docker save`
// streams), one pass, nothing buffered but small JSON files: each layer blob is sniffed,
// decompressed, hashed and its tar headers listed as it goes by; at the end the manifest says
// which blob is which layer, and each layer's hash is checked against the config's diff_id.
// No `vscode` import.

import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import type Dockerode from 'dockerode';
import { type LayerEntries } from '../image/layerEntry';
import { errorText } from '../util/errors';
import { archiveLayers, ImageArchiveError } from './archiveLayout';
import { type LayerCompression, type LayerReading, normalizeEntryPath, readLayerTar, type SkippedEntry, sniffLayerCompression, SNIFF_BYTES } from './layerTar';

export { ImageArchiveError } from './archiveLayout';

/** JSON files (manifests, configs) larger than this are not read: no real one comes close. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

export interface ArchiveLayer extends LayerEntries {
  /** Where it was in the archive. */
  path: string;
  /** Entries not in `entries`, and why (see layerTar.ts unsafePathReason). */
  skipped: SkippedEntry[];
  compression: LayerCompression;
  tarBytes: number;
}

export interface ImageArchiveReading {
  layers: ArchiveLayer[];
  /** Bytes of the archive read. */
  archiveBytes: number;
}

export interface ArchiveReadOptions {
  signal?: AbortSignal;
  /** Bytes of the archive read so far; called per chunk (the caller throttles). */
  onProgress?: (bytesRead: number) => void;
}

/** The Engine's archive of one image, read into its layers (see readImageArchive). */
export async function readEngineImageLayers(docker: Dockerode, name: string, options: ArchiveReadOptions = {}): Promise<ImageArchiveReading> {
  const archive = (await docker.getImage(name).get()) as unknown as Readable;
  return readImageArchive(archive, name, options);
}

type Blob = { kind: 'layer'; reading: LayerReading } | { kind: 'failed'; error: unknown } | { kind: 'json'; bytes: Buffer };

/** Reads an image archive stream (both layouts); `image` names it in messages. */
export async function readImageArchive(archive: Readable, image: string, options: ArchiveReadOptions = {}): Promise<ImageArchiveReading> {
  const blobs = new Map<string, Blob>();
  const links = new Map<string, string>();
  let archiveBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      archiveBytes += chunk.length;
      options.onProgress?.(archiveBytes);
      callback(null, chunk);
    },
  });
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const path = normalizeEntryPath(header.name);
    if (header.type === 'symlink' && header.linkname) links.set(path, joinLink(path, header.linkname));
    if (header.type !== 'file' && header.type !== 'contiguous-file') {
      stream.on('end', next);
      stream.resume();
      return;
    }
    readBlob(stream, header.size ?? 0)
      .then((blob) => {
        if (blob) blobs.set(path, blob);
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });
  const abort = (): void => {
    archive.destroy(new ImageArchiveError(`Reading the layers of ${image} was cancelled.`));
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) abort();
    await pipeline(archive, counter, extract as unknown as NodeJS.WritableStream);
  } catch (error) {
    if (error instanceof ImageArchiveError) throw error;
    if (options.signal?.aborted) throw new ImageArchiveError(`Reading the layers of ${image} was cancelled.`);
    throw new ImageArchiveError(`The image archive of ${image} could not be read (after ${archiveBytes} bytes): ${errorText(error)}. If the engine stopped or the image was removed meanwhile, start it again or pick the image again.`, { cause: error });
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }

  const resolve = (path: string): string => {
    let current = path;
    for (let hops = 0; links.has(current) && hops < 8; hops++) current = links.get(current)!;
    return current;
  };
  const readJson = (path: string): unknown => {
    const blob = blobs.get(resolve(path));
    if (blob?.kind !== 'json') return undefined;
    try {
      return JSON.parse(blob.bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const refs = archiveLayers(readJson, image);
  const layers: ArchiveLayer[] = [];
  for (const [index, ref] of refs.entries()) {
    const where = `layer ${index + 1} of ${refs.length} (${ref.path})`;
    const blob = blobs.get(resolve(ref.path));
    if (!blob) throw new ImageArchiveError(`The image archive of ${image} lacks ${where}: the archive was cut short or is not complete. Read it again.`);
    if (blob.kind === 'failed') throw new ImageArchiveError(`${capitalize(where)} of ${image} cannot be read: ${errorText(blob.error)}.`, { cause: blob.error });
    // A small blob no sniff recognised (an empty layer is 1 KB of zeros) is read as a plain tar.
    const reading = blob.kind === 'layer' ? blob.reading : await readLayerTar(blob.bytes, Readable.from([]), sniffLayerCompression(blob.bytes) ?? 'tar').catch((error: unknown) => {
      throw new ImageArchiveError(`${capitalize(where)} of ${image} cannot be read as a tar: ${errorText(error)}.`, { cause: error });
    });
    if (reading.diffId !== ref.diffId) {
      throw new ImageArchiveError(`${capitalize(where)} of ${image} hashes to ${reading.diffId}, but the image config says ${ref.diffId}: the archive is corrupt or changed while it was read. Read it again; if it persists, the image in the engine is damaged.`);
    }
    layers.push({ path: ref.path, diffId: reading.diffId, compression: reading.compression, tarBytes: reading.tarBytes, entries: reading.entries, skipped: reading.skipped });
  }
  return { layers, archiveBytes };
}

/** A blob: a layer (read as it streams), a small JSON file (kept), or neither (skipped). */
async function readBlob(stream: Readable, size: number): Promise<Blob | undefined> {
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const head = Buffer.concat(headChunks);
  const rest = Readable.from(done ? [] : remaining(iterator));
  const compression = sniffLayerCompression(head);
  if (compression) {
    try {
      return { kind: 'layer', reading: await readLayerTar(head, rest, compression) };
    } catch (error) {
      // Keep reading the archive: the layer is named at the end, if the image needs it.
      for await (const chunk of rest) void chunk;
      return { kind: 'failed', error };
    }
  }
  if (size > MAX_JSON_BYTES) {
    for await (const chunk of rest) void chunk;
    return undefined;
  }
  const chunks: Buffer[] = [head];
  for await (const chunk of rest) chunks.push(chunk as Buffer);
  return { kind: 'json', bytes: Buffer.concat(chunks) };
}

async function* remaining(iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/** A symlink's target as an archive path: `abc/layer.tar` -> `../blobs/sha256/x` is `blobs/sha256/x`. */
function joinLink(path: string, target: string): string {
  const parts = target.startsWith('/') ? [] : path.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
