// Image history <-> rootfs layers. The image config's history says, per entry, whether it made a
// layer (`empty_layer`); walking it oldest first, each entry that did takes the next diff_id.
// The Engine API does not give that flag: GET /images/{id}/history reports Size 0 both for an
// empty_layer entry and for a layer whose diff holds no file bytes. So the flag is recovered:
// every assignment of the unknown flags that fits the diff_ids is considered, and an entry is
// paired only when all of them agree. Pure logic; no `vscode` import.

import { cleanHistory, type HistoryInstruction } from './historyText';

/** diff_id of an empty tar: a layer that changed nothing (BuildKit keeps those as layers). */
export const EMPTY_LAYER_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** One history entry, oldest first (the Engine API gives them newest first). */
export interface HistoryEntryInput {
  createdBy: string;
  comment?: string;
  /** Milliseconds since the epoch. */
  created?: number;
  /**
   * Bytes of the layer the daemon paired with this entry (the Engine API's Size): 0 for
   * metadata and for layers without file bytes. Undefined when unknown (a config blob).
   */
  size?: number;
  /** The config's `empty_layer`, when known exactly (a config blob). Undefined: inferred. */
  emptyLayer?: boolean;
  /** The image this step produced, when it is local (the classic builder keeps one per step). */
  imageId?: string;
  /** How many layers the image had after this step (RootFS.Layers of `imageId`), when known. */
  layerCount?: number;
  tags?: readonly string[];
}

export type EntryKind =
  /** Made `layerIndex`. */
  | 'layer'
  /** Changed only the config (ENV, CMD, ...): no layer. */
  | 'metadata'
  /** The data cannot tell which layer, if any, this entry made. */
  | 'unattributed';

export interface AlignedEntry {
  kind: EntryKind;
  layerIndex?: number;
  /** Bytes: the layer's size for 'layer', 0 for 'metadata'; undefined when unknown. */
  size?: number;
  instruction: HistoryInstruction;
}

export interface AlignedLayer {
  diffId: string;
  /** Index into the history of the entry that made it; undefined when unattributed. */
  entryIndex?: number;
  /** Bytes of file content, when the history tells. */
  size?: number;
  /** For an unattributed layer: the entries that could have made it (oldest first), when the history narrows it down. */
  candidates?: number[];
}

export type AlignmentProblem =
  /** No history at all. */
  | 'no-history'
  /** Fewer entries could have made layers than there are layers, and BuildKit did not pad. */
  | 'short-history'
  /** More entries must have made layers than there are layers. */
  | 'long-history'
  /** BuildKit invented entries for layers without history: only the entries above them are placed. */
  | 'padded'
  /** Some entries may or may not have made a layer (zero bytes either way). */
  | 'ambiguous';

export interface LayerAlignment {
  /** Same order and length as the history given (oldest first). */
  entries: AlignedEntry[];
  /** Same order and length as the diff_ids given. */
  layers: AlignedLayer[];
  problems: AlignmentProblem[];
  /** One sentence per problem, for the panel. */
  notes: string[];
}

type Choice = { kind: 'empty' } | { kind: 'layer'; index: number };

/**
 * Pairs history entries with diff_ids. Never a wrong pairing: an entry whose layer the data
 * cannot pin down is 'unattributed', and so is a layer no entry is known to have made.
 */
