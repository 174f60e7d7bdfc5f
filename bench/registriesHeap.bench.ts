// The Registries view in a real extension host (code-server): expanding a repository with
// 10,000 tags, every page loaded; prints the time to the first page and the extra heap.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pushManyTags, startTestRegistry } from '../test/env';
import { makeTempDir } from '../test/env/cleanup';
import { runExtensionTests } from '../test/extension/run';
import { ms, report } from './stats';

const TAGS = Number(process.env.BENCH_TAGS ?? 10_000);
const REPOSITORY = 'bench/heap';

async function main(): Promise<void> {
  const registry = await startTestRegistry();
  try {
    await pushManyTags(registry, REPOSITORY, TAGS);
    const resultFile = path.join(makeTempDir(), 'heap.json');
    const result = await runExtensionTests({
      grep: 'benchmark',
      env: { LAYERLENS_TEST_REGISTRY: registry.host, LAYERLENS_BENCH_HEAP_FILE: resultFile, LAYERLENS_BENCH_REPOSITORY: REPOSITORY, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      log: () => undefined,
    });
    if (result.failed || !fs.existsSync(resultFile)) throw new Error(`the heap measurement failed: ${result.failures.join('; ')}`);
    const measured = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { tags: number; firstPageMs: number; allMs: number; extraMb: number };
    console.log(`${measured.tags} rows; first page ${ms(measured.firstPageMs)}; every page ${ms(measured.allMs)}`);
    report(`extension host: extra heap for ${TAGS} tags expanded`, `${measured.extraMb.toFixed(1)} MB`, measured.extraMb / 60, '<= 60 MB', measured.extraMb <= 60);
  } finally {
    await registry.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
