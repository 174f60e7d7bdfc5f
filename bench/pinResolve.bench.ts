// The pin status of every FROM in a Dockerfile of 30 FROM lines over 8 distinct images, spread
// over two registries (4 each: Dockerfiles mix hosts), each behind a proxy that adds 40 ms to
// every answer, as a registry across a network. Counted at the proxies: registry requests for
// the whole file (target: one per distinct image, 8). Timed: all 30 statuses, from a cold cache,
// against the anchor measured in the same run through the same proxies: the slowest single HEAD
// of the 8 (a bare fetch, one at a time). With 4 requests in flight per host, the 8 go out in
// one round: target 1.5x. Informational: all 8 images in one registry, two rounds (~2x).

import { type PinnableImage, parsePinnableDockerfile } from '../src/pinning/pinnable';
import { pinStatus, type PinStatus } from '../src/pinning/pinStatus';
import { RegistryClient } from '../src/registry/client';
import { DigestResolver } from '../src/registry/digestResolver';
import { MANIFEST_ACCEPT } from '../src/registry/manifest';
import { parseReference } from '../src/image/reference';
import { pushMultiPlatformIndex, pushTinyImage, startTestRegistry, type TestRegistry } from '../test/env';
import { type FaultProxy, startFaultProxy } from '../test/env/faultProxy';
import { median, ms, report, timeRuns } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 40);
const FROM_LINES = 30;

interface Image {
  /** repository:tag inside its registry */
  name: string;
  digest: string;
}

/** 4 images in a registry: one a two-platform index (as most public bases are), three single manifests. */
async function pushImages(registry: TestRegistry, prefix: string): Promise<Image[]> {
  const index = await pushMultiPlatformIndex(registry, `${prefix}/base`, '3.19');
  const singles = await Promise.all(['golang:1.22', 'node:20', 'tools:7'].map(async (name) => {
    const [repository, tag] = name.split(':') as [string, string];
    const image = await pushTinyImage(registry, `${prefix}/${repository}`, tag);
    return { name: `${prefix}/${name}`, digest: image.digest };
  }));
  return [{ name: `${prefix}/base:3.19`, digest: index.digest }, ...singles];
}

/** 30 FROM lines cycling over the images; every third pinned to its current digest, every seventh with --platform=$BUILDPLATFORM. */
function dockerfileText(references: Array<{ reference: string; digest: string }>): string {
  const lines: string[] = ['# syntax=docker/dockerfile:1'];
  for (let i = 0; i < FROM_LINES; i++) {
    const image = references[i % references.length]!;
    const pinned = i % 3 === 2 ? `${image.reference}@${image.digest}` : image.reference;
    const platform = i % 7 === 6 ? '--platform=$BUILDPLATFORM ' : '';
    lines.push(`FROM ${platform}${pinned} AS stage${i}`, `RUN echo ${i} > /stage`);
  }
  return lines.join('\n') + '\n';
}

/** parsePinnableDockerfile's images when the parser is there; otherwise the same images built by hand. */
function imagesOf(text: string): { images: PinnableImage[]; by: string } {
  try {
    const images = parsePinnableDockerfile(text).images.filter((image) => image.site === 'from');
    if (images.length === FROM_LINES) return { images, by: 'parsePinnableDockerfile' };
  } catch {
    // The parser is built concurrently; until it is, the FROM lines are read here.
  }
  const images: PinnableImage[] = [];
  let offset = 0;
  for (const [line, content] of text.split('\n').entries()) {
    const match = /^FROM (--platform=(\S+) )?(\S+) AS (\S+)$/.exec(content);
    if (match) {
      const imageText = match[3]!;
      const start = offset + content.indexOf(imageText);
      const image: PinnableImage = {
        site: 'from',
        kind: 'image',
        stageIndex: images.length,
        stageName: match[4],
        line,
        text: imageText,
        span: { start, end: start + imageText.length },
        expanded: imageText,
        unresolved: [],
        reference: parseReference(imageText),
        pinTarget: { kind: 'image', span: { start, end: start + imageText.length } },
      };
      const platform = match[2];
      if (platform) {
        const variable = /^\$\{?(\w+)\}?$/.exec(platform)?.[1];
        image.platform = variable ? { text: platform, unresolved: [variable] } : { text: platform, expanded: platform, unresolved: [] };
      }
      images.push(image);
    }
    offset += content.length + 1;
  }
  return { images, by: 'hand (parsePinnableDockerfile is not implemented yet)' };
}

