// Which blobs of an image archive are its layers, in order, and the diff_id each must hash to:
// from `manifest.json` (the classic `docker save` layout, and Docker 25+'s, whose layer paths
// point into `blobs/`), else from the OCI layout's `index.json` -> manifest -> config. Pure.

import { DescribedError } from '../util/errors';

export interface ArchiveLayerRef {
  /** Where the layer is in the archive: `<id>/layer.tar` or `blobs/sha256/<hex>`. */
  path: string;
  /** What the image config's rootfs.diff_ids says the uncompressed layer hashes to. */
  diffId: string;
}

export class ImageArchiveError extends DescribedError {}

type ReadJson = (path: string) => unknown;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function blobPath(digest: unknown): string | undefined {
  return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? `blobs/sha256/${digest.slice('sha256:'.length)}` : undefined;
}

function diffIdsOf(config: unknown, where: string, image: string): string[] {
  const ids = asRecord(asRecord(config)?.rootfs)?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new ImageArchiveError(`The image archive of ${image} has a config (${where}) without rootfs.diff_ids, so its layers cannot be checked. Save the image again; if it persists, the engine wrote a config Layerlens cannot read.`);
  }
  return ids;
}

const INDEX_MEDIA = /manifest\.list|image\.index/;

/**
 * The layers in order. `readJson(path)` gives a small JSON file of the archive by its path
 * (undefined when it is not there), symlinks already followed.
 */
export function archiveLayers(readJson: ReadJson, image: string): ArchiveLayerRef[] {
  const manifest = readJson('manifest.json');
  if (Array.isArray(manifest) && manifest.length) {
    const entry = asRecord(manifest[0]);
    const config = typeof entry?.Config === 'string' ? entry.Config : undefined;
    const layers = entry?.Layers;
    if (!config || !Array.isArray(layers) || !layers.every((layer) => typeof layer === 'string')) {
      throw new ImageArchiveError(`The image archive of ${image} has a manifest.json without Config and Layers. Save the image again.`);
    }
    return pair(layers, diffIdsOf(readJson(config), config, image), image);
  }
  const index = asRecord(readJson('index.json'));
  if (!index) throw new ImageArchiveError(`The image archive of ${image} has neither manifest.json nor index.json: it is not an image archive Layerlens knows (docker save or OCI layout).`);
  const manifestBlob = imageManifestOf(index, readJson);
  if (!manifestBlob) throw new ImageArchiveError(`The image archive of ${image} has an index.json that names no image manifest inside the archive.`);
  const imageManifest = asRecord(readJson(manifestBlob));
  const configPath = blobPath(asRecord(imageManifest?.config)?.digest);
  const layerPaths = Array.isArray(imageManifest?.layers) ? imageManifest.layers.map((layer) => blobPath(asRecord(layer)?.digest)) : undefined;
  if (!configPath || !layerPaths || layerPaths.some((path) => !path)) {
    throw new ImageArchiveError(`The image archive of ${image} has a manifest (${manifestBlob}) without a config and layer digests.`);
  }
  return pair(layerPaths as string[], diffIdsOf(readJson(configPath), configPath, image), image);
}

/** The first image manifest an index names, following nested indexes (a multi-platform save). */
function imageManifestOf(index: Record<string, unknown>, readJson: ReadJson, depth = 0): string | undefined {
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  for (const descriptor of manifests) {
    const record = asRecord(descriptor);
    const path = blobPath(record?.digest);
    if (!path || readJson(path) === undefined) continue;
    if (typeof record?.mediaType === 'string' && INDEX_MEDIA.test(record.mediaType)) {
      const nested = asRecord(readJson(path));
      const found = nested && depth < 4 ? imageManifestOf(nested, readJson, depth + 1) : undefined;
      if (found) return found;
      continue;
    }
    return path;
  }
  return undefined;
}

function pair(paths: readonly string[], diffIds: readonly string[], image: string): ArchiveLayerRef[] {
  if (paths.length !== diffIds.length) {
    throw new ImageArchiveError(`The image archive of ${image} lists ${paths.length} layers but its config names ${diffIds.length} diff_ids. Save the image again.`);
  }
  return paths.map((path, index) => ({ path, diffId: diffIds[index]! }));
}
