// The Layers model for a synthetic image with 120 layers (and 60 metadata entries) built FROM a
// 5-layer base, with 2,000 local images sharing parts of its chain: from the engine's parsed
// inspect + history JSON to the panel's rows (alignment, base image, sharing, Dockerfile lines).
// Anchor, measured in the same run: JSON.parse of that same inspect + history payload.
// Target: the model under 20 ms. The index over the 2,000 images' layers is built once per set
// of images (and cached by the engine read); its cost is printed too.
// Then (BENCH_ENGINE=0 skips it) what reading every local image's layers costs on a real engine
// with 2,000 images: the first read inspects each one, later reads only list them; anchor: the
// bare GET /images/json on the same socket.

import { createHash } from 'node:crypto';
import { buildImageLayersModel, LocalLayerIndex, type LocalImageLayers } from '../src/layers/model';
import { createDockerClients } from '../src/engine/client';
import { parseDockerHost } from '../src/engine/connection';
import { imageLayersFromEngine, LocalIndexCache } from '../src/layers/engineLayers';
import { ImageFactsCache, type EngineHistoryItem, type EngineImageInspect } from '../src/engine/imageFacts';
import { listLocalImages } from '../src/engine/images';
import { createManyImages, engineRequest, importBusyboxBase, startTestEngine } from '../test/env';
import { median, ms, report, timeRuns } from './stats';

const LAYERS = Number(process.env.BENCH_LAYERS ?? 120);
const LOCAL_IMAGES = Number(process.env.BENCH_LOCAL_IMAGES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 51);
const BASE_LAYERS = 5;
const BK = 'buildkit.dockerfile.v0';

const digest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

interface Synthetic {
  inspectJson: string;
  historyJson: string;
  dockerfile: string;
  locals: LocalImageLayers[];
}

/** Deterministic: the same image, history, Dockerfile and local images every run. */
function synthesize(): Synthetic {
  const diffIds = Array.from({ length: LAYERS }, (_, i) => digest(`layer-${i}`));
  const history: EngineHistoryItem[] = [];
  const lines = ['FROM bench/base:1', 'ARG VERSION=1.2.3'];
  const add = (createdBy: string, size: number, comment = BK): void => {
    history.push({ Id: '<missing>', Created: 1_700_000_000 + history.length, CreatedBy: createdBy, Tags: null, Size: size, Comment: comment });
  };
  for (let i = 0; i < BASE_LAYERS; i++) add(i === 0 ? '/bin/sh -c #(nop) ADD file:0123 in / ' : `/bin/sh -c apt-get install -y base-${i}`, 1000 + i, '');
  add('/bin/sh -c #(nop)  CMD ["bash"]', 0, '');
  add('ARG VERSION=1.2.3', 0);
  for (let layer = BASE_LAYERS; layer < LAYERS; layer++) {
    const k = layer - BASE_LAYERS;
    if (k % 2 === 0) {
      add(`ENV STEP_${k}=value-${k} VERSION_${k}=\${VERSION}`.replace('${VERSION}', '1.2.3'), 0);
      lines.push(`ENV STEP_${k}=value-${k} VERSION_${k}=\${VERSION}`);
    }
    if (k % 3 === 0) {
      add(`COPY src/part-${k}/ /app/part-${k}/ # buildkit`, 4096 * k);
      lines.push(`COPY src/part-${k}/ /app/part-${k}/`);
    } else {
      // Every seventh RUN writes no bytes.
      add(`RUN |1 VERSION=1.2.3 /bin/sh -c apt-get install -y package-${k}=$VERSION && rm -rf /var/lib/apt/lists/* # buildkit`, k % 7 === 0 ? 0 : 10_000 + k);
      lines.push(`RUN apt-get install -y package-${k}=$VERSION \\\n && rm -rf /var/lib/apt/lists/*`);
    }
  }
  add('CMD ["/app/start"]', 0);
  lines.push('CMD ["/app/start"]');
  const id = digest('image');
  history[history.length - 1]!.Id = id;
  const inspect: EngineImageInspect = {
    Id: id,
    RepoTags: ['bench/app:latest'],
    RepoDigests: [],
    Created: new Date(1_700_000_000_000).toISOString(),
    Size: history.reduce((sum, item) => sum + item.Size, 0),
    Os: 'linux',
    Architecture: 'amd64',
    RootFS: { Type: 'layers', Layers: diffIds },
  };
  // Local images: the base, then images on every prefix of the chain with 0-4 layers of their own.
  const locals: LocalImageLayers[] = [{ id: digest('base'), repoTags: ['bench/base:1'], repoDigests: [], created: 1, diffIds: diffIds.slice(0, BASE_LAYERS) }];
  for (let j = 1; j < LOCAL_IMAGES; j++) {
    const prefix = (j * 7) % (LAYERS + 1);
    const own = Array.from({ length: j % 5 }, (_, n) => digest(`own-${j}-${n}`));
    locals.push({ id: digest(`local-${j}`), repoTags: j % 3 ? [`bench/img-${j}:1`] : [], repoDigests: [], created: j, diffIds: [...diffIds.slice(0, prefix), ...own] });
  }
  locals.push({ id, repoTags: ['bench/app:latest'], repoDigests: [], created: LOCAL_IMAGES + 1, diffIds });
  return { inspectJson: JSON.stringify(inspect), historyJson: JSON.stringify([...history].reverse()), dockerfile: `${lines.join('\n')}\n`, locals };
}

