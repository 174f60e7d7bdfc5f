// Image history <-> rootfs layers <-> Dockerfile instructions: the model the Layers panel and
// the Dockerfile's size lenses show. One row per history entry in build order (plus a row for
// any layer no entry is known to have made), each with its layer, size, the other local images
// sharing it, whether it is the base image's, and the Dockerfile lines that wrote it.
// Pure logic; no `vscode` import. The pieces: historyText (cleaning), layerAlignment
// (entries <-> diff_ids), layerIndex (sharing, base image), dockerfileSteps with stepValues and
// stepMatchers (what each instruction should have recorded), layerAttribution (entries <->
// Dockerfile lines, ranking images for a file).

import { alignHistoryWithLayers, type AlignmentProblem, type EntryKind, type HistoryEntryInput, type LayerAlignment } from './layerAlignment';
import { attributeHistoryToDockerfile, dockerfileBaseReference, prepareDockerfile, type DockerfileAttribution, type EntryAttribution } from './layerAttribution';
import { type HistoryInstruction } from './historyText';
import { type LocalLayerIndex, type BaseImageMatch, type LocalImageLayers, type SharedLayer } from './layerIndex';
import { type ParsedStages } from './dockerfileSteps';
import { formatPlatform } from '../image/platform';
import { shortImageId } from '../util/format';

export { alignHistoryWithLayers, EMPTY_LAYER_DIFF_ID } from './layerAlignment';
export type { AlignedEntry, AlignedLayer, AlignmentProblem, EntryKind, HistoryEntryInput, LayerAlignment } from './layerAlignment';
export { cleanHistory, cleanHistoryEntry } from './historyText';
export type { HistoryBuilder, HistoryInstruction, LayerRule } from './historyText';
export { LocalLayerIndex, SharedLayer } from './layerIndex';
export type { BaseImageMatch, LocalImageLayers } from './layerIndex';
export { attributeHistoryToDockerfile, dockerfileBaseReference, prepareDockerfile, rankImagesForDockerfile } from './layerAttribution';
export type { AttributionOptions, DockerfileAttribution, DockerfileMatchCandidate, DockerfileMatchScore, EntryAttribution } from './layerAttribution';

/** One image as the model needs it: inspect's RootFS and identity, and its history oldest first. */
export interface ImageLayersInput {
  id: string;
  repoTags: readonly string[];
  repoDigests: readonly string[];
  /** Milliseconds since the epoch. */
  created?: number;
  /** Bytes, as inspect's Size. */
  size?: number;
  os?: string;
  architecture?: string;
  variant?: string;
  /** RootFS.Layers, bottom first. */
  diffIds: readonly string[];
  /** Oldest first; undefined when there is none or it could not be read. */
  history?: readonly HistoryEntryInput[];
  /** Why the history could not be read (one sentence), when it could not. */
  historyProblem?: string;
}

export interface LayerRow {
  /** Index into the history (oldest first); undefined for a layer no entry is known to have made. */
  historyIndex?: number;
  /** Index into diffIds, when the row is a layer. */
  layerIndex?: number;
  diffId?: string;
  /** 'layer' (made `layerIndex`), 'metadata' (config only), 'unattributed' (the data cannot tell). */
  kind: EntryKind;
  /** Undefined for a layer without a known entry. */
  instruction?: HistoryInstruction;
  /** Bytes; 0 for metadata; undefined when unknown. */
  size?: number;
  /** Milliseconds since the epoch. */
  created?: number;
  /** Other local images holding this layer at the same chain position; undefined for a row without a layer or without an index. */
  shared?: SharedLayer;
  /** Belongs to the FROM image: the panel folds these under "from <base.name>". */
  inBase: boolean;
  /** The Dockerfile instruction that wrote it, when attributed. */
  dockerfile?: EntryAttribution;
}

