// The Engine's /events stream as a steady source of "images may have changed": parses the
// newline-delimited JSON, keeps the events that change the image list, and reconnects
// with backoff when the stream drops.

import { Emitter } from '../util/emitter';
import { type Logger } from '../util/logger';
import { NdjsonLineSplitter } from '../util/ndjson';

export interface EngineEvent {
  type: string;
  action: string;
  actorId: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, when the engine gives them. */
  timeNano?: number;
}

/** Image actions that change the list (`docker image ls`), and container ones that change "in use". */
const IMAGE_ACTIONS = new Set(['pull', 'tag', 'untag', 'delete', 'import', 'load', 'prune', 'remove', 'build', 'commit']);
const CONTAINER_ACTIONS = new Set(['create', 'destroy', 'remove', 'commit']);

export function changesImageList(event: EngineEvent): boolean {
  if (event.type === 'image') return IMAGE_ACTIONS.has(event.action);
  if (event.type === 'container') return CONTAINER_ACTIONS.has(event.action);
  return false;
}

export type StreamOpener = (signal: AbortSignal) => Promise<NodeJS.ReadableStream>;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export type WatcherStatus = { kind: 'connecting' } | { kind: 'connected' } | { kind: 'disconnected'; error: unknown; retryInMs: number };

export class EngineEventWatcher {
  private readonly eventEmitter = new Emitter<EngineEvent>();
  private readonly statusEmitter = new Emitter<WatcherStatus>();
  readonly onEvent = this.eventEmitter.event;
  readonly onStatus = this.statusEmitter.event;

  private abort: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running = false;

  constructor(
    private readonly openStream: StreamOpener,
    private readonly log: Logger,
    private readonly backoff: BackoffOptions = { initialMs: 250, maxMs: 5_000 },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  /** Drops the current stream and connects again at once (after a settings change). */
  restart(): void {
    this.stop();
    this.failures = 0;
    this.start();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  dispose(): void {
    this.stop();
    this.eventEmitter.dispose();
    this.statusEmitter.dispose();
  }

  private async connect(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.statusEmitter.fire({ kind: 'connecting' });
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream(abort.signal);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.scheduleReconnect(error);
      return;
    }
    if (abort.signal.aborted) {
      destroy(stream);
      return;
    }
    this.failures = 0;
    this.log.info('events: connected');
    this.statusEmitter.fire({ kind: 'connected' });
    this.consume(stream, abort);
  }

  private consume(stream: NodeJS.ReadableStream, abort: AbortController): void {
    const lines = new NdjsonLineSplitter((line) => this.handleLine(line));
    let ended = false;
    const finish = (error: unknown): void => {
      if (ended) return;
      ended = true;
      abort.signal.removeEventListener('abort', onAbort);
      if (abort.signal.aborted || !this.running) return;
      this.scheduleReconnect(error ?? new Error('the engine closed the event stream'));
    };
    const onAbort = (): void => destroy(stream);
    abort.signal.addEventListener('abort', onAbort);
    stream.on('data', (chunk: Buffer | string) => lines.push(chunk));
    stream.on('end', () => finish(undefined));
    stream.on('close', () => finish(undefined));
    stream.on('error', (error: unknown) => finish(error));
  }

  private handleLine(line: string): void {
    const event = parseEngineEvent(line);
    if (!event) {
      this.log.warn(`events: ignored a line that is not an event: ${line.slice(0, 200)}`);
      return;
    }
    this.eventEmitter.fire(event);
  }

  private scheduleReconnect(error: unknown): void {
    if (!this.running) return;
    const retryInMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.failures);
    this.failures++;
    // One line per outage, not one per retry: a stopped engine would otherwise flood the log.
    if (this.failures === 1) this.log.warn(`events: stream lost (${describe(error)}); reconnecting with backoff`);
    this.statusEmitter.fire({ kind: 'disconnected', error, retryInMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) void this.connect();
    }, retryInMs);
  }
}

export function parseEngineEvent(line: string): EngineEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const record = raw as { Type?: unknown; Action?: unknown; status?: unknown; Actor?: { ID?: unknown; Attributes?: unknown }; id?: unknown; timeNano?: unknown };
  const type = typeof record.Type === 'string' ? record.Type : undefined;
  const action = typeof record.Action === 'string' ? record.Action : typeof record.status === 'string' ? record.status : undefined;
  if (!type || !action) return undefined;
  const attributes = record.Actor?.Attributes && typeof record.Actor.Attributes === 'object' ? (record.Actor.Attributes as Record<string, string>) : {};
  const actorId = typeof record.Actor?.ID === 'string' ? record.Actor.ID : typeof record.id === 'string' ? record.id : '';
  // Actions such as "exec_start: sh" carry detail after a colon.
  return { type, action: action.split(':')[0]!.trim(), actorId, attributes, timeNano: typeof record.timeNano === 'number' ? record.timeNano : undefined };
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error as Error & { code?: string }).code ?? error.message;
  return String(error);
}
