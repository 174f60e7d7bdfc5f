// What an image carries for nothing, item by item, tied to the Dockerfile lines behind it: bytes a
// layer wrote that a later layer removed or overwrote, each with the line that wrote them, the
// line that hid them, and a plain fix ("remove it in the same RUN as line 2"). Pure, over the
// contents model (layerContents.ts) and a layer -> line mapping (the existing attribution).

import { type ImageContents } from './layerContents';
import { type ImageLayersModel } from './model';
import { parentPath } from './layerPaths';

/** The Dockerfile line that made a layer, when the attribution knows it. */
export interface LayerLine {
  /** 1-based. */
  line: number;
  /** `RUN`, `COPY`, `ADD`, … */
  instruction: string;
}

export type WasteKind = 'removed' | 'overwritten' | 'replaced';

export interface WasteItem {
  path: string;
  bytes: number;
  kind: WasteKind;
  /** The layer that wrote the bytes, and the one that made them invisible. */
  writtenBy: number;
  hiddenBy: number;
  writtenLine?: LayerLine;
  hiddenLine?: LayerLine;
  /** One sentence: what happened and what to do. */
  fix: string;
}

/** The Layers model's attribution as a layer -> line mapping: the image's own layers with a Dockerfile line. */
export function layerLinesOf(model: Pick<ImageLayersModel, 'rows'>): (layer: number) => LayerLine | undefined {
  const lines = new Map<number, LayerLine>();
  for (const row of model.rows) {
    if (row.layerIndex !== undefined && row.dockerfile && !row.inBase) lines.set(row.layerIndex, { line: row.dockerfile.startLine + 1, instruction: row.dockerfile.keyword.toUpperCase() });
  }
  return (layer) => lines.get(layer);
}

const sizeText = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`);

function where(layer: number, line: LayerLine | undefined): string {
  return line ? `line ${line.line}` : `layer ${layer + 1}`;
}

function fixFor(item: Omit<WasteItem, 'fix'>): string {
  const what = `${item.path} (${sizeText(item.bytes)})`;
  const wrote = where(item.writtenBy, item.writtenLine);
  const hid = where(item.hiddenBy, item.hiddenLine);
  if (!item.writtenLine && !item.hiddenLine) {
    // No Dockerfile tied to the image: the layers are all there is to name.
    return `${what} is written by ${wrote} and ${item.kind === 'overwritten' ? 'overwritten' : item.kind} by ${hid}: only the last version is seen, the earlier bytes still ship in the image.`;
  }
  if (!item.writtenLine) {
    return `${what} comes from the base image and is ${item.kind === 'removed' ? 'removed' : 'overwritten'} by ${hid}: that hides it but does not make the image smaller. Use a smaller base image, or a multi-stage build that copies only what you need.`;
  }
  if (item.kind === 'overwritten') {
    return `${what} is written by ${wrote} and again by ${hid}: only the last version is seen. Write it once, in ${hid}, or in the same instruction.`;
  }
  const copied = /^(COPY|ADD)$/i.test(item.writtenLine.instruction);
  if (copied) {
    return `${what} is brought in by ${item.writtenLine.instruction.toUpperCase()} on ${wrote} and ${item.kind === 'replaced' ? 'replaced' : 'removed'} by ${hid}: leave it out of the build context (.dockerignore) or copy only what is needed.`;
  }
  return `${what} is written by ${wrote} and ${item.kind === 'replaced' ? 'replaced' : 'removed'} by ${hid}: remove it in the same ${item.writtenLine.instruction.toUpperCase()} as ${wrote}.`;
}

/**
 * Every waste item, largest first. A directory removed whole is one item per layer that wrote
 * under it (the root's path), not one per file.
 */
export function wasteItems(contents: ImageContents, lineOf: (layer: number) => LayerLine | undefined): WasteItem[] {
  const items: Array<Omit<WasteItem, 'fix'>> = [];
  for (const layer of contents.layers) {
    const removedByPath = new Map(layer.removed.map((entry) => [entry.path, entry]));
    // Roots: removals whose parent this layer did not remove too.
    const rootOf = new Map<string, string>();
    for (const entry of layer.removed) {
      let root = entry.path;
      for (let parent = parentPath(root); parent && removedByPath.has(parent); parent = parentPath(parent)) root = parent;
      rootOf.set(entry.path, root);
    }
    const grouped = new Map<string, Omit<WasteItem, 'fix'>>();
    for (const entry of layer.removed) {
      if (entry.type !== 'file' || entry.size <= 0) continue;
      const root = rootOf.get(entry.path)!;
      const rootEntry = removedByPath.get(root);
      const key = `${root}\n${entry.writtenBy}`;
      const item = grouped.get(key) ?? { path: root, bytes: 0, kind: rootEntry?.cause === 'replaced' ? 'replaced' : 'removed', writtenBy: entry.writtenBy, hiddenBy: layer.index };
      item.bytes += entry.size;
      grouped.set(key, item);
    }
    items.push(...grouped.values());
  }
  // Overwritten versions, removed later ones included: follow each path's current version
  // through the layers' own change lists (removals first, then writes, as a layer applies).
  const current = new Map<string, { layer: number; size: number }>();
  for (const layer of contents.layers) {
    for (const entry of layer.removed) current.delete(entry.path);
    for (const entry of layer.modified) {
      const previous = current.get(entry.path);
      if (previous && previous.size > 0) items.push({ path: entry.path, bytes: previous.size, kind: 'overwritten', writtenBy: previous.layer, hiddenBy: layer.index });
      current.set(entry.path, { layer: layer.index, size: entry.type === 'file' ? entry.size : 0 });
    }
    for (const entry of layer.added) current.set(entry.path, { layer: layer.index, size: entry.type === 'file' ? entry.size : 0 });
  }
  return items
    .map((item) => {
      const withLines = { ...item, writtenLine: lineOf(item.writtenBy), hiddenLine: lineOf(item.hiddenBy) };
      return { ...withLines, fix: fixFor(withLines) };
    })
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}
