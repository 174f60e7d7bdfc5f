// Refresh to the tree's first level built (list + containers + grouping), against the bare
// GET /images/json on the same socket and against `docker image ls --format json` (the CLI
// route other extensions take), side by side in one run, with 2,000 tagged images.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { groupImages } from '../src/engine/imageGroups';
import { listLocalImages } from '../src/engine/images';
import { createDockerClients } from '../src/engine/client';
import { parseDockerHost } from '../src/engine/connection';
import type Dockerode from 'dockerode';
import { createManyImages, engineRequest, importBusyboxBase, startTestEngine, tagManyImages, type TestEngine } from '../test/env';
import { interleavedMedians, ms, report } from './stats';

const IMAGE_COUNT = Number(process.env.BENCH_IMAGES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const run = promisify(execFile);

async function main(): Promise<void> {
  const engine = await startTestEngine();
  try {
    const { calls } = await createDockerClients(parseDockerHost(engine.dockerHost, 'setting'));
    const base = await importBusyboxBase(engine);

    // Two readings of "2,000 tagged images": 2,000 tags (on one image, 200 repositories of 10),
    // which is what a CI machine that tags every build accumulates, and 2,000 distinct images.
    let started = Date.now();
    await tagManyImages(engine, base, IMAGE_COUNT);
    console.log(`setup: ${IMAGE_COUNT} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await compare(engine, calls, `${IMAGE_COUNT} tags`);

    started = Date.now();
    await createManyImages(engine, IMAGE_COUNT);
    console.log(`setup: ${IMAGE_COUNT} more, distinct, tagged images in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await compare(engine, calls, `${IMAGE_COUNT} distinct images + ${IMAGE_COUNT} tags`);
  } finally {
    await engine.dispose();
  }
}

async function compare(engine: TestEngine, calls: Dockerode, label: string): Promise<void> {
  const layerlens = async (): Promise<number> => groupImages(await listLocalImages(calls)).repositories.length;
  const bare = async (): Promise<number> => (await engineRequest(engine.socketPath, 'GET', '/images/json')).body.length;
  // The 28.x client knows `--format json`; the 20.10 one only the template form.
  const modern = await run('/usr/local/bin/docker', ['version', '--format', '{{.Client.Version}}'], { env: engine.env }).then(() => true, () => false);
  const cli = async (): Promise<number> =>
    (await run(modern ? '/usr/local/bin/docker' : '/usr/bin/docker', ['image', 'ls', '--format', modern ? 'json' : '{{json .}}'], { env: engine.env, maxBuffer: 256 * 1024 * 1024 })).stdout.length;
  const groups = await layerlens();
  console.log(`check (${label}): ${groups} repositories grouped; bare body ${((await bare()) / 1000).toFixed(0)} kB; CLI output ${((await cli()) / 1000).toFixed(0)} kB`);

  // Interleaved rounds, so a noisy neighbour slows all three alike.
  const { layerlens: l, bare: b, cli: c } = await interleavedMedians(RUNS, { bare, layerlens, cli });
  console.log(`medians of ${RUNS} (${label}): Layerlens refresh ${ms(l)}, bare GET /images/json ${ms(b)}, docker image ls ${ms(c)}`);
  report(`${label}: refresh / bare GET /images/json`, ms(l), l / b, '<= 1.3', l / b <= 1.3);
  report(`${label}: docker image ls / refresh`, ms(c), c / l, '>= 3', c / l >= 3);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
