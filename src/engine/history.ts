// What the Layers model reads from the engine: one image's inspect and history, and the
// RootFS.Layers of every local image (for sharing and the base image).
//
// Cost: GET /images/json has no layers, so each local image is inspected once (GET
// /images/{id}/json, at most 8 at a time) and its layers cached by image ID: an ID names
// immutable content, so the cache never goes stale, and later opens pay only for new images.
// A history also costs one call; the classic builder's intermediate images are inspected only
// for entries whose layer the sizes cannot tell (a zero-byte RUN, a WORKDIR), and the base
// image's history length is read once (it says where the base's entries end).

import type Dockerode from 'dockerode';
import { alignHistoryWithLayers, type HistoryEntryInput, type ImageLayersInput } from '../layers/model';
import { LocalLayerIndex, type LocalImageLayers } from '../layers/layerIndex';
import { settleWithConcurrency } from '../util/concurrency';
import { engineMessage } from './errors';
import { realDigests, realTags } from './images';

/** The fields of GET /images/{id}/json the model uses. */
export interface EngineImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  /** RFC 3339. */
  Created?: string;
  Size?: number;
  Os?: string;
  Architecture?: string;
  Variant?: string;
  RootFS?: { Type?: string; Layers?: string[] | null } | null;
}

/** One item of GET /images/{id}/history (newest first). */
export interface EngineHistoryItem {
  /** The image this step made, or `<missing>`. */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Tags?: string[] | null;
  Size: number;
  Comment?: string;
}

export interface LocalImageSummary {
  id: string;
  repoTags: readonly string[];
  repoDigests?: readonly string[];
  /** Milliseconds since the epoch. */
  created?: number;
}

const MISSING_ID = '<missing>';
const INSPECT_CONCURRENCY = 8;

/**
 * Engine JSON -> the model's input: history turned oldest first, each entry's image and, when
 * known (`layerCounts`, by image ID), the number of layers after that step.
 */
export function imageLayersFromEngine(
  inspect: EngineImageInspect,
  history: readonly EngineHistoryItem[] | undefined,
  layerCounts: ReadonlyMap<string, number> = new Map(),
): ImageLayersInput {
  const diffIds = inspect.RootFS?.Layers ?? [];
  const created = inspect.Created ? Date.parse(inspect.Created) : Number.NaN;
  return {
    id: inspect.Id,
    repoTags: realTags(inspect.RepoTags),
    repoDigests: realDigests(inspect.RepoDigests),
    created: Number.isFinite(created) ? created : undefined,
    size: inspect.Size,
    os: inspect.Os || undefined,
    architecture: inspect.Architecture || undefined,
    variant: inspect.Variant || undefined,
    diffIds,
    history: history?.length
      ? [...history].reverse().map((item): HistoryEntryInput => {
          const imageId = item.Id && item.Id !== MISSING_ID ? item.Id : undefined;
          const layerCount = imageId === inspect.Id ? diffIds.length : imageId ? layerCounts.get(imageId) : undefined;
          return {
            createdBy: item.CreatedBy ?? '',
            comment: item.Comment ?? '',
            created: Number.isFinite(item.Created) && item.Created > 0 ? item.Created * 1000 : undefined,
            size: item.Size,
            imageId,
            layerCount,
            tags: item.Tags ?? [],
          };
        })
      : undefined,
  };
}

/**
 * One image for the model: inspect and history side by side. When some entries wrote no bytes
 * and the history alone cannot tell which of them made a layer, the intermediate images a
 * classic build left behind are inspected for their layer count, and the history aligned again.
 */
export async function readImageLayers(docker: Dockerode, nameOrId: string, cache: LocalLayersCache = new LocalLayersCache()): Promise<ImageLayersInput> {
  const [inspect, history] = await Promise.all([
    docker.getImage(nameOrId).inspect() as Promise<EngineImageInspect>,
    readHistory(docker, nameOrId),
  ]);
  cache.remember(inspect.Id, inspect.RootFS?.Layers ?? []);
  if ('problem' in history) {
    return { ...imageLayersFromEngine(inspect, undefined), historyProblem: `Docker could not list the history of ${nameOrId} (${history.problem}): its layers are shown without instructions.` };
  }
  if (history.items.length) cache.rememberHistoryLength(inspect.Id, history.items.length);
  const first = imageLayersFromEngine(inspect, history.items);
  const alignment = alignHistoryWithLayers(first.diffIds, first.history);
  if (!alignment.problems.includes('ambiguous')) return first;
  const wanted = first.history!.flatMap((entry, index) => (alignment.entries[index]!.kind === 'unattributed' && entry.imageId && entry.layerCount === undefined ? [entry.imageId] : []));
  if (!wanted.length) return first;
  const layers = await cache.layersOf(docker, wanted);
  const counts = new Map([...layers].map(([id, diffIds]) => [id, diffIds.length]));
  return imageLayersFromEngine(inspect, history.items, counts);
}

