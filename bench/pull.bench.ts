// Pulling a 5-layer image from a loopback registry through Layerlens (with its progress
// tracking and throttled reports) against `docker pull` of the same image, both measured in
// one run with the image removed before each pull. Also: progress reports per second.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDockerClients } from '../src/engine/client';
import { parseDockerHost } from '../src/engine/connection';
import { pullImage } from '../src/engine/transfer';
import { parseReference } from '../src/image/reference';
import { busyboxRootfsTar, startTestEngine, startTestRegistry } from '../test/env';
import { makeTempDir } from '../test/env/cleanup';
import { median, ms, report } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LAYER_MB = Number(process.env.BENCH_LAYER_MB ?? 8);

async function main(): Promise<void> {
  const [engine, registry] = await Promise.all([startTestEngine(), startTestRegistry()]);
  try {
    const image = `${registry.host}/bench/five-layers:1`;
    // Its own base, so removing the image removes every one of its five layers.
    await engine.docker(['import', '-', 'layerlens-bench/pull-base:1'], { input: busyboxRootfsTar() });
    const context = makeTempDir();
    const steps = ['a', 'b', 'c', 'd'].map((name) => `RUN head -c ${LAYER_MB * 1_000_000} /dev/urandom > /${name}.bin`);
    fs.writeFileSync(path.join(context, 'Dockerfile'), ['FROM layerlens-bench/pull-base:1', ...steps].join('\n') + '\n');
    await engine.docker(['build', '--network=none', '-q', '-t', image, context], { env: { DOCKER_BUILDKIT: '0' } });
    await engine.docker(['push', image]);
    const { streams } = await createDockerClients(parseDockerHost(engine.dockerHost, 'setting'));
    const removeAll = async (): Promise<void> => {
      await engine.docker(['rmi', '-f', image]).catch(() => undefined);
      await engine.docker(['rmi', '-f', 'layerlens-bench/pull-base:1']).catch(() => undefined);
    };

    const cli: number[] = [];
    const layerlens: number[] = [];
    const gaps: number[] = [];
    let layers = 0;
    for (let run = 0; run < RUNS; run++) {
      await removeAll();
      let started = performance.now();
      await engine.docker(['pull', '-q', image]);
      cli.push(performance.now() - started);

      await removeAll();
      const reportedAt: number[] = [];
      started = performance.now();
      const result = await pullImage(streams, parseReference(image), { onProgress: () => reportedAt.push(performance.now()) });
      layerlens.push(performance.now() - started);
      // The last report is the final state, sent when the stream ends; the others keep pace.
      for (let i = 1; i < reportedAt.length - 1; i++) gaps.push(reportedAt[i]! - reportedAt[i - 1]!);
      layers = result.snapshot.layers.length;
    }
    const [c, l] = [median(cli), median(layerlens)];
    console.log(`${layers} layers of ~${LAYER_MB} MB; medians of ${RUNS}: docker pull ${ms(c)}, Layerlens ${ms(l)}`);
    report('Layerlens pull / docker pull (same image, same run)', ms(l), l / c, '<= 1.1', l / c <= 1.1);
    const smallestGap = Math.min(...gaps);
    const rate = 1000 / smallestGap;
    report(`progress reports per second (from the smallest gap, ${smallestGap.toFixed(0)} ms)`, rate.toFixed(1), rate / 10, '<= 1', rate <= 10.5);
  } finally {
    await registry.stop();
    await engine.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