export interface ImageLayersModel {
  image: {
    id: string;
    repoTags: readonly string[];
    repoDigests: readonly string[];
    created?: number;
    size?: number;
    /** `linux/amd64`, `linux/arm/v7`; undefined when inspect says nothing. */
    platform?: string;
    layerCount: number;
    historyCount: number;
  };
  /** Build order (oldest first). The first `base.rowCount` rows are the base image's. */
  rows: LayerRow[];
  base?: {
    name: string;
    /** The local image, when found by its layers. */
    imageId?: string;
    layerCount: number;
    rowCount: number;
    /** How it was found: a local image's layers (named by the FROM when it names that image), or the Dockerfile alone. */
    via: 'local-image' | 'dockerfile';
  };
  dockerfile?: Omit<DockerfileAttribution, 'entries'>;
  problems: AlignmentProblem[];
  /** Sentences for the panel: missing or padded history, ambiguous entries, an unreadable history. */
  notes: string[];
  /** Row with the largest size, when any row has bytes. */
  largestRow?: number;
}

export interface LayersModelOptions {
  /** The local images' layers, for sharing and the base image. */
  index?: LocalLayerIndex;
  dockerfile?: { text: string | ParsedStages; stage?: number | string };
}

export function buildImageLayersModel(image: ImageLayersInput, options: LayersModelOptions = {}): ImageLayersModel {
  const alignment = alignHistoryWithLayers(image.diffIds, image.history);
  const history = image.history ?? [];
  const parsed = options.dockerfile ? (typeof options.dockerfile.text === 'string' ? prepareDockerfile(options.dockerfile.text) : options.dockerfile.text) : undefined;

  // The base by layers first: it tells the attribution where the image's own entries start.
  const instructions = alignment.entries.map((entry) => entry.instruction);
  const fromReference = parsed ? dockerfileBaseReference(instructions, parsed, options.dockerfile?.stage) : undefined;
  let localBase = options.index?.findBase(image.diffIds, image.id, fromReference);
  let localBaseEntries = localBase ? baseEntryCount(alignment, localBase) : undefined;
  if (parsed && localBase && !localBase.viaFrom && localBaseEntries !== undefined) {
    // A local image the FROM does not name (an older build of the same file?) must not swallow
    // entries the file's first instruction wrote.
    const unbounded = attributeHistoryToDockerfile(instructions, parsed, { stage: options.dockerfile?.stage });
    if (unbounded?.firstStepEntry !== undefined && unbounded.firstStepEntry < localBaseEntries) {
      localBase = undefined;
      localBaseEntries = undefined;
    }
  }
  const attribution = parsed ? attributeHistoryToDockerfile(instructions, parsed, { firstOwnEntry: localBaseEntries, stage: options.dockerfile?.stage }) : undefined;

  const sharing = options.index?.sharing(image.diffIds, image.id);
  const rows = buildRows(alignment, history, attribution, sharing);

  let base: ImageLayersModel['base'];
  if (localBase && localBaseEntries !== undefined) {
    const rowCount = markBase(rows, (row) => (row.historyIndex !== undefined ? row.historyIndex < localBaseEntries : (row.layerIndex ?? Infinity) < localBase.layerCount));
    base = { name: localBase.name, imageId: localBase.image.id, layerCount: localBase.layerCount, rowCount, via: 'local-image' };
  } else if (attribution?.firstStepEntry !== undefined && attribution.firstStepEntry > 0 && attribution.baseReference) {
    const firstOwn = attribution.firstStepEntry;
    const firstOwnRow = rows.findIndex((row) => row.historyIndex === firstOwn);
    const rowCount = markBase(rows, (_row, index) => index < firstOwnRow);
    const layerCount = rows.slice(0, rowCount).filter((row) => row.layerIndex !== undefined).length;
    base = { name: attribution.baseReference, layerCount, rowCount, via: 'dockerfile' };
  }

  let largestRow: number | undefined;
  rows.forEach((row, index) => {
    if ((row.size ?? 0) > 0 && (largestRow === undefined || row.size! > rows[largestRow]!.size!)) largestRow = index;
  });
  const notes = [...alignment.notes];
  if (image.historyProblem) notes.unshift(image.historyProblem);
  return {
    image: {
      id: image.id,
      repoTags: image.repoTags,
      repoDigests: image.repoDigests,
      created: image.created,
      size: image.size,
      platform: image.os && image.architecture ? formatPlatform(image) : undefined,
      layerCount: image.diffIds.length,
      historyCount: history.length,
    },
    rows,
    base,
    dockerfile: attribution ? withoutEntries(attribution) : undefined,
    problems: alignment.problems,
    notes,
    largestRow,
  };
}

/**
 * How many history entries are the base image's: its own history length when known and
 * consistent with the layers, else up to the last entry known to have made a base layer.
 */
