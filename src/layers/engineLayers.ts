// What the Layers model reads from the engine: one image's inspect and history, and the
// RootFS.Layers of every local image (for sharing and the base image), all through the one
// ImageFactsCache (engine/imageFacts.ts), so later opens pay only for new images. The classic
// builder's intermediate images are inspected only for entries whose layer the sizes cannot
// tell (a zero-byte RUN, a WORKDIR), and the base image's history length is read once (it
// says where the base's entries end).

import type Dockerode from 'dockerode';
import { alignHistoryWithLayers, type HistoryEntryInput, type ImageLayersInput } from './model';
import { LocalLayerIndex, type LocalImageLayers } from './layerIndex';
import { type EngineHistoryItem, type EngineImageInspect, type ImageFactsCache } from '../engine/imageFacts';
import { realDigests, realTags } from '../engine/images';

/** What the index needs of a local image: LocalImagesModel's list gives it. */
export interface LocalImageSummary {
  id: string;
  repoTags: readonly string[];
  repoDigests?: readonly string[];
  /** Milliseconds since the epoch. */
  created?: number;
}

const MISSING_ID = '<missing>';

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
export async function readImageLayers(docker: Dockerode, nameOrId: string, facts: ImageFactsCache): Promise<ImageLayersInput> {
  const [inspect, history] = await Promise.all([facts.inspect(docker, nameOrId), facts.history(docker, nameOrId)]);
  if (history) facts.rememberHistory(inspect.Id, history);
  if (!history || 'problem' in history) {
    const problem = history ? history.problem : 'no such image';
    return { ...imageLayersFromEngine(inspect, undefined), historyProblem: `Docker could not list the history of ${nameOrId} (${problem}): its layers are shown without instructions.` };
  }
  const first = imageLayersFromEngine(inspect, history.items);
  const alignment = alignHistoryWithLayers(first.diffIds, first.history);
  if (!alignment.problems.includes('ambiguous')) return first;
  const wanted = first.history!.flatMap((entry, index) => (alignment.entries[index]!.kind === 'unattributed' && entry.imageId && entry.layerCount === undefined ? [entry.imageId] : []));
  if (!wanted.length) return first;
  const layers = await facts.layersOf(docker, wanted);
  const counts = new Map([...layers].map(([id, diffIds]) => [id, diffIds.length]));
  return imageLayersFromEngine(inspect, history.items, counts);
}

/**
 * The index over the local images, rebuilt only when the set of images or their names
 * changed; the layers come from the facts cache.
 */
export class LocalIndexCache {
  private built: { key: string; index: LocalLayerIndex } | undefined;

  async index(docker: Dockerode, facts: ImageFactsCache, images: readonly LocalImageSummary[]): Promise<LocalLayerIndex> {
    const layers = await facts.layersOf(docker, images.map((image) => image.id));
    const present = images.filter((image) => layers.has(image.id));
    const key = present.map((image) => `${image.id} ${image.repoTags.join(',')} ${(image.repoDigests ?? []).join(',')}`).join('\n');
    if (this.built?.key !== key) {
      const locals: LocalImageLayers[] = present.map((image) => ({ id: image.id, repoTags: image.repoTags, repoDigests: image.repoDigests, created: image.created, diffIds: layers.get(image.id)! }));
      this.built = { key, index: LocalLayerIndex.build(locals) };
    }
    return this.built.index;
  }

  clear(): void {
    this.built = undefined;
  }
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
  caches: { facts: ImageFactsCache; index: LocalIndexCache },
  options: { images: readonly LocalImageSummary[]; fromReference?: string },
): Promise<LayersModelRead> {
  const [image, index] = await Promise.all([readImageLayers(docker, nameOrId, caches.facts), caches.index.index(docker, caches.facts, options.images)]);
  const bases = new Set([index.findBase(image.diffIds, image.id, options.fromReference), index.findBase(image.diffIds, image.id)].flatMap((base) => (base ? [base.image] : [])));
  for (const base of bases) base.historyLength ??= await caches.facts.historyLength(docker, base.id);
  return { image, index };
}
