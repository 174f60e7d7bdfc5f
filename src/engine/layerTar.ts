// One layer of an image archive, read as it streams: its compression sniffed from the first
// bytes (plain tar, gzip, zstd), its uncompressed bytes hashed (the diff_id the image config
// names), and its tar's headers listed while every body is skipped. Nothing is buffered
// beyond the stream's own chunks. No `vscode` import.

import { createHash } from 'node:crypto';
import { Transform, type TransformCallback, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import * as tar from 'tar-stream';
import { type LayerEntry, type LayerEntryType } from '../image/layerEntry';

export type LayerCompression = 'tar' | 'gzip' | 'zstd';

/** What the first bytes say a blob is; undefined for anything else (a JSON config, a manifest). */
export function sniffLayerCompression(head: Uint8Array): LayerCompression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  // "ustar" at 257: a POSIX or GNU tar header.
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/** The bytes needed to sniff a blob (a tar header's magic sits at 257..262). */
export const SNIFF_BYTES = 512;

export interface SkippedEntry {
  /** The name as the tar has it, cut to 200 characters. */
  name: string;
  reason: string;
}

export interface LayerReading {
  /** `sha256:…` of the uncompressed tar. */
  diffId: string;
  compression: LayerCompression;
  entries: LayerEntry[];
  /** Entries left out of `entries`, each with why (a path that climbs out of the image, a name too long). */
  skipped: SkippedEntry[];
  /** Uncompressed bytes read. */
  tarBytes: number;
}

/** Longer names than this are no real file's (Linux's PATH_MAX is 4096). */
export const MAX_ENTRY_PATH = 4096;
const SKIPPED_KEPT = 100;

/** Why an entry's path cannot stand in the image's tree, or undefined when it can. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length > MAX_ENTRY_PATH) return `its name is ${path.length} characters long, more than any file system allows (${MAX_ENTRY_PATH})`;
  if (path.split('/').includes('..')) return 'its path climbs out of the image with ".."';
  if (path.includes('\0')) return 'its path holds a NUL character';
  return undefined;
}

/** A path as the model wants it: no `./` or `/` in front, no `/` at the end. */
export function normalizeEntryPath(name: string): string {
  let path = name.replace(/\\/g, '/');
  while (path.startsWith('./')) path = path.slice(2);
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return path;
}

function entryType(type: tar.Headers['type']): LayerEntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** zstd through fzstd's streaming decompressor, as a Node Transform. */
function zstdTransform(): Transform {
  // Output goes to the transform below, declared next (the callback runs only once data flows).
  const decompress = new ZstdDecompress((data) => transform.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        decompress.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        decompress.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return transform;
}

/**
 * Reads one layer from `body` (its first bytes already taken off as `head`, which sniffed it).
 * Rejects on a corrupt compressed stream or a tar cut short, with the engine of the failure
 * in the message; the caller names the layer.
 */
export async function readLayerTar(head: Buffer, body: Readable, compression: LayerCompression): Promise<LayerReading> {
  const hash = createHash('sha256');
  let tarBytes = 0;
  const entries: LayerEntry[] = [];
  const skipped: SkippedEntry[] = [];
  let skippedCount = 0;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const path = normalizeEntryPath(header.name);
    const unsafe = path ? unsafePathReason(path) : undefined;
    if (unsafe) {
      skippedCount++;
      if (skipped.length < SKIPPED_KEPT) skipped.push({ name: header.name.slice(0, 200), reason: unsafe });
    } else if (path) {
      const type = entryType(header.type);
      entries.push({
        path,
        type,
        size: type === 'file' ? header.size ?? 0 : 0,
        mode: header.mode ?? 0,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        ...(header.linkname ? { linkTarget: header.linkname } : {}),
      });
    }
    stream.on('end', next);
    stream.resume();
  });
  // One stage after the decompressor: it hashes and counts what it hands the extractor.
  const sink = extractSink(extract, (chunk) => {
    hash.update(chunk);
    tarBytes += chunk.length;
  });
  const decompressor = compression === 'gzip' ? createGunzip() : compression === 'zstd' ? zstdTransform() : undefined;
  const first = decompressor ?? sink;
  // The sniffed head goes in first; the body is piped after it.
  if (head.length) first.write(head);
  if (decompressor) await pipeline(body, decompressor, sink);
  else await pipeline(body, sink);
  if (skippedCount > skipped.length) skipped.push({ name: `…and ${skippedCount - skipped.length} more`, reason: 'as above' });
  return { diffId: `sha256:${hash.digest('hex')}`, compression, entries, skipped, tarBytes };
}

/**
 * tar-stream's extractor as a Node Writable: a pipeline waits for it to finish, and a tar cut
 * short ("Unexpected end of data") rejects the pipeline instead of ending it quietly.
 */
function extractSink(extract: tar.Extract, tap: (chunk: Buffer) => void): Writable {
  let finished: (() => void) | undefined;
  let failure: Error | undefined;
  extract.on('finish', () => finished?.());
  extract.on('close', () => finished?.());
  extract.on('error', (error: Error) => {
    failure = error;
    finished?.();
  });
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (failure) return callback(failure);
      tap(chunk);
      if (extract.write(chunk)) callback();
      else extract.once('drain', () => callback(failure));
    },
    final(callback) {
      finished = () => {
        finished = undefined;
        callback(failure);
      };
      extract.end();
    },
  });
}
