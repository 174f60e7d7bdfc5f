// Which local image a Dockerfile built: the histories of the most recent local images (read
// once each, through the image-facts cache), ranked by how well they match the file. No `vscode` import.

import type Dockerode from 'dockerode';
import { type ParsedStages } from './dockerfileSteps';
import { type HistoryEntryInput, rankImagesForDockerfile, imageDisplayName } from './model';
import { settleWithConcurrency } from '../util/concurrency';
import { imageLayersFromEngine, type LocalImageSummary } from './engineLayers';
import { type ImageFactsCache } from '../engine/imageFacts';
import { nameForDockerfile } from './dockerfileImageName';

/** Histories read at once when ranking. */
const HISTORY_CONCURRENCY = 8;
/** Only the newest images are candidates: a file's last build is recent, and each costs a call the first time. */
export const MAX_CANDIDATES = 40;
/** 2 x matched / (steps + own entries): below this, the file and the history disagree more than they agree. */
export const MIN_MATCH_SCORE = 0.5;

export interface DockerfileImageMatch {
  id: string;
  /** The tag the file suggests (nameForDockerfile), else a digest reference, else its short ID. */
  name: string;
  score: number;
  matchedSteps: number;
  stepCount: number;
}

/** The history (oldest first) of a local image; undefined when it vanished or cannot be listed. */
async function historyEntries(docker: Dockerode, id: string, facts: ImageFactsCache): Promise<readonly HistoryEntryInput[] | undefined> {
  const history = await facts.history(docker, id);
  if (!history || 'problem' in history) return undefined;
  // Only the history is wanted here: the inspect half of the conversion is just the ID.
  return imageLayersFromEngine({ Id: id }, history.items).history ?? [];
}

/**
 * The best match among the newest local images for the Dockerfile; undefined when none reaches
 * MIN_MATCH_SCORE. Among images that match equally well, and among an image's several tags,
 * the name the file's path suggests wins, else the most recent image's plainest tag.
 */
export async function findImageForDockerfile(
  docker: Dockerode,
  dockerfile: string | ParsedStages,
  images: readonly LocalImageSummary[],
  facts: ImageFactsCache,
  dockerfilePath?: string,
): Promise<DockerfileImageMatch | undefined> {
  const newest = [...images].sort((a, b) => (b.created ?? 0) - (a.created ?? 0)).slice(0, MAX_CANDIDATES);
  const results = await settleWithConcurrency(newest, HISTORY_CONCURRENCY, (image) => historyEntries(docker, image.id, facts));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure && results.every((result) => result.status === 'rejected')) throw failure.reason;
  const candidates = newest.flatMap((image, index) => {
    const result = results[index]!;
    return result.status === 'fulfilled' && result.value?.length ? [{ id: image.id, created: image.created, history: result.value }] : [];
  });
  const ranked = rankImagesForDockerfile(dockerfile, candidates);
  const best = ranked[0];
  if (!best || best.score < MIN_MATCH_SCORE) return undefined;
  const tied = ranked.filter((entry) => entry.score === best.score).map((entry) => newest.find((candidate) => candidate.id === entry.id)!);
  const named = nameForDockerfile(tied, dockerfilePath);
  const chosen = ranked.find((entry) => entry.id === named?.id) ?? best;
  const image = newest.find((candidate) => candidate.id === chosen.id)!;
  const name = named?.name ?? imageDisplayName({ id: image.id, repoTags: image.repoTags, repoDigests: image.repoDigests });
  return { id: chosen.id, name, score: chosen.score, matchedSteps: chosen.matchedSteps, stepCount: chosen.stepCount };
}
