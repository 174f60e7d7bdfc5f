// Large image lists for benchmarks, made through the engine API rather than thousands of CLI runs.
import * as crypto from 'node:crypto';
import { type TestEngine } from './engine';
import { engineRequest } from './engineApi';
import { tagImage } from './fixtures';
import { createTar, type TarEntry } from './tarball';

const TAG_CONCURRENCY = 16;
// Images per `docker load` request: keeps each archive a few hundred KB.
const LOAD_BATCH = 500;

/**
 * Puts `count` tags on `source`, spread `tagsPerRepo` to a repository:
 * "<repoPrefix>-0:v0" ... "<repoPrefix>-0:v9", "<repoPrefix>-1:v10", ... Returns the references.
 */
export async function tagManyImages(
  engine: TestEngine,
  source: string,
  count: number,
  repoPrefix = 'layerlens-bench/many',
  tagsPerRepo = 10,
): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `${repoPrefix}-${Math.floor(i / tagsPerRepo)}:v${i}`);
  await mapWithConcurrency(refs, TAG_CONCURRENCY, (ref) => tagImage(engine, source, ref));
  return refs;
}

/**
 * Creates `count` images with distinct IDs, tagged "<repoPrefix>:<i>", created one second apart.
 * They share one tiny layer and differ by config (a label), so dockerd unpacks a single layer and
 * the whole set loads in a few `docker load`-format requests instead of `count` imports.
 */
export async function createManyImages(
  engine: TestEngine,
  count: number,
  repoPrefix = 'layerlens-bench/distinct',
): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `${repoPrefix}:${i}`);
  const layer = createTar([{ path: 'bench.txt', type: 'file', content: 'layerlens bench image\n' }]);
  for (let first = 0; first < count; first += LOAD_BATCH) {
    const batch = refs.slice(first, first + LOAD_BATCH);
    await loadArchive(engine, imageArchive(batch, first, layer));
  }
  return refs;
}

/** A `docker save`-format tarball: manifest.json naming each image's config, tags and layers. */
function imageArchive(refs: string[], firstIndex: number, layer: Buffer): Buffer {
  const diffId = `sha256:${crypto.createHash('sha256').update(layer).digest('hex')}`;
  const entries: TarEntry[] = [{ path: 'layer.tar', type: 'file', content: layer }];
  const manifest = refs.map((ref, offset) => {
    const index = firstIndex + offset;
    const created = new Date(Date.UTC(2024, 0, 1) + index * 1000).toISOString();
    const config = {
      architecture: 'amd64',
      os: 'linux',
      created,
      config: { Cmd: ['sh'], Labels: { 'org.layerlens.bench.index': String(index) } },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created, created_by: 'layerlens bench fixture' }],
    };
    entries.push({ path: `config-${index}.json`, type: 'file', content: JSON.stringify(config) });
    return { Config: `config-${index}.json`, RepoTags: [ref], Layers: ['layer.tar'] };
  });
  entries.push({ path: 'manifest.json', type: 'file', content: JSON.stringify(manifest) });
  return createTar(entries);
}

async function loadArchive(engine: TestEngine, archive: Buffer): Promise<void> {
  const response = await engineRequest(engine.socketPath, 'POST', '/images/load?quiet=1', {
    body: archive,
    headers: { 'Content-Type': 'application/x-tar' },
    timeoutMs: 300_000,
  });
  const text = response.body.toString('utf8');
  // Load errors arrive as {"error": ...} inside a 200 progress stream.
  if (response.status !== 200 || text.includes('"error"')) {
    throw new Error(`loading generated images answered ${response.status}: ${text.trim().slice(0, 2000)}`);
  }
}

export async function mapWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
