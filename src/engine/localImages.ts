// The live list of local images: loaded when first wanted, reloaded when the event stream
// says the list changed (bursts coalesced) or reconnects, and an error state that names
// the endpoint and the cause when the engine cannot be reached. It feeds the one cache of
// image facts (layers, histories) by ID that the Layers panel and lenses read through.

import { Coalescer } from '../util/coalescer';
import { Emitter } from '../util/emitter';
import { type Logger } from '../util/logger';
import { type EngineInfo } from './client';
import { EngineError, isConnectionProblem, toEngineError } from './errors';
import { changesImageList, EngineEventWatcher, type BackoffOptions } from './events';
import { findTag, groupImages, type ImageGroups, type TaggedImage } from './imageGroups';
import { ImageFactsCache } from './imageFacts';
import { listLocalImages, type LocalImage } from './images';
import { type EngineSession } from './session';

export type ImagesState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; images: LocalImage[]; groups: ImageGroups; engine: EngineInfo; endpoint: string; loadedAt: number }
  | { kind: 'error'; error: EngineError; endpoint?: string };

export interface LocalImagesOptions {
  /** Quiet gap that ends a burst of events. */
  quietMs?: number;
  /** The longest a change waits behind a continuing burst. */
  maxWaitMs?: number;
  backoff?: BackoffOptions;
}

export class LocalImagesModel {
  private readonly changeEmitter = new Emitter<ImagesState>();
  readonly onDidChange = this.changeEmitter.event;

  private stateValue: ImagesState = { kind: 'idle' };
  private readonly watcher: EngineEventWatcher;
  private readonly coalescer: Coalescer;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  /** Layers and histories of the listed images, by ID: kept to the list, cleared on an engine switch. */
  readonly facts = new ImageFactsCache();
  private factsEndpoint: string | undefined;
  /** How many times the list was read from the engine: tests and benchmarks count refreshes. */
  loadCount = 0;

  constructor(
    private readonly session: EngineSession,
    private readonly log: Logger,
    options: LocalImagesOptions = {},
  ) {
    this.coalescer = new Coalescer(() => void this.refresh(), options.quietMs ?? 20, options.maxWaitMs ?? 120);
    this.watcher = new EngineEventWatcher(
      async (signal) => {
        const connection = await this.session.connect();
        return connection.streams.getEvents({ filters: { type: ['image', 'container'] }, abortSignal: signal } as Parameters<typeof connection.streams.getEvents>[0]);
      },
      log,
      options.backoff,
    );
    this.watcher.onEvent((event) => {
      if (!changesImageList(event)) return;
      this.log.trace(`events: ${event.type} ${event.action} ${event.attributes.name ?? event.actorId}`);
      this.coalescer.trigger();
    });
    this.watcher.onStatus((status) => {
      // The list is read once the stream is open, so no change can fall between the two.
      if (status.kind === 'connected') void this.refresh();
      if (status.kind === 'disconnected') this.setState({ kind: 'error', error: this.describeFailure(status.error), endpoint: this.endpointText() });
    });
  }

  get state(): ImagesState {
    return this.stateValue;
  }

  /** Starts watching the engine. Cheap to call again; nothing happens until the first call. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.setState({ kind: 'loading' });
    this.watcher.start();
  }

  /** Reads the list now; concurrent callers share one read, and a request during a read causes one more. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Refresh, or after a failure, reconnect at once rather than at the next backoff step. */
  retry(): Promise<void> {
    this.start();
    if (this.stateValue.kind !== 'error') return this.refresh();
    this.reconnect();
    return this.whenSettled().then(() => undefined);
  }

  /** The endpoint or settings changed: start over with a new connection. */
  reconnect(): void {
    this.session.reset();
    if (!this.started) return;
    this.setState({ kind: 'loading' });
    this.watcher.restart();
  }

  /** Waits until the state is ready or error (for commands that need the list). */
  async whenSettled(): Promise<ImagesState> {
    this.start();
    if (this.stateValue.kind === 'ready' || this.stateValue.kind === 'error') return this.stateValue;
    return new Promise((resolve) => {
      const subscription = this.onDidChange((state) => {
        if (state.kind === 'ready' || state.kind === 'error') {
          subscription.dispose();
          resolve(state);
        }
      });
    });
  }

  /**
   * The tag once a listing has it (the engine's event for a pull or tag arrives a moment after
   * the call returns); undefined if none has within timeoutMs or the engine fails.
   */
  whenTagListed(reference: string, timeoutMs: number): Promise<TaggedImage | undefined> {
    const find = (state: ImagesState): TaggedImage | undefined => (state.kind === 'ready' ? findTag(state.groups, reference) : undefined);
    const now = find(this.stateValue);
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const subscription = this.onDidChange((state) => {
        if (state.kind === 'error') finish(undefined);
        else if (find(state)) finish(find(state));
      });
      const finish = (value: TaggedImage | undefined): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      };
    });
  }

  private async load(): Promise<void> {
    this.loadCount++;
    try {
      const images = await this.session.run('list images', (connection) => listLocalImages(connection.calls));
      const connection = this.session.current;
      if (!connection) throw new EngineError('refused', 'The engine connection was lost while reading images.');
      if (this.factsEndpoint !== connection.endpoint.url) this.facts.clear();
      this.factsEndpoint = connection.endpoint.url;
      this.facts.retain(images.map((image) => image.id));
      this.setState({ kind: 'ready', images, groups: groupImages(images), engine: connection.info, endpoint: connection.endpoint.url, loadedAt: Date.now() });
    } catch (error) {
      const engineError = this.describeFailure(error);
      if (!isConnectionProblem(engineError.kind)) this.log.error(`images: ${engineError.message}`);
      this.setState({ kind: 'error', error: engineError, endpoint: this.endpointText() });
    }
  }

  private describeFailure(error: unknown): EngineError {
    if (error instanceof EngineError) return error;
    try {
      return toEngineError(error, this.session.endpoint());
    } catch (endpointError) {
      return endpointError instanceof EngineError ? endpointError : new EngineError('engine', String(error));
    }
  }

  private endpointText(): string | undefined {
    try {
      return this.session.endpoint().url;
    } catch {
      return undefined;
    }
  }

  private setState(state: ImagesState): void {
    const previous = this.stateValue;
    // A retry that fails the same way is no news: don't redraw the view for it.
    if (state.kind === 'error' && previous.kind === 'error' && previous.error.message === state.error.message) return;
    this.stateValue = state;
    this.changeEmitter.fire(state);
  }

  dispose(): void {
    this.coalescer.dispose();
    this.watcher.dispose();
    this.changeEmitter.dispose();
  }
}