export function alignHistoryWithLayers(diffIds: readonly string[], history: readonly HistoryEntryInput[] | undefined): LayerAlignment {
  const n = diffIds.length;
  const entriesIn = history ?? [];
  const instructions = cleanHistory(entriesIn);
  const layers: AlignedLayer[] = diffIds.map((diffId) => ({ diffId }));
  if (!entriesIn.length) {
    return {
      entries: [],
      layers,
      problems: ['no-history'],
      notes: n ? [`The image has no history: none of its ${plural(n, 'layer')} can be linked to an instruction.`] : [],
    };
  }
  const config = recoverConfigPairing(diffIds, entriesIn, instructions);
  if (!config.feasible) {
    const problem: AlignmentProblem = config.fewer ? 'short-history' : 'long-history';
    return {
      entries: instructions.map((instruction, index) => ({ kind: 'unattributed', size: config.fewer ? entriesIn[index]!.size : undefined, instruction })),
      layers,
      problems: [problem],
      notes: [
        problem === 'short-history'
          ? `The history accounts for fewer layers than the image's ${n}, without saying which are missing: no entry is linked to a layer.`
          : `The history names more layers than the image's ${n}: no entry is linked to a layer.`,
      ],
    };
  }

  const layerSizes = config.layerSizes;
  const padded = instructions.some((instruction) => instruction.padding);
  const entries: AlignedEntry[] = instructions.map((instruction, index) => {
    const choice = config.choices[index];
    const reported = entriesIn[index]!.size;
    if (padded || !choice) return { kind: 'unattributed', size: padded ? undefined : reported, instruction };
    if (choice.kind === 'empty') return { kind: 'metadata', size: 0, instruction };
    return { kind: 'layer', layerIndex: choice.index, size: layerSizes[choice.index] ?? reported, instruction };
  });
  if (padded) placeAbovePadding(entries, config.choices, layerSizes, n);
  entries.forEach((entry, index) => {
    if (entry.kind === 'layer' && entry.layerIndex !== undefined) layers[entry.layerIndex]!.entryIndex = index;
  });
  layers.forEach((layer, index) => {
    if (layerSizes[index] !== undefined) layer.size = layerSizes[index];
    if (layer.entryIndex === undefined && !padded && config.candidates[index]?.length) layer.candidates = config.candidates[index];
  });

  const problems: AlignmentProblem[] = [];
  const notes: string[] = [];
  if (padded) {
    const padding = instructions.filter((instruction) => instruction.padding).length;
    problems.push('padded');
    notes.push(
      `BuildKit added ${plural(padding, 'history entry', 'history entries')} for layers that had none (the base image's history was incomplete): ` +
        'the layers below the build\'s own entries are shown without an instruction.',
    );
  }
  const ambiguous = config.choices.filter((choice) => !choice).length;
  if (ambiguous) {
    problems.push('ambiguous');
    notes.push(`${plural(ambiguous, 'entry', 'entries')} wrote no file bytes, and the history cannot tell which of them made a layer: they are shown unattributed.`);
  }
  return { entries, layers, problems, notes };
}

/**
 * The entries BuildKit wrote above its padding are the build's own and sit on the top layers;
 * so, top down: the entries after the last padding entry, then the BuildKit run just before
 * the padding block. Below that, nothing is known.
 */
function placeAbovePadding(entries: AlignedEntry[], choices: ReadonlyArray<Choice | undefined>, layerSizes: ReadonlyArray<number | undefined>, n: number): void {
  let lastPad = -1;
  entries.forEach((entry, index) => {
    if (entry.instruction.padding) lastPad = index;
  });
  let blockStart = lastPad;
  while (blockStart > 0 && entries[blockStart - 1]!.instruction.padding) blockStart--;
  let runStart = blockStart;
  while (runStart > 0 && entries[runStart - 1]!.instruction.builder === 'buildkit' && !entries[runStart - 1]!.instruction.padding) runStart--;
  const trusted = [...range(lastPad + 1, entries.length), ...range(runStart, blockStart)].sort((a, b) => b - a);
  let next = n - 1;
  for (const index of trusted) {
    const choice = choices[index];
    if (!choice || (choice.kind === 'layer' && next < 0)) return;
    const entry = entries[index]!;
    if (choice.kind === 'empty') {
      entries[index] = { kind: 'metadata', size: 0, instruction: entry.instruction };
    } else {
      entries[index] = { kind: 'layer', layerIndex: next, size: layerSizes[next], instruction: entry.instruction };
      next--;
    }
  }
}

interface ConfigPairing {
  feasible: boolean;
  /** Infeasible because too few entries can be layers. */
  fewer: boolean;
  /** Per entry: its place in the config's own (bottom-up) pairing, undefined when not unique. */
  choices: Array<Choice | undefined>;
  /** Per layer: its size, when every consistent pairing gives the same. */
  layerSizes: Array<number | undefined>;
  /** Per layer: the entries some consistent pairing gives it. */
  candidates: number[][];
}