async function readHistory(docker: Dockerode, nameOrId: string): Promise<{ items: EngineHistoryItem[] } | { problem: string }> {
  try {
    return { items: ((await docker.getImage(nameOrId).history()) as EngineHistoryItem[] | null) ?? [] };
  } catch (error) {
    // "too many non-empty layers in History section": a history naming more layers than the
    // image has. Docker 20.10 already refuses to load such an image; another engine may store it
    // and fail here. The layers can still be shown.
    const status = (error as { statusCode?: number } | undefined)?.statusCode;
    if (status === 500 && /history/i.test(engineMessage(error))) return { problem: engineMessage(error) };
    throw error;
  }
}

/**
 * RootFS.Layers and history lengths of local images, by image ID (immutable, so never stale),
 * and the index over them, rebuilt only when the set of images or their names changed.
 */
export class LocalLayersCache {
  private readonly layers = new Map<string, readonly string[]>();
  private readonly historyLengths = new Map<string, number>();
  private built: { key: string; index: LocalLayerIndex } | undefined;

  constructor(private readonly concurrency = INSPECT_CONCURRENCY) {}

  remember(id: string, diffIds: readonly string[]): void {
    this.layers.set(id, diffIds);
  }

  rememberHistoryLength(id: string, length: number): void {
    this.historyLengths.set(id, length);
  }

  /** Layers of each ID, inspecting only those not seen before; IDs that vanished are left out. */
  async layersOf(docker: Dockerode, ids: readonly string[]): Promise<Map<string, readonly string[]>> {
    const missing = [...new Set(ids.filter((id) => !this.layers.has(id)))];
    const results = await settleWithConcurrency(missing, this.concurrency, async (id) => (await docker.getImage(id).inspect()) as EngineImageInspect);
    const failures: unknown[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') this.layers.set(missing[index]!, result.value.RootFS?.Layers ?? []);
      else if ((result.reason as { statusCode?: number } | undefined)?.statusCode !== 404) failures.push(result.reason);
    });
    // An image removed meanwhile is simply left out; anything else (the engine gone) is the caller's to report.
    if (failures.length) throw failures[0];
    return new Map(ids.flatMap((id) => (this.layers.has(id) ? [[id, this.layers.get(id)!] as const] : [])));
  }

  /** Number of history entries of a local image (one GET /images/{id}/history the first time). */
  async historyLength(docker: Dockerode, id: string): Promise<number | undefined> {
    if (!this.historyLengths.has(id)) {
      const history = await readHistory(docker, id);
      if ('problem' in history) return undefined;
      this.historyLengths.set(id, history.items.length);
    }
    return this.historyLengths.get(id);
  }

  /** The index over every local image (GET /images/json when `images` is not given). */
  async index(docker: Dockerode, images?: readonly LocalImageSummary[]): Promise<LocalLayerIndex> {
    const list = images ?? (await listImageSummaries(docker));
    const layers = await this.layersOf(docker, list.map((image) => image.id));
    const present = list.filter((image) => layers.has(image.id));
    const key = present.map((image) => `${image.id} ${image.repoTags.join(',')} ${(image.repoDigests ?? []).join(',')}`).join('\n');
    if (this.built?.key !== key) {
      const locals: LocalImageLayers[] = present.map((image) => ({ ...image, diffIds: layers.get(image.id)! }));
      this.built = { key, index: LocalLayerIndex.build(locals) };
    }
    // History lengths arrive later (for base images only); the index's records carry them.
    for (const image of this.built.index.images) image.historyLength ??= this.historyLengths.get(image.id);
    return this.built.index;
  }

  /** Drops everything: after an engine switch (another engine may reuse nothing). */
  clear(): void {
    this.layers.clear();
    this.historyLengths.clear();
    this.built = undefined;
  }
}

async function listImageSummaries(docker: Dockerode): Promise<LocalImageSummary[]> {
  const images = (await docker.listImages()) as Array<{ Id: string; RepoTags?: string[] | null; RepoDigests?: string[] | null; Created: number }>;
  return images.map((image) => ({
    id: image.Id,
    repoTags: realTags(image.RepoTags),
    repoDigests: realDigests(image.RepoDigests),
    created: image.Created * 1000,
  }));
}

export interface LayersModelRead {
  image: ImageLayersInput;
  index: LocalLayerIndex;
}

/**
 * Everything the model needs for one image: the image, the index of local images, and the
 * history length of the image it was built FROM (the one `fromReference` names, when local,
 * else the longest local prefix), so the base's entries are told from the image's own.
 */
export async function readLayersModelInput(
  docker: Dockerode,
  nameOrId: string,
  cache: LocalLayersCache,
  options: { images?: readonly LocalImageSummary[]; fromReference?: string } = {},
): Promise<LayersModelRead> {
  const [image, index] = await Promise.all([readImageLayers(docker, nameOrId, cache), cache.index(docker, options.images)]);
  const bases = new Set([index.findBase(image.diffIds, image.id, options.fromReference), index.findBase(image.diffIds, image.id)].flatMap((base) => (base ? [base.image] : [])));
  for (const base of bases) base.historyLength ??= await cache.historyLength(docker, base.id);
  return { image, index };
}
