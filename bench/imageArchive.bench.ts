// Reading an image's layers (engine/imageArchive.ts: stream, hash, list every header) against
// the bare GET /images/{name}/get stream read into nothing, and against `docker save IMAGE |
// tar -t > /dev/null` (the same stream through the CLI and tar), interleaved in one run. The
// image: about 1 GB with 100,000 files (BENCH_ARCHIVE_MB, BENCH_FILES to scale it).

import { execFile } from 'node:child_process';
import * as http from 'node:http';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { readEngineImageLayers } from '../src/engine/imageArchive';
import { BASE_IMAGE, importBusyboxBase, startTestEngine } from '../test/env';
import { interleavedMedians, ms, report } from './stats';

const ARCHIVE_MB = Number(process.env.BENCH_ARCHIVE_MB ?? 1024);
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IMAGE = 'layerlens-bench/archive:1';
const run = promisify(execFile);

/** The archive stream read to its end and thrown away: the floor for any reader. */
function bareStream(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: `/images/${encodeURIComponent(IMAGE)}/get`, method: 'GET' }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve(bytes));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

async function main(): Promise<void> {
  const engine = await startTestEngine();
  try {
    await importBusyboxBase(engine);
    const started = Date.now();
    // 100,000 small files in one layer, then the bulk in a few big files in another.
    const bigFiles = Math.max(1, Math.round(ARCHIVE_MB / 256));
    const perFileMb = Math.max(1, Math.round((ARCHIVE_MB - FILES / 1024) / bigFiles));
    const dockerfile = [
      `FROM ${BASE_IMAGE}`,
      `RUN mkdir -p /many && cd /many && i=0 && while [ $i -lt ${FILES} ]; do d=$((i / 1000)); [ -d $d ] || mkdir $d; echo "file $i of the layerlens archive bench, padded to about a kilobyte $(printf '%0900d' 0)" > $d/$i.txt; i=$((i + 1)); done`,
      `RUN mkdir /big && for n in $(seq 1 ${bigFiles} 2>/dev/null || echo ${Array.from({ length: bigFiles }, (_, i) => i + 1).join(' ')}); do head -c ${perFileMb}m /dev/urandom > /big/$n.bin; done`,
      '',
    ].join('\n');
    await engine.docker(['build', '--quiet', '-t', IMAGE, '-'], { input: dockerfile, env: { DOCKER_BUILDKIT: '0' } });
    console.log(`setup: ${IMAGE} (${FILES} small files, ${bigFiles} x ${perFileMb} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const docker = new Dockerode({ socketPath: engine.socketPath });
    const layerlens = async (): Promise<number> => (await readEngineImageLayers(docker, IMAGE)).layers.reduce((sum, layer) => sum + layer.entries.length, 0);
    const bare = (): Promise<number> => bareStream(engine.socketPath);
    const cli = async (): Promise<number> => (await run('sh', ['-c', `/usr/bin/docker save ${IMAGE} | tar -t > /dev/null`], { env: engine.env })).stdout.length;
    const entries = await layerlens();
    const archiveBytes = await bare();
    console.log(`check: ${entries} entries in ${(archiveBytes / 1e9).toFixed(2)} GB of archive`);
    if (entries < FILES) throw new Error(`only ${entries} entries read, ${FILES} files written`);

    // Interleaved rounds, so a noisy neighbour slows all three alike.
    const { layerlens: l, bare: b, cli: c } = await interleavedMedians(RUNS, { bare, layerlens, cli });
    console.log(`medians of ${RUNS}: Layerlens read ${ms(l)}, bare GET /images/{name}/get ${ms(b)}, docker save | tar -t ${ms(c)}`);
    report('read layers / bare archive stream', ms(l), l / b, '<= 1.3', l / b <= 1.3);
    report('docker save | tar -t / read layers', ms(c), c / l, '>= 1', c / l >= 1);
  } finally {
    await engine.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