function modelBench(): void {
  const synthetic = synthesize();
  const parse = (): [EngineImageInspect, EngineHistoryItem[]] => [JSON.parse(synthetic.inspectJson) as EngineImageInspect, JSON.parse(synthetic.historyJson) as EngineHistoryItem[]];
  const index = LocalLayerIndex.build(synthetic.locals);
  const [inspect, history] = parse();
  const model = (withDockerfile: boolean): ReturnType<typeof buildImageLayersModel> =>
    buildImageLayersModel(imageLayersFromEngine(inspect, history), { index, dockerfile: withDockerfile ? { text: synthetic.dockerfile } : undefined });

  // Check the work is the real one before timing it.
  const check = model(true);
  const attributed = check.rows.filter((row) => row.dockerfile).length;
  const layerRows = check.rows.filter((row) => row.kind === 'layer').length;
  const sharedEntries = check.rows.reduce((sum, row) => sum + (row.shared?.count ?? 0), 0);
  if (layerRows !== LAYERS || check.base?.layerCount !== BASE_LAYERS || attributed !== check.dockerfile?.stepCount) {
    throw new Error(`unexpected model: ${layerRows} layer rows, base ${check.base?.layerCount}, ${attributed}/${check.dockerfile?.stepCount} attributed, problems ${check.problems.join(',')}`);
  }
  console.log(`setup: ${LAYERS} layers, ${history.length} history entries, ${synthetic.locals.length} local images; ${attributed} entries attributed, ${sharedEntries} sharing entries; payload ${((synthetic.inspectJson.length + synthetic.historyJson.length) / 1000).toFixed(0)} kB`);

  // Warm up, then interleaved rounds so a noisy neighbour slows all alike.
  for (let i = 0; i < 10; i++) {
    parse();
    model(true);
    model(false);
    LocalLayerIndex.build(synthetic.locals);
  }
  const samples = { parse: [] as number[], full: [] as number[], layersOnly: [] as number[], index: [] as number[] };
  const time = (into: number[], work: () => unknown): void => {
    const started = performance.now();
    work();
    into.push(performance.now() - started);
  };
  for (let run = 0; run < RUNS; run++) {
    time(samples.parse, parse);
    time(samples.full, () => model(true));
    time(samples.layersOnly, () => model(false));
    time(samples.index, () => LocalLayerIndex.build(synthetic.locals));
  }
  const [p, f, l, i] = [median(samples.parse), median(samples.full), median(samples.layersOnly), median(samples.index)];
  console.log(`medians of ${RUNS}: JSON.parse of inspect + history ${ms(p)}, model with Dockerfile ${ms(f)}, without ${ms(l)}, index of ${synthetic.locals.length} images ${ms(i)}`);
  report(`model, ${LAYERS} layers, ${LOCAL_IMAGES} local images, with Dockerfile`, ms(f), f / p, '< 20 ms', f < 20);
  report('model without a Dockerfile', ms(l), l / p, '< 20 ms', l < 20);
  report(`index of ${synthetic.locals.length} images' layers (once per image set)`, ms(i), i / p, '< 20 ms', i < 20);
}

async function engineReadBench(): Promise<void> {
  const engine = await startTestEngine();
  try {
    await importBusyboxBase(engine);
    const started = Date.now();
    await createManyImages(engine, LOCAL_IMAGES);
    console.log(`setup: ${LOCAL_IMAGES} distinct images on a throwaway engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { calls } = await createDockerClients(parseDockerHost(engine.dockerHost, 'setting'));
    const bare = async (): Promise<number> => (await engineRequest(engine.socketPath, 'GET', '/images/json')).body.length;
    // As the Layers loader reads it: the list (LocalImagesModel's call), then the index over the facts cache.
    const indexOf = async (facts: ImageFactsCache, indexes = new LocalIndexCache()) => indexes.index(calls, facts, await listLocalImages(calls));
    const warm = { facts: new ImageFactsCache(), indexes: new LocalIndexCache() };
    const first = await timeRuns(1, () => indexOf(warm.facts, warm.indexes));
    const cold = [...first, ...(await timeRuns(2, () => indexOf(new ImageFactsCache())))];
    const samples = { bare: [] as number[], warm: [] as number[] };
    for (let round = 0; round < 9; round++) {
      samples.bare.push(...(await timeRuns(1, bare)));
      samples.warm.push(...(await timeRuns(1, () => indexOf(warm.facts, warm.indexes))));
    }
    const [c, w, b] = [median(cold), median(samples.warm), median(samples.bare)];
    const images = (await indexOf(warm.facts, warm.indexes)).images.length;
    console.log(`medians: first read of ${images} images' layers ${ms(c)} (one inspect each, 8 at a time), later reads ${ms(w)}, bare GET /images/json ${ms(b)}`);
    report(`layers of ${images} local images, first read`, ms(c), c / b, 'info', true);
    report('layers of every local image, later reads (cached by ID)', ms(w), w / b, '<= 1.5', w / b <= 1.5);
  } finally {
    await engine.dispose();
  }
}

async function main(): Promise<void> {
  modelBench();
  if (process.env.BENCH_ENGINE !== '0') await engineReadBench();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
