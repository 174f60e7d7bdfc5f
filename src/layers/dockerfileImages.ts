// Which local image a Dockerfile built: the histories of the most recent local images, read
// once each (an image ID names immutable content, so a history never goes stale), ranked by
// how well they match the file. No `vscode` import.

import type Dockerode from 'dockerode';
import { type ParsedStages } from './dockerfileSteps';
import { type HistoryEntryInput, rankImagesForDockerfile, imageDisplayName } from './model';
import { settleWithConcurrency } from '../util/concurrency';
import { imageLayersFromEngine, type EngineHistoryItem, type LocalImageSummary } from '../engine/history';

/** Histories read at once when ranking. */
const HISTORY_CONCURRENCY = 8;
/** Only the newest images are candidates: a file's last build is recent, and each costs a call the first time. */
export const MAX_CANDIDATES = 40;
/** 2 x matched / (steps + own entries): below this, the file and the history disagree more than they agree. */
export const MIN_MATCH_SCORE = 0.5;

export interface DockerfileImageMatch {
  id: string;
  /** The image's first tag, else a digest reference, else its short ID. */
  name: string;
  score: number;
  matchedSteps: number;
  stepCount: number;
}

/** Histories (oldest first) by image ID, read once; an image that vanished is remembered as having none. */
export class ImageHistoryCache {
  private readonly histories = new Map<string, Promise<readonly HistoryEntryInput[] | undefined>>();

  history(docker: Dockerode, id: string): Promise<readonly HistoryEntryInput[] | undefined> {
    let history = this.histories.get(id);
    if (!history) {
      history = readHistoryEntries(docker, id);
      // A failure other than "no such image" is not remembered: the engine may come back.
      void history.catch(() => this.histories.delete(id));
      this.histories.set(id, history);
    }
    return history;
  }

  clear(): void {
    this.histories.clear();
  }
}

async function readHistoryEntries(docker: Dockerode, id: string): Promise<readonly HistoryEntryInput[] | undefined> {
  try {
    const items = ((await docker.getImage(id).history()) as EngineHistoryItem[] | null) ?? [];
    // Only the history is wanted here: the inspect half of the conversion is just the ID.
    return imageLayersFromEngine({ Id: id }, items).history ?? [];
  } catch (error) {
    const status = (error as { statusCode?: number } | undefined)?.statusCode;
    if (status === 404) return undefined;
    throw error;
  }
}

/**
 * The best match among the newest local images for the Dockerfile, the most recent on a
 * tie; undefined when none reaches MIN_MATCH_SCORE.
 */
export async function findImageForDockerfile(
  docker: Dockerode,
  dockerfile: string | ParsedStages,
  images: readonly LocalImageSummary[],
  histories: ImageHistoryCache,
): Promise<DockerfileImageMatch | undefined> {
  const newest = [...images].sort((a, b) => (b.created ?? 0) - (a.created ?? 0)).slice(0, MAX_CANDIDATES);
  const results = await settleWithConcurrency(newest, HISTORY_CONCURRENCY, (image) => histories.history(docker, image.id));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure && results.every((result) => result.status === 'rejected')) throw failure.reason;
  const candidates = newest.flatMap((image, index) => {
    const result = results[index]!;
    return result.status === 'fulfilled' && result.value?.length ? [{ id: image.id, created: image.created, history: result.value }] : [];
  });
  const [best] = rankImagesForDockerfile(dockerfile, candidates);
  if (!best || best.score < MIN_MATCH_SCORE) return undefined;
  const image = newest.find((candidate) => candidate.id === best.id)!;
  return { id: best.id, name: imageDisplayName({ id: image.id, repoTags: image.repoTags, repoDigests: image.repoDigests }), score: best.score, matchedSteps: best.matchedSteps, stepCount: best.stepCount };
}
