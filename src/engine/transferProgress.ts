// The Engine's pull and push streams (newline-delimited JSON, as `docker pull` reads them)
// as a per-layer picture: which layers there are, what each is doing, bytes so far, and the
// result lines (digest, size) or the error line that ends a failed transfer.

export interface ProgressLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { Tag?: string; Digest?: string; Size?: number; ID?: string };
}

export interface LayerState {
  /** The short layer id the engine uses (12 hex digits). */
  id: string;
  /** The engine's own words: "Downloading", "Pull complete", "Layer already exists", "Mounted from library/x". */
  status: string;
  /** Bytes moved (downloaded or uploaded) and the layer's size, when the engine said. */
  current: number;
  total?: number;
  done: boolean;
}

export interface TransferSnapshot {
  layers: LayerState[];
  layersDone: number;
  bytesMoved: number;
  /** Sum of known layer sizes; layers whose size is not known yet add nothing. */
  bytesTotal: number;
  /** The last line that was not about a layer ("Pulling from library/nginx", "Digest: ..."). */
  lastStatus?: string;
}

export interface TransferOutcome {
  digest?: string;
  size?: number;
  /** "Downloaded newer image for nginx:1.27", "Image is up to date for ...". */
  status?: string;
  /** The error line's message, when the stream carried one: the transfer failed. */
  error?: string;
}

const SHORT_LAYER_ID = /^[0-9a-f]{12}$/;
const DONE_STATUSES = [/^Pull complete$/, /^Already exists$/, /^Pushed$/, /^Layer already exists$/, /^Mounted from /];
const MOVING_STATUSES = /^(Downloading|Pushing)$/;

export function parseProgressLine(line: string): ProgressLine | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value) : undefined;
  } catch {
    return undefined;
  }
}

export class TransferProgressTracker {
  private readonly layers = new Map<string, LayerState>();
  private lastStatus: string | undefined;
  readonly outcome: TransferOutcome = {};

  apply(line: ProgressLine): void {
    if (line.error !== undefined || line.errorDetail?.message !== undefined) {
      this.outcome.error = line.errorDetail?.message ?? line.error ?? 'unknown error';
      return;
    }
    if (line.aux?.Digest) {
      this.outcome.digest = line.aux.Digest;
      this.outcome.size = line.aux.Size;
      return;
    }
    const status = line.status?.trim();
    if (!status) return;
    if (line.id && SHORT_LAYER_ID.test(line.id)) {
      this.applyLayer(line.id, status, line.progressDetail);
      return;
    }
    this.lastStatus = line.id ? `${line.id}: ${status}` : status;
    const digest = /^Digest: (\S+)/.exec(status)?.[1] ?? /digest: (sha256:[0-9a-f]{64})/.exec(status)?.[1];
    if (digest) this.outcome.digest = digest;
    const size = /size: (\d+)/.exec(status)?.[1];
    if (size) this.outcome.size = Number(size);
    if (/^Status: /.test(status)) this.outcome.status = status.slice('Status: '.length);
  }

  private applyLayer(id: string, status: string, detail: ProgressLine['progressDetail']): void {
    const layer = this.layers.get(id) ?? { id, status, current: 0, done: false };
    layer.status = status;
    if (MOVING_STATUSES.test(status) && detail) {
      if (typeof detail.total === 'number' && detail.total > 0) layer.total = detail.total;
      // A push's running count can pass the size the engine announced (it counts what it
      // sends, the size is the layer's): never show more than all of it.
      if (typeof detail.current === 'number') layer.current = layer.total !== undefined ? Math.min(detail.current, layer.total) : detail.current;
    }
    if (/^(Download complete|Pushed)$/.test(status) && layer.total !== undefined) layer.current = layer.total;
    layer.done = DONE_STATUSES.some((pattern) => pattern.test(status));
    this.layers.set(id, layer);
  }

  snapshot(): TransferSnapshot {
    const layers = [...this.layers.values()].map((layer) => ({ ...layer }));
    return {
      layers,
      layersDone: layers.filter((layer) => layer.done).length,
      bytesMoved: layers.reduce((sum, layer) => sum + layer.current, 0),
      bytesTotal: layers.reduce((sum, layer) => sum + (layer.total ?? 0), 0),
      lastStatus: this.lastStatus,
    };
  }
}

/**
 * Calls `report` at most once per intervalMs, with the newest value: the first at once, the
 * last one always (flush), so a 50-layer pull does not flood the UI and no final state is lost.
 */
export class Throttle<T> {
  private pending: T | undefined;
  private hasPending = false;
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly report: (value: T) => void,
    private readonly intervalMs: number,
  ) {}

  push(value: T): void {
    this.pending = value;
    this.hasPending = true;
    const wait = this.lastAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.hasPending) return;
    const value = this.pending as T;
    this.hasPending = false;
    this.pending = undefined;
    this.lastAt = Date.now();
    this.report(value);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.hasPending = false;
  }
}
