// Each layer's entry list kept on disk by diff_id (layers are immutable, so an entry never goes
// stale): reopening an image, or another sharing its layers, reads no archive when every layer
// is here. Files are gzip'd JSON written atomically; a file that does not read back whole (a
// torn write, a disk error, an edit) is deleted and read again from the engine, never trusted.
// Bounded in bytes, the least recently used evicted first. No `vscode` import.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { type LayerEntry, type LayerEntryType } from '../image/layerEntry';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const FORMAT = 1;
const DIFF_ID = /^sha256:[0-9a-f]{64}$/;
const TYPES: readonly LayerEntryType[] = ['file', 'directory', 'symlink', 'hardlink', 'other'];
/** The default bound: ample for thousands of layers (an index of 100,000 entries is about 1 MB). */
export const DEFAULT_LAYER_CACHE_BYTES = 512 * 1024 * 1024;

type Row = [path: string, type: number, size: number, mode: number, uid: number, gid: number, linkTarget?: string];

export interface CacheProblem {
  diffId: string;
  reason: string;
}

export class LayerIndexCache {
  constructor(
    readonly dir: string,
    private readonly maxBytes = DEFAULT_LAYER_CACHE_BYTES,
    /** Told about a file that did not read back (it is deleted); the caller logs it. */
    private readonly onProblem: (problem: CacheProblem) => void = () => undefined,
  ) {}

  private fileOf(diffId: string): string {
    return path.join(this.dir, `${diffId.slice('sha256:'.length)}.json.gz`);
  }

  /** The layer's entries, or undefined when not cached (or the file was unreadable, now gone). */
  async get(diffId: string): Promise<LayerEntry[] | undefined> {
    if (!DIFF_ID.test(diffId)) return undefined;
    const file = this.fileOf(diffId);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch {
      return undefined;
    }
    try {
      const value = JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as { format?: unknown; diffId?: unknown; rows?: unknown };
      if (value.format !== FORMAT || value.diffId !== diffId || !Array.isArray(value.rows)) throw new Error('not a layer index of this format');
      const entries = (value.rows as unknown[]).map(toEntry);
      const now = new Date();
      await fs.utimes(file, now, now).catch(() => undefined);
      return entries;
    } catch (error) {
      await fs.rm(file, { force: true });
      this.onProblem({ diffId, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  async put(diffId: string, entries: readonly LayerEntry[]): Promise<void> {
    if (!DIFF_ID.test(diffId)) return;
    await fs.mkdir(this.dir, { recursive: true });
    const rows = entries.map((entry): Row => {
      const row: Row = [entry.path, TYPES.indexOf(entry.type), entry.size, entry.mode, entry.uid, entry.gid];
      if (entry.linkTarget !== undefined) row.push(entry.linkTarget);
      return row;
    });
    const bytes = await gzipAsync(Buffer.from(JSON.stringify({ format: FORMAT, diffId, rows })));
    const file = this.fileOf(diffId);
    const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, file);
    await this.evict();
  }

  /** Files and bytes held. */
  async usage(): Promise<{ files: number; bytes: number }> {
    const files = await this.files();
    return { files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
  }

  async clear(): Promise<{ files: number; bytes: number }> {
    const usage = await this.usage();
    await fs.rm(this.dir, { recursive: true, force: true });
    return usage;
  }

  private async files(): Promise<Array<{ file: string; size: number; used: number }>> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const stats = await Promise.all(
      names
        .filter((name) => name.endsWith('.json.gz'))
        .map(async (name) => {
          const file = path.join(this.dir, name);
          const stat = await fs.stat(file).catch(() => undefined);
          return stat ? { file, size: stat.size, used: stat.mtimeMs } : undefined;
        }),
    );
    return stats.filter((stat): stat is NonNullable<typeof stat> => stat !== undefined);
  }

  /** Deletes the least recently used files until the rest fit the bound. */
  private async evict(): Promise<void> {
    const files = await this.files();
    let total = files.reduce((sum, file) => sum + file.size, 0);
    if (total <= this.maxBytes) return;
    files.sort((a, b) => a.used - b.used);
    for (const file of files) {
      if (total <= this.maxBytes) break;
      await fs.rm(file.file, { force: true });
      total -= file.size;
    }
  }
}

function toEntry(row: unknown): LayerEntry {
  if (!Array.isArray(row) || row.length < 6 || typeof row[0] !== 'string' || !row.slice(1, 6).every((value) => Number.isFinite(value))) throw new Error('a row is not an entry');
  const type = TYPES[row[1] as number];
  if (!type) throw new Error('an entry has an unknown type');
  const entry: LayerEntry = { path: row[0], type, size: row[2] as number, mode: row[3] as number, uid: row[4] as number, gid: row[5] as number };
  if (typeof row[6] === 'string') entry.linkTarget = row[6];
  return entry;
}
