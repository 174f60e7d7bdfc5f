// What the layers of an image hold, for the Layers panel and the Dockerfile size lenses: read
// from the on-disk layer cache when every layer is there, else from one archive read (which
// fills the cache). The last few images' models stay in memory; a per-layer summary (hidden
// bytes) stays for every image read, so lenses never read anything themselves.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { cachedImageLayers, readImageLayersCached } from '../../engine/cachedImageLayers';
import { type LayerEntries } from '../../image/layerEntry';
import { analyzeLayers, type ImageContents } from '../../layers/layerContents';

/** Images whose whole model stays in memory (a 200,000-entry model is tens of MB). */
const MODELS_KEPT = 2;

export interface ImageContentsReading {
  imageId: string;
  layers: readonly LayerEntries[];
  contents: ImageContents;
  /** Layers served from the cache, and the archive bytes read (0 when all were cached). */
  cachedLayers: number;
  archiveBytes: number;
}

export interface ContentsReadOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number) => void;
}

/** Per layer, what the lenses show: bytes the layer wrote that later layers hide. */
export interface LayerHiddenSummary {
  diffIds: readonly string[];
  hiddenBytes: readonly number[];
}

export class ImageContentsStore implements vscode.Disposable {
  private readonly models = new Map<string, Promise<ImageContentsReading>>();
  private readonly summaries = new Map<string, LayerHiddenSummary>();
  private readonly readEmitter = new vscode.EventEmitter<string>();
  /** Fires with the image ID whenever an image's contents became known. */
  readonly onDidRead = this.readEmitter.event;

  constructor(private readonly ctx: Pick<LayerlensContext, 'session' | 'layerCache' | 'log'>) {}

  /** Every layer from the cache, or undefined when one is not cached. Reads no archive. */
  async cached(imageId: string, diffIds: readonly string[]): Promise<ImageContentsReading | undefined> {
    const kept = this.models.get(imageId);
    if (kept) return this.touch(imageId, kept);
    const layers = await cachedImageLayers(diffIds, this.ctx.layerCache);
    if (!layers) return undefined;
    return this.keep(imageId, Promise.resolve(this.model(imageId, layers, diffIds.length, 0)));
  }

  /** The image's contents: from memory or the cache when complete, else one archive read. */
  async read(imageId: string, name: string, diffIds: readonly string[], options: ContentsReadOptions = {}): Promise<ImageContentsReading> {
    const known = await this.cached(imageId, diffIds);
    if (known) return known;
    const reading = this.ctx.session.run(`read the layer contents of ${name}`, (connection) =>
      readImageLayersCached(connection.streams, imageId, this.ctx.layerCache, { ...options, diffIds }),
    );
    const model = reading.then((read) => this.model(imageId, read.layers, read.cachedLayers, read.archiveBytes));
    // A failed or cancelled read is not kept: the next asks again.
    model.catch(() => this.models.get(imageId) === model && this.models.delete(imageId));
    return this.keep(imageId, model);
  }

  /** The hidden bytes per layer of an image read before (in this window), by its diff_ids. */
  hiddenSummary(imageId: string): LayerHiddenSummary | undefined {
    return this.summaries.get(imageId);
  }

  private model(imageId: string, layers: LayerEntries[], cachedLayers: number, archiveBytes: number): ImageContentsReading {
    const contents = analyzeLayers(layers);
    this.summaries.set(imageId, { diffIds: layers.map((layer) => layer.diffId), hiddenBytes: contents.layers.map((layer) => layer.hiddenBytes) });
    this.readEmitter.fire(imageId);
    return { imageId, layers, contents, cachedLayers, archiveBytes };
  }

  private keep(imageId: string, model: Promise<ImageContentsReading>): Promise<ImageContentsReading> {
    this.models.set(imageId, model);
    while (this.models.size > MODELS_KEPT) this.models.delete(this.models.keys().next().value!);
    return model;
  }

  private touch(imageId: string, model: Promise<ImageContentsReading>): Promise<ImageContentsReading> {
    this.models.delete(imageId);
    this.models.set(imageId, model);
    return model;
  }

  /** The cache was cleared: models in memory stay valid (layers are immutable), summaries too. */
  dispose(): void {
    this.models.clear();
    this.readEmitter.dispose();
  }
}
