// History entries <-> the Dockerfile instructions that wrote them. A build appends one entry per
// instruction in order, so the pairing is an in-order alignment (longest common subsequence)
// of entries and steps; an entry is attributed only when every best alignment pairs it with the
// same step, so an edited file or a repeated command leaves entries unmatched, never guessed.
// Pure logic; no `vscode` import.

import { dockerfileTarget, parseDockerfileStages, resolveStageChain, type DockerfileStep, type ParsedStages } from './dockerfileSteps';
import { cleanHistory, type HistoryInstruction } from './historyText';
import { type HistoryEntryInput } from './layerAlignment';

export interface EntryAttribution {
  /** 0-based lines of the instruction in the Dockerfile. */
  startLine: number;
  endLine: number;
  stageIndex: number;
  keyword: string;
}

export interface DockerfileAttribution {
  /** Stage whose image this is (the last, unless asked otherwise). */
  stageIndex: number;
  /** Per history entry (same order); undefined when not attributed. */
  entries: Array<EntryAttribution | undefined>;
  /** Steps (instructions but FROM) of the stage and the stages it is built FROM. */
  stepCount: number;
  matchedSteps: number;
  /** Steps no entry was attributed to: lines edited since the build, or never built. */
  unmatchedSteps: EntryAttribution[];
  /** Entries from the first one the build could have written to the newest. */
  ownEntryCount: number;
  /** 2 x matched / (steps + own entries), in [0, 1]: 1 when file and history agree line for line. */
  score: number;
  /** The image the stage chain starts FROM, ARGs expanded; undefined for scratch or unknown. */
  baseReference?: string;
  baseFromLine: number;
  /** Index of the entry the chain's first instruction wrote, when attributed: all before it is the base image's. */
  firstStepEntry?: number;
}

export interface AttributionOptions {
  /** Entries before this index belong to the base image (known from local images). */
  firstOwnEntry?: number;
  /** Stage index or `AS` name; default the last stage. */
  stage?: number | string;
}

/** Parses once for many calls (ranking candidate images). */
export function prepareDockerfile(text: string): ParsedStages {
  return parseDockerfileStages(text);
}

export function attributeHistoryToDockerfile(
  instructions: readonly HistoryInstruction[],
  dockerfile: string | ParsedStages,
  options: AttributionOptions = {},
): DockerfileAttribution | undefined {
  const parsed = typeof dockerfile === 'string' ? parseDockerfileStages(dockerfile) : dockerfile;
  const firstOwn = Math.max(0, Math.min(options.firstOwnEntry ?? 0, instructions.length));
  const own = instructions.slice(firstOwn);
  const target = dockerfileTarget(parsed, { stage: options.stage, buildArgs: buildArgsOf(own) });
  if (!target) return undefined;
  const steps = target.steps;
  const pairs = uniqueAlignment(own, steps);

  const entries: Array<EntryAttribution | undefined> = new Array<EntryAttribution | undefined>(instructions.length).fill(undefined);
  const matched = new Set<number>();
  pairs.forEach((stepIndex, ownIndex) => {
    if (stepIndex === undefined) return;
    entries[firstOwn + ownIndex] = describe(steps[stepIndex]!);
    matched.add(stepIndex);
  });
  const unmatchedSteps = steps.filter((step, index) => !matched.has(index) && !step.optional).map(describe);
  const stepCount = steps.filter((step, index) => !step.optional || matched.has(index)).length;
  const firstAttributed = entries.findIndex((entry) => entry !== undefined);
  const ownEntryCount = options.firstOwnEntry !== undefined ? own.length : firstAttributed >= 0 ? instructions.length - firstAttributed : 0;
  const firstStep = steps.findIndex((step) => !step.optional);
  const firstStepOwn = firstStep >= 0 ? pairs.indexOf(firstStep) : -1;
  return {
    stageIndex: target.stageIndex,
    entries,
    stepCount,
    matchedSteps: matched.size,
    unmatchedSteps,
    ownEntryCount,
    score: stepCount + ownEntryCount ? (2 * matched.size) / (stepCount + ownEntryCount) : 0,
    baseReference: target.baseReference,
    baseFromLine: target.baseFromLine,
    firstStepEntry: firstStepOwn >= 0 ? firstOwn + firstStepOwn : undefined,
  };
}

/** The image the target stage's chain starts FROM, expanded with the build arguments the history shows. */
export function dockerfileBaseReference(instructions: readonly HistoryInstruction[], dockerfile: string | ParsedStages, stage?: number | string): string | undefined {
  const parsed = typeof dockerfile === 'string' ? parseDockerfileStages(dockerfile) : dockerfile;
  return resolveStageChain(parsed, { stage, buildArgs: buildArgsOf(instructions) })?.baseReference;
}

