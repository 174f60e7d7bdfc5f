// Large image lists for benchmarks, made through the engine API rather than thousands of CLI runs.
import { type TestEngine } from './engine';
import { engineRequest } from './engineApi';
import { splitReference, tagImage } from './fixtures';
import { createTar } from './tarball';

const TAG_CONCURRENCY = 16;
// Imports unpack a layer each: more than a couple per core only queues up in dockerd.
const IMPORT_CONCURRENCY = 4;

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
 * Creates `count` images with distinct IDs (one tiny layer each, `docker import`ed through the API),
 * tagged "<repoPrefix>:<i>". About 20 per second on 2 cores.
 */
export async function createManyImages(
  engine: TestEngine,
  count: number,
  repoPrefix = 'layerlens-bench/distinct',
): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `${repoPrefix}:${i}`);
  await mapWithConcurrency(refs, IMPORT_CONCURRENCY, async (ref, i) => {
    const { repo, tag } = splitReference(ref);
    const tar = createTar([{ path: 'image-number.txt', type: 'file', content: `${i}\n` }]);
    const query = new URLSearchParams({ fromSrc: '-', repo, tag });
    const response = await engineRequest(engine.socketPath, 'POST', `/images/create?${query.toString()}`, {
      body: tar,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    const text = response.body.toString('utf8');
    // Import errors arrive as {"error": ...} inside a 200 progress stream.
    if (response.status !== 200 || text.includes('"error"')) {
      throw new Error(`importing ${ref} answered ${response.status}: ${text.trim()}`);
    }
  });
  return refs;
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