/**
 * Recovers each entry's `empty_layer` flag, as the daemon paired them (bottom up), from what
 * is certain: a non-zero size is a layer; the text's rule (BuildKit's RUN/COPY/ADD are layers,
 * ENV/CMD/... never); the known layer count after a step; an empty-tar diff_id has no bytes.
 * Forward and backward reachability over (entry, layers used) give every consistent choice.
 */
function recoverConfigPairing(diffIds: readonly string[], history: readonly HistoryEntryInput[], instructions: readonly HistoryInstruction[]): ConfigPairing {
  const m = history.length;
  const n = diffIds.length;
  const width = n + 1;
  const canLayer = new Uint8Array(m);
  const canEmpty = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const entry = history[i]!;
    const rule = instructions[i]!.layerRule;
    if (entry.emptyLayer !== undefined) {
      canLayer[i] = entry.emptyLayer ? 0 : 1;
      canEmpty[i] = entry.emptyLayer ? 1 : 0;
    } else if ((entry.size ?? 0) > 0) {
      canLayer[i] = 1;
    } else {
      canLayer[i] = rule === 'metadata' ? 0 : 1;
      canEmpty[i] = rule === 'layer' ? 0 : 1;
    }
  }
  const validLayer = (i: number, j: number): boolean => {
    if (!canLayer[i] || j >= n) return false;
    const entry = history[i]!;
    if ((entry.size ?? 0) > 0 && diffIds[j] === EMPTY_LAYER_DIFF_ID) return false;
    return entry.layerCount === undefined || entry.layerCount === j + 1;
  };
  const validEmpty = (i: number, j: number): boolean => canEmpty[i] === 1 && (history[i]!.layerCount === undefined || history[i]!.layerCount === j);

  const forward = new Uint8Array((m + 1) * width);
  forward[0] = 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= n; j++) {
      if (!forward[i * width + j]) continue;
      if (validEmpty(i, j)) forward[(i + 1) * width + j] = 1;
      if (validLayer(i, j)) forward[(i + 1) * width + j + 1] = 1;
    }
  }
  const choices: Array<Choice | undefined> = new Array<Choice | undefined>(m).fill(undefined);
  const layerSizes: Array<number | undefined> = new Array<number | undefined>(n).fill(undefined);
  if (!forward[m * width + n]) {
    let fewer = false;
    for (let j = 0; j < n; j++) if (forward[m * width + j]) fewer = true;
    return { feasible: false, fewer, choices, layerSizes, candidates: [] };
  }
  const backward = new Uint8Array((m + 1) * width);
  backward[m * width + n] = 1;
  for (let i = m - 1; i >= 0; i--) {
    for (let j = 0; j <= n; j++) {
      if ((validEmpty(i, j) && backward[(i + 1) * width + j]) || (validLayer(i, j) && backward[(i + 1) * width + j + 1])) backward[i * width + j] = 1;
    }
  }
  // Sizes a layer can get, and whether they agree: -1 unseen, -2 disagreeing or unknown.
  const sizeOf = new Array<number>(n).fill(-1);
  const candidates: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < m; i++) {
    let options = 0;
    let only: Choice | undefined;
    let sawEmpty = false;
    for (let j = 0; j <= n; j++) {
      if (!forward[i * width + j]) continue;
      if (!sawEmpty && validEmpty(i, j) && backward[(i + 1) * width + j]) {
        sawEmpty = true;
        options++;
        only = { kind: 'empty' };
      }
      if (validLayer(i, j) && backward[(i + 1) * width + j + 1]) {
        options++;
        only = { kind: 'layer', index: j };
        candidates[j]!.push(i);
        const size = history[i]!.size;
        sizeOf[j] = size === undefined ? -2 : sizeOf[j] === -1 || sizeOf[j] === size ? size : -2;
      }
    }
    if (options === 1) choices[i] = only;
  }
  for (let j = 0; j < n; j++) if (sizeOf[j]! >= 0) layerSizes[j] = sizeOf[j];
  return { feasible: true, fewer: false, choices, layerSizes, candidates };
}

function* range(start: number, end: number): Generator<number> {
  for (let i = start; i < end; i++) yield i;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