function describe(step: DockerfileStep): EntryAttribution {
  return { startLine: step.startLine, endLine: step.endLine, stageIndex: step.stageIndex, keyword: step.keyword };
}

/** Build-argument values the RUN prefixes show; the oldest entry naming one wins. */
function buildArgsOf(instructions: readonly HistoryInstruction[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const instruction of instructions) {
    for (const [name, value] of instruction.buildArgs) if (!values.has(name)) values.set(name, value);
  }
  return values;
}

/**
 * Per entry: the step it pairs with in every longest in-order alignment, or undefined when some
 * best alignment leaves it unpaired or pairs it elsewhere.
 */
function uniqueAlignment(entries: readonly HistoryInstruction[], steps: readonly DockerfileStep[]): Array<number | undefined> {
  const m = entries.length;
  const k = steps.length;
  const width = k + 1;
  const match = new Uint8Array(m * k);
  // Only steps of the entry's keyword can match it.
  const byKeyword = new Map<string, number[]>();
  steps.forEach((step, b) => {
    const list = byKeyword.get(step.keyword) ?? [];
    list.push(b);
    byKeyword.set(step.keyword, list);
  });
  for (let a = 0; a < m; a++) {
    for (const b of byKeyword.get(entries[a]!.keyword) ?? []) if (steps[b]!.matches(entries[a]!)) match[a * k + b] = 1;
  }
  const forward = new Uint16Array((m + 1) * width);
  for (let a = 1; a <= m; a++) {
    for (let b = 1; b <= k; b++) {
      forward[a * width + b] = match[(a - 1) * k + b - 1]
        ? forward[(a - 1) * width + b - 1]! + 1
        : Math.max(forward[(a - 1) * width + b]!, forward[a * width + b - 1]!);
    }
  }
  const backward = new Uint16Array((m + 1) * width);
  for (let a = m - 1; a >= 0; a--) {
    for (let b = k - 1; b >= 0; b--) {
      backward[a * width + b] = match[a * k + b]
        ? backward[(a + 1) * width + b + 1]! + 1
        : Math.max(backward[(a + 1) * width + b]!, backward[a * width + b + 1]!);
    }
  }
  const best = forward[m * width + k]!;
  const result: Array<number | undefined> = new Array<number | undefined>(m).fill(undefined);
  for (let a = 0; a < m; a++) {
    let skippable = false;
    let only: number | undefined;
    let count = 0;
    for (let b = 0; b <= k; b++) {
      if (forward[a * width + b]! + backward[(a + 1) * width + b]! === best) skippable = true;
      if (b < k && match[a * k + b] && forward[a * width + b]! + 1 + backward[(a + 1) * width + b + 1]! === best) {
        count++;
        only = b;
      }
    }
    if (!skippable && count === 1) result[a] = only;
  }
  return result;
}

export interface DockerfileMatchCandidate {
  id: string;
  /** Milliseconds since the epoch: ties go to the most recent. */
  created?: number;
  /** Oldest first. */
  history: readonly HistoryEntryInput[];
  /** Entries before this index are the base image's, when known. */
  firstOwnEntry?: number;
}

export interface DockerfileMatchScore {
  id: string;
  created?: number;
  /** In [0, 1]; 1 when every instruction and every own entry pair up. */
  score: number;
  matchedSteps: number;
  stepCount: number;
}

/**
 * How well each image's history matches the Dockerfile, best first (then most recent), to pick
 * "the most recent local image whose history matches the file". The file is parsed once.
 */
export function rankImagesForDockerfile(dockerfile: string | ParsedStages, candidates: readonly DockerfileMatchCandidate[], options: { stage?: number | string } = {}): DockerfileMatchScore[] {
  const parsed = typeof dockerfile === 'string' ? prepareDockerfile(dockerfile) : dockerfile;
  return candidates
    .map((candidate) => {
      const instructions = cleanHistory(candidate.history);
      const attribution = attributeHistoryToDockerfile(instructions, parsed, { firstOwnEntry: candidate.firstOwnEntry, stage: options.stage });
      return {
        id: candidate.id,
        created: candidate.created,
        score: attribution?.score ?? 0,
        matchedSteps: attribution?.matchedSteps ?? 0,
        stepCount: attribution?.stepCount ?? 0,
      };
    })
    .sort((a, b) => b.score - a.score || (b.created ?? 0) - (a.created ?? 0));
}