function freshResolver(): DigestResolver {
  const clients = new Map<string, RegistryClient>();
  return new DigestResolver({
    clientFor: (host) => {
      let client = clients.get(host);
      if (!client) clients.set(host, (client = new RegistryClient({ host, getCredential: () => Promise.resolve(undefined), userAgent: 'layerlens-bench' })));
      return client;
    },
  });
}

async function resolveAll(images: readonly PinnableImage[]): Promise<PinStatus[]> {
  const resolver = freshResolver();
  return Promise.all(images.map((image) => pinStatus(image, resolver, {})));
}

/** One HEAD of each reference, one at a time, by bare fetch: the slowest is the anchor. */
async function slowestSingleHead(references: readonly string[]): Promise<number> {
  let slowest = 0;
  for (const reference of references) {
    const ref = parseReference(reference);
    const started = performance.now();
    const response = await fetch(`http://${ref.domain}/v2/${ref.path}/manifests/${ref.tag ?? 'latest'}`, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT.join(', ') } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`HEAD ${reference} answered ${response.status}`);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

async function measure(label: string, proxies: FaultProxy[], images: Array<{ host: string; image: Image }>, target: number | undefined): Promise<void> {
  const references = images.map(({ host, image }) => ({ reference: `${host}/${image.name}`, digest: image.digest }));
  const text = dockerfileText(references);
  const { images: parsed, by } = imagesOf(text);
  const distinct = new Set(parsed.map((image) => `${image.reference?.domain}/${image.reference?.path}:${image.reference?.tag}`)).size;

  const requestsBefore = proxies.reduce((sum, proxy) => sum + proxy.requests.length, 0);
  const statuses = await resolveAll(parsed);
  const requests = proxies.reduce((sum, proxy) => sum + proxy.requests.length, 0) - requestsBefore;
  const kinds = new Map<string, number>();
  for (const status of statuses) kinds.set(status.kind, (kinds.get(status.kind) ?? 0) + 1);
  const errors = statuses.filter((status) => status.kind === 'error');
  if (errors.length) throw new Error(`${label}: ${errors.length} statuses are errors, first: ${JSON.stringify(errors[0])}`);
  console.log(`${label}: ${parsed.length} FROM lines (images by ${by}), ${distinct} distinct images; statuses ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);

  const batch: number[] = [];
  const anchor: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    anchor.push(await slowestSingleHead(references.map((r) => r.reference)));
    batch.push(...(await timeRuns(1, () => resolveAll(parsed))));
  }
  const [b, a] = [median(batch), median(anchor)];
  console.log(`${label}: medians of ${RUNS}: all ${parsed.length} statuses ${ms(b)}, slowest single HEAD ${ms(a)} (proxy delay ${DELAY_MS} ms)`);
  report(`${label}: registry requests for ${parsed.length} FROM lines`, String(requests), requests / distinct, `<= ${distinct}`, requests <= distinct);
  if (target === undefined) report(`${label}: ${parsed.length} statuses / slowest single HEAD`, ms(b), b / a, 'info', true);
  else report(`${label}: ${parsed.length} statuses / slowest single HEAD`, ms(b), b / a, `<= ${target}`, b / a <= target);
}

async function main(): Promise<void> {
  const registries = await Promise.all([startTestRegistry(), startTestRegistry(), startTestRegistry()]);
  const proxies: FaultProxy[] = [];
  try {
    const [a, b, solo] = registries;
    const started = Date.now();
    const [imagesA, imagesB, imagesSolo] = await Promise.all([
      pushImages(a, 'alpha'),
      pushImages(b, 'beta'),
      Promise.all([pushImages(solo, 'one'), pushImages(solo, 'two')]).then((lists) => lists.flat()),
    ]);
    for (const registry of registries) proxies.push(await startFaultProxy(registry.url, { delayMs: DELAY_MS }));
    const [proxyA, proxyB, proxySolo] = proxies as [FaultProxy, FaultProxy, FaultProxy];
    console.log(`setup: 16 images in 3 registries in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Interleaved, as a real multi-stage Dockerfile mixes its bases.
    const twoHosts = imagesA.flatMap((image, i) => [{ host: proxyA.host, image }, { host: proxyB.host, image: imagesB[i]! }]);
    await measure('two registries, 4 images each', [proxyA, proxyB], twoHosts, 1.5);
    await measure('one registry, 8 images (two rounds of 4)', [proxySolo], imagesSolo.map((image) => ({ host: proxySolo.host, image })), undefined);
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(registries.map((registry) => registry.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
