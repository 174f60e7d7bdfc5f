// An image's layer entries, from the on-disk cache when every layer is there (no archive read
// at all), else from one archive read whose layers then fill the cache. The image's diff_ids
// come from inspect, so a cached image costs one small call. No `vscode` import.

import type Dockerode from 'dockerode';
import { type LayerEntries } from '../image/layerEntry';
import { type ArchiveReadOptions, ImageArchiveError, readEngineImageLayers } from './imageArchive';
import { type LayerIndexCache } from './layerIndexCache';

export interface CachedLayersReading {
  layers: LayerEntries[];
  /** Layers served from the cache. */
  cachedLayers: number;
  /** Bytes of archive read: 0 when every layer was cached. */
  archiveBytes: number;
}

export interface CachedReadOptions extends ArchiveReadOptions {
  /** The image's diff_ids when the caller has them (its own inspect): no inspect call then. */
  diffIds?: readonly string[];
}

/** Only what the cache holds: the layers when every one is cached, else undefined. Never reads the archive. */
export async function cachedImageLayers(diffIds: readonly string[], cache: LayerIndexCache): Promise<LayerEntries[] | undefined> {
  if (!diffIds.length) return undefined;
  const cached = await Promise.all(diffIds.map((diffId) => cache.get(diffId)));
  return cached.every((entries) => entries !== undefined) ? diffIds.map((diffId, index) => ({ diffId, entries: cached[index]! })) : undefined;
}

export async function readImageLayersCached(docker: Dockerode, name: string, cache: LayerIndexCache, options: CachedReadOptions = {}): Promise<CachedLayersReading> {
  const diffIds = options.diffIds ?? ((await docker.getImage(name).inspect()) as { RootFS?: { Layers?: string[] } }).RootFS?.Layers ?? [];
  const cached = await cachedImageLayers(diffIds, cache);
  if (cached) return { layers: cached, cachedLayers: diffIds.length, archiveBytes: 0 };
  const reading = await readEngineImageLayers(docker, name, options);
  const read = reading.layers.map((layer) => layer.diffId);
  if (diffIds.length && read.join() !== diffIds.join()) {
    throw new ImageArchiveError(`The archive of ${name} holds other layers than the engine's inspect names: the tag moved while it was read. Open the image again.`);
  }
  await Promise.all(reading.layers.map((layer) => cache.put(layer.diffId, layer.entries)));
  return { layers: reading.layers.map(({ diffId, entries }) => ({ diffId, entries })), cachedLayers: 0, archiveBytes: reading.archiveBytes };
}