function baseEntryCount(alignment: LayerAlignment, base: BaseImageMatch): number | undefined {
  const entries = alignment.entries;
  const known = base.image.historyLength;
  if (known !== undefined && known <= entries.length) {
    const contradicts = entries.some((entry, index) => entry.layerIndex !== undefined && (index < known ? entry.layerIndex >= base.layerCount : entry.layerIndex < base.layerCount));
    if (!contradicts) return known;
  }
  let last = -1;
  entries.forEach((entry, index) => {
    if (entry.layerIndex !== undefined && entry.layerIndex < base.layerCount) last = index;
  });
  // Without a placed base layer there is no telling where the base's entries end.
  return last >= 0 ? last + 1 : undefined;
}

/**
 * Entries in history order; a layer no entry is known to have made goes right after the last
 * entry that could have made it, else just before the first entry known to be above it.
 */
function buildRows(
  alignment: LayerAlignment,
  history: readonly HistoryEntryInput[],
  attribution: DockerfileAttribution | undefined,
  sharing: readonly SharedLayer[] | undefined,
): LayerRow[] {
  const layers = alignment.layers;
  const entries = alignment.entries;
  // Orphan layers by the entry they follow (-1: before every entry).
  const after = new Map<number, number[]>();
  layers.forEach((layer, layerIndex) => {
    if (layer.entryIndex !== undefined) return;
    let anchor = layer.candidates?.length ? layer.candidates[layer.candidates.length - 1]! : undefined;
    if (anchor === undefined) {
      const above = entries.findIndex((entry) => entry.layerIndex !== undefined && entry.layerIndex > layerIndex);
      anchor = above >= 0 ? above - 1 : entries.length - 1;
    }
    const list = after.get(anchor) ?? [];
    list.push(layerIndex);
    after.set(anchor, list);
  });
  const rows: LayerRow[] = [];
  const pushOrphans = (anchor: number): void => {
    for (const layerIndex of after.get(anchor) ?? []) {
      const layer = layers[layerIndex]!;
      rows.push({ layerIndex, diffId: layer.diffId, kind: 'unattributed', size: layer.size, shared: sharing?.[layerIndex], inBase: false });
    }
  };
  pushOrphans(-1);
  entries.forEach((entry, index) => {
    const layerIndex = entry.layerIndex;
    rows.push({
      historyIndex: index,
      layerIndex,
      diffId: layerIndex !== undefined ? layers[layerIndex]!.diffId : undefined,
      kind: entry.kind,
      instruction: entry.instruction,
      size: entry.size,
      created: history[index]?.created,
      shared: layerIndex !== undefined ? sharing?.[layerIndex] : undefined,
      inBase: false,
      dockerfile: attribution?.entries[index],
    });
    pushOrphans(index);
  });
  return rows;
}

/** Marks the leading rows that satisfy `inBase`; returns how many. */
function markBase(rows: LayerRow[], inBase: (row: LayerRow, index: number) => boolean): number {
  let count = 0;
  while (count < rows.length && inBase(rows[count]!, count)) rows[count++]!.inBase = true;
  return count;
}

function withoutEntries(attribution: DockerfileAttribution): Omit<DockerfileAttribution, 'entries'> {
  const { entries, ...rest } = attribution;
  void entries;
  return rest;
}

/**
 * For the Dockerfile's size lenses: each attributed instruction that made a layer, with that
 * layer's size; `largest` marks the biggest.
 */
export function layerSizesByLine(model: ImageLayersModel): Array<{ startLine: number; endLine: number; keyword: string; size: number; largest: boolean }> {
  const sized = model.rows.filter((row) => row.kind === 'layer' && row.dockerfile && row.size !== undefined);
  const max = Math.max(0, ...sized.map((row) => row.size!));
  return sized.map((row) => ({ startLine: row.dockerfile!.startLine, endLine: row.dockerfile!.endLine, keyword: row.dockerfile!.keyword, size: row.size!, largest: max > 0 && row.size === max }));
}

/** A name for an image in lists: its first tag, else its first digest reference, else its short ID. */
export function imageDisplayName(image: Pick<LocalImageLayers, 'id' | 'repoTags' | 'repoDigests'>): string {
  return image.repoTags[0] ?? image.repoDigests?.[0] ?? shortImageId(image.id);
}
