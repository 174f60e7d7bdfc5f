// Listing 10,000 tags of one repository through the registry client, against the bare fetch of
// the same pages in one run: the first page's time (one round trip), the whole list's time, and
// the extra heap the listing, sorting and tag nodes' data take.

import { RegistryClient } from '../src/registry/client';
import { compareTagsNewestFirst } from '../src/image/tagOrder';
import { pushManyTags, startTestRegistry } from '../test/env';
import { median, ms, report, timeRuns } from './stats';

const TAGS = Number(process.env.BENCH_TAGS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const REPOSITORY = 'bench/many-tags';

async function main(): Promise<void> {
  const registry = await startTestRegistry();
  try {
    const started = Date.now();
    await pushManyTags(registry, REPOSITORY, TAGS);
    console.log(`setup: ${TAGS} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The same pages the client asks for: follow Link headers until there are none.
    const bare = async (): Promise<number> => {
      let url: string | undefined = `${registry.url}/v2/${REPOSITORY}/tags/list?n=100`;
      let count = 0;
      while (url) {
        const response: Response = await fetch(url);
        const body = (await response.json()) as { tags: string[] };
        count += body.tags.length;
        const link = response.headers.get('link');
        url = link ? new URL(/<([^>]+)>/.exec(link)![1]!, registry.url).toString() : undefined;
      }
      return count;
    };
    const client = new RegistryClient({ host: registry.host, getCredential: () => Promise.resolve(undefined) });
    const viaClient = async (): Promise<number> => {
      let count = 0;
      for await (const tag of client.tags(REPOSITORY)) if (tag) count++;
      return count;
    };
    const firstPage = async (): Promise<void> => {
      const iterator = client.tags(REPOSITORY);
      for (let i = 0; i < 50; i++) await iterator.next();
      await iterator.return(undefined);
    };
    if ((await bare()) !== TAGS || (await viaClient()) !== TAGS) throw new Error('the listing does not hold every tag');

    const samples = { bare: [] as number[], client: [] as number[], first: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      samples.bare.push(...(await timeRuns(1, bare)));
      samples.client.push(...(await timeRuns(1, viaClient)));
      samples.first.push(...(await timeRuns(1, firstPage)));
    }
    const [b, c, f] = [median(samples.bare), median(samples.client), median(samples.first)];
    console.log(`medians of ${RUNS}: bare fetch of every page ${ms(b)}, client ${ms(c)}, client's first page ${ms(f)}`);
    report(`all ${TAGS} tags through the client / bare fetch`, ms(c), c / b, '<= 1.2', c / b <= 1.2);
    report('first page (50 tags) / whole bare listing', ms(f), f / b, 'info', true);

    // Heap: what the view keeps for an expanded repository (the names, sorted, and a record each).
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const names: string[] = [];
    for await (const tag of client.tags(REPOSITORY)) names.push(tag);
    const rows = names.sort(compareTagsNewestFirst).map((tag) => ({ tag, reference: `${registry.host}/${REPOSITORY}:${tag}`, details: { state: 'loading' } }));
    global.gc?.();
    const extraMb = (process.memoryUsage().heapUsed - before) / 1e6;
    report(`extra heap for ${rows.length} tags listed and sorted`, `${extraMb.toFixed(1)} MB`, extraMb / 60, '<= 60 MB', extraMb <= 60);
  } finally {
    await registry.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
