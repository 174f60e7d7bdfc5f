// The engine's facts about local images, read once each and kept by image ID: an ID names
// immutable content, so its layers and history never go stale. One cache for the extension,
// owned by LocalImagesModel: it drops the IDs that left the list, and everything when the
// endpoint changes (another engine may reuse nothing).
//
// Cost: GET /images/json has no layers, so each image is inspected once (GET
// /images/{id}/json, at most 8 at a time); a history costs one GET /images/{id}/history.

import type Dockerode from 'dockerode';
import { settleWithConcurrency } from '../util/concurrency';
import { engineMessage } from './errors';

/** The fields of GET /images/{id}/json the layers model uses. */
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

/** What a history read gave: the items, or why the engine could not list them. */
export type HistoryRead = { items: readonly EngineHistoryItem[] } | { problem: string };

const INSPECT_CONCURRENCY = 8;

export class ImageFactsCache {
  private readonly layers = new Map<string, readonly string[]>();
  private readonly histories = new Map<string, Promise<HistoryRead | undefined>>();

  constructor(private readonly concurrency = INSPECT_CONCURRENCY) {}

  /** GET /images/{nameOrId}/json, its layers remembered under the ID it names. */
  async inspect(docker: Dockerode, nameOrId: string): Promise<EngineImageInspect> {
    const inspect = (await docker.getImage(nameOrId).inspect()) as EngineImageInspect;
    this.layers.set(inspect.Id, inspect.RootFS?.Layers ?? []);
    return inspect;
  }

  /** RootFS.Layers of each ID, inspecting only those not seen before; IDs that vanished are left out. */
  async layersOf(docker: Dockerode, ids: readonly string[]): Promise<Map<string, readonly string[]>> {
    const missing = [...new Set(ids.filter((id) => !this.layers.has(id)))];
    const results = await settleWithConcurrency(missing, this.concurrency, async (id) => (await docker.getImage(id).inspect()) as EngineImageInspect);
    const failures: unknown[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') this.layers.set(missing[index]!, result.value.RootFS?.Layers ?? []);
      else if (statusOf(result.reason) !== 404) failures.push(result.reason);
    });
    // An image removed meanwhile is simply left out; anything else (the engine gone) is the caller's to report.
    if (failures.length) throw failures[0];
    return new Map(ids.flatMap((id) => (this.layers.has(id) ? [[id, this.layers.get(id)!] as const] : [])));
  }

  /**
   * The history of an image (by ID: cached; by name: read each time, since a name moves),
   * undefined when there is no such image. Only a read that gave items or the engine's own
   * refusal is remembered: the engine may come back, an image may be loaded again.
   */
  history(docker: Dockerode, nameOrId: string): Promise<HistoryRead | undefined> {
    if (!isImageId(nameOrId)) return readHistory(docker, nameOrId);
    let history = this.histories.get(nameOrId);
    if (!history) {
      history = readHistory(docker, nameOrId);
      const forget = (): void => {
        if (this.histories.get(nameOrId) === history) this.histories.delete(nameOrId);
      };
      void history.then((read) => read === undefined && forget(), forget);
      this.histories.set(nameOrId, history);
    }
    return history;
  }

  /** A history read by name, kept under the ID the name pointed at. */
  rememberHistory(id: string, history: HistoryRead): void {
    if (isImageId(id) && 'items' in history) this.histories.set(id, Promise.resolve(history));
  }

  /** Number of history entries of a local image; undefined when the engine cannot tell. */
  async historyLength(docker: Dockerode, id: string): Promise<number | undefined> {
    const history = await this.history(docker, id);
    return history && 'items' in history ? history.items.length : undefined;
  }

  /** Forgets the images that are no longer local (memory stays bounded by the list). */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.layers.keys()) if (!keep.has(id)) this.layers.delete(id);
    for (const id of this.histories.keys()) if (!keep.has(id)) this.histories.delete(id);
  }

  /** Drops everything: after an engine switch. */
  clear(): void {
    this.layers.clear();
    this.histories.clear();
  }
}

function isImageId(nameOrId: string): boolean {
  return /^sha256:\w{64}$/.test(nameOrId);
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

async function readHistory(docker: Dockerode, nameOrId: string): Promise<HistoryRead | undefined> {
  try {
    return { items: ((await docker.getImage(nameOrId).history()) as EngineHistoryItem[] | null) ?? [] };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    // "too many non-empty layers in History section": a history naming more layers than the
    // image has. Docker 20.10 already refuses to load such an image; another engine may store it
    // and fail here. The layers can still be shown.
    if (statusOf(error) === 500 && /history/i.test(engineMessage(error))) return { problem: engineMessage(error) };
    throw error;
  }
}
