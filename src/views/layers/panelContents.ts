// A Layers panel's contents: read when the user asks (the Files or Waste view, a layer row's
// changes, "Show Layer Contents") or at once when every layer is cached; progress while the
// archive streams, Cancel that leaves nothing behind (the cache takes whole layers only), and
// the data sent again, without its table, when the Dockerfile lines change.

import { type LayerlensContext } from '../../context';
import { type ImageLayersModel } from '../../layers/model';
import { errorText } from '../../util/errors';
import { contentsTable, type ContentsTable, toContentsData } from './contentsData';
import { ChangeAction, type ContentsState } from './contentsProtocol';
import { type ImageContentsReading, type ImageContentsStore } from './contentsStore';

/** Progress messages at most this often. */
const PROGRESS_INTERVAL_MS = 100;

export interface ContentsTarget {
  imageId: string;
  name: string;
  diffIds: readonly string[];
  /** The image's size: the archive is about as big. */
  sizeBytes?: number;
}

export interface ContentsShown {
  seq: number;
  nodes: number;
  cachedLayers: number;
  archiveBytes: number;
  /** When the data message was posted (epoch ms). */
  postedAt: number;
}

export class PanelContents {
  private state: ContentsState = { kind: 'unread' };
  private reading: { read: ImageContentsReading; built: ContentsTable; tableId: number } | undefined;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  /** The table the webview holds (a new webview holds none). */
  private sentTable: number | undefined;
  private tableIds = 0;
  private seq = 0;
  private lastProgress = 0;
  /** Asked to read before the image's layers were known. */
  private wanted = false;

  constructor(
    private readonly ctx: Pick<LayerlensContext, 'log'>,
    private readonly store: ImageContentsStore,
    private readonly post: (message: { type: 'contents'; state: ContentsState; seq: number }) => void,
    private readonly onShown: (shown: ContentsShown) => void,
  ) {}

  private target: ContentsTarget | undefined;
  private model: Pick<ImageLayersModel, 'rows'> | undefined;

  get nodeCount(): number | undefined {
    return this.reading?.built.table.names.length;
  }

  /** The path of a node of the table the webview has, and the layers that wrote a version of it. */
  node(index: number): { path: string; layers: number[] } | undefined {
    const built = this.reading?.built;
    const path = built?.paths[index];
    if (!built || path === undefined) return undefined;
    const layers: number[] = [];
    const { layerStarts, nodes, actions } = built.changes;
    for (let layer = 0; layer + 1 < layerStarts.length; layer++) {
      for (let at = layerStarts[layer]!; at < layerStarts[layer + 1]!; at++) if (nodes[at] === index && actions[at] !== ChangeAction.Removed) layers.push(layer);
    }
    return { path, layers };
  }

  get imageReading(): ImageContentsReading | undefined {
    return this.reading?.read;
  }

  /** The image and its rows are known (or the Dockerfile lines changed): reads the cache only, never the archive. */
  async modelChanged(target: ContentsTarget, model: Pick<ImageLayersModel, 'rows'>): Promise<void> {
    this.target = target;
    this.model = model;
    if (this.reading) {
      this.sendReady();
      return;
    }
    if (this.state.kind !== 'unread') return;
    const cached = await this.store.cached(target.imageId, target.diffIds).catch((error: unknown) => {
      this.ctx.log.warn(`layers: the layer cache of ${target.name} could not be read: ${errorText(error)}`);
      return undefined;
    });
    if (cached && !this.reading) this.accept(cached);
    else if (!this.reading && this.wanted) void this.read();
    else if (!this.reading) this.send();
  }

  /** The user asked for the contents: reads the archive unless they are known or being read. */
  read(): Promise<void> {
    if (this.reading || this.running) return this.running ?? Promise.resolve();
    const target = this.target;
    this.wanted = !target;
    if (!target) return Promise.resolve();
    const abort = new AbortController();
    this.abort = abort;
    this.state = { kind: 'reading', bytesRead: 0, totalBytes: target.sizeBytes };
    this.send();
    const running = this.store
      .read(target.imageId, target.name, target.diffIds, { signal: abort.signal, onProgress: (bytes) => this.progress(bytes) })
      .then((read) => {
        if (!abort.signal.aborted) this.accept(read);
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) {
          this.ctx.log.info(`layers: reading the contents of ${target.name} was cancelled`);
          this.state = { kind: 'unread' };
        } else {
          const message = errorText(error);
          this.ctx.log.error(`layers: the contents of ${target.name}: ${message}`);
          this.state = { kind: 'error', message: `Cannot read the layer contents of ${target.name}: ${message}` };
        }
        this.send();
      })
      .finally(() => {
        if (this.running === running) this.running = undefined;
        if (this.abort === abort) this.abort = undefined;
      });
    this.running = running;
    return running;
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** A new webview (or a reload): it holds no table. */
  webviewReady(): void {
    this.sentTable = undefined;
    if (this.reading) this.sendReady();
    else this.send();
  }

  dispose(): void {
    this.cancel();
  }

  private progress(bytesRead: number): void {
    const now = Date.now();
    if (now - this.lastProgress < PROGRESS_INTERVAL_MS || this.state.kind !== 'reading') return;
    this.lastProgress = now;
    this.state = { kind: 'reading', bytesRead, totalBytes: this.state.totalBytes };
    this.send();
  }

  private accept(read: ImageContentsReading): void {
    const started = performance.now();
    const built = contentsTable(read.contents, read.layers);
    this.reading = { read, built, tableId: ++this.tableIds };
    this.ctx.log.info(`layers: contents of ${this.target?.name ?? read.imageId}: ${built.table.names.length} paths, ${read.cachedLayers} of ${read.layers.length} layers from the cache, ${read.archiveBytes} archive bytes read (table ${(performance.now() - started).toFixed(1)} ms)`);
    this.sendReady();
  }

  private sendReady(): void {
    const reading = this.reading;
    if (!reading || !this.model) return;
    const withTable = this.sentTable !== reading.tableId;
    const data = toContentsData({
      tableId: reading.tableId,
      withTable,
      built: reading.built,
      contents: reading.read.contents,
      layers: reading.read.layers,
      model: this.model,
      cachedLayers: reading.read.cachedLayers,
      archiveBytes: reading.read.archiveBytes,
    });
    this.state = { kind: 'ready', data };
    const seq = this.send();
    this.sentTable = reading.tableId;
    this.onShown({ seq, nodes: reading.built.table.names.length, cachedLayers: reading.read.cachedLayers, archiveBytes: reading.read.archiveBytes, postedAt: performance.timeOrigin + performance.now() });
  }

  private send(): number {
    const seq = ++this.seq;
    this.post({ type: 'contents', state: this.state, seq });
    return seq;
  }
}
