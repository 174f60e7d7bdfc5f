// What each layer of an image adds, modifies and removes, the final visible filesystem with
// the versions later layers hid, and the bytes each layer wrote that the final image does not
// show (hidden bytes). Pure, over the archive reader's entries (image/layerEntry.ts); dive's own
// figures, which differ on purpose, come from diveEfficiency.ts. No `vscode` import.
//
// A layer applies the way an overlay snapshotter applies its tar: first every removal against
// the layers below (a whiteout, an opaque directory, a non-directory written over a directory,
// which the applier replaces whole), then every write. A path the same layer writes again is
// modified, not removed.

import { type LayerEntries, type LayerEntry } from '../image/layerEntry';
import { diveEfficiency, type DiveEfficiency } from './diveEfficiency';
import { baseName, childPath, OPAQUE_MARKER, parentPath, PathChildren, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX } from './layerPaths';

export type RemovalCause = 'whiteout' | 'opaque' | 'replaced';

/** A path a layer made invisible: the removed version's entry, with `size` the bytes that became invisible at and under it. */
export interface RemovedEntry extends LayerEntry {
  /** The layer that wrote the version removed. */
  writtenBy: number;
  cause: RemovalCause;
}

export interface ChangeTally {
  count: number;
  /** Added and modified: the entries' sizes; removed: the bytes of every version removed, each once. */
  bytes: number;
}

export interface LayerChanges {
  index: number;
  diffId: string;
  /** In tar order; the entries themselves, not copies. */
  added: readonly LayerEntry[];
  modified: readonly LayerEntry[];
  /** Each removal's root first, then what was under it. */
  removed: readonly RemovedEntry[];
  /** Whiteouts that found nothing to remove, by the path they name. */
  unmatchedWhiteouts: readonly string[];
  tally: { readonly added: ChangeTally; readonly modified: ChangeTally; readonly removed: ChangeTally };
  /** The sum of the layer's entry sizes (what dive calls the layer's size). */
  sizeBytes: number;
  /** Bytes this layer wrote that the final image does not show: overwritten or removed above. */
  hiddenBytes: number;
}

export interface HiddenVersion {
  layer: number;
  size: number;
}

/** A path of the final filesystem: who wrote what is seen, and the versions under it. */
export interface VisiblePath {
  readonly layer: number;
  readonly entry: LayerEntry;
  /** Earlier versions the visible one hides, oldest first; absent when there are none. */
  readonly earlier?: readonly HiddenVersion[];
}

export interface ImageContents {
  layers: readonly LayerChanges[];
  /** The merged tree: every path the final image shows. */
  visible: ReadonlyMap<string, VisiblePath>;
  visibleBytes: number;
  /** The sum of every layer's hiddenBytes: written bytes = visibleBytes + hiddenBytes. */
  hiddenBytes: number;
  /** dive's figures, for holding against `dive --ci`; its wastedBytes misses directories removed whole. */
  dive: DiveEfficiency;
}

interface MutableVersion {
  layer: number;
  entry: LayerEntry;
  earlier?: HiddenVersion[];
}

interface MutableChanges extends LayerChanges {
  added: LayerEntry[];
  modified: LayerEntry[];
  removed: RemovedEntry[];
  unmatchedWhiteouts: string[];
}

export function analyzeLayers(layers: readonly LayerEntries[]): ImageContents {
  const merged = new MergedTree(layers.length);
  const changes = layers.map((layer, index) => merged.apply(layer, index));
  let hiddenBytes = 0;
  for (const layer of changes) {
    layer.hiddenBytes = merged.hiddenByLayer[layer.index] ?? 0;
    hiddenBytes += layer.hiddenBytes;
  }
  let visibleBytes = 0;
  for (const version of merged.visible.values()) visibleBytes += version.entry.size;
  return { layers: changes, visible: merged.visible, visibleBytes, hiddenBytes, dive: diveEfficiency(layers) };
}

class MergedTree {
  readonly visible = new Map<string, MutableVersion>();
  readonly hiddenByLayer: number[];
  private readonly children = new PathChildren();

  constructor(layerCount: number) {
    this.hiddenByLayer = new Array<number>(layerCount).fill(0);
  }

  apply(layer: LayerEntries, index: number): MutableChanges {
    const changes: MutableChanges = {
      index, diffId: layer.diffId, added: [], modified: [], removed: [], unmatchedWhiteouts: [],
      tally: { added: { count: 0, bytes: 0 }, modified: { count: 0, bytes: 0 }, removed: { count: 0, bytes: 0 } },
      sizeBytes: 0, hiddenBytes: 0,
    };
    const removal = new LayerRemoval(this, layer, changes);
    const isMarker = new Uint8Array(layer.entries.length);
    layer.entries.forEach((entry, at) => {
      changes.sizeBytes += entry.size;
      const name = baseName(entry.path);
      if (!name.startsWith(WHITEOUT_PREFIX)) {
        if (entry.type !== 'directory' && this.children.hasChildren(entry.path)) removal.remove(entry.path, false, 'replaced');
        return;
      }
      isMarker[at] = 1;
      if (name === OPAQUE_MARKER) {
        removal.remove(parentPath(entry.path), false, 'opaque');
      } else if (!name.startsWith(WHITEOUT_META_PREFIX)) {
        const target = childPath(parentPath(entry.path), name.slice(WHITEOUT_PREFIX.length));
        if (!removal.remove(target, true, 'whiteout')) changes.unmatchedWhiteouts.push(target);
      }
    });
    layer.entries.forEach((entry, at) => {
      if (isMarker[at] === 0) this.write(entry, index, changes);
    });
    return changes;
  }

  private write(entry: LayerEntry, layer: number, changes: MutableChanges): void {
    const version = this.visible.get(entry.path);
    if (!version) {
      this.visible.set(entry.path, { layer, entry });
      this.children.link(entry.path);
      changes.added.push(entry);
      tallyOne(changes.tally.added, entry.size);
      return;
    }
    // A tar may hold a path twice; the second write keeps the kind of the first.
    const visibleBefore = version.layer < layer || (version.earlier?.[0]?.layer ?? layer) < layer;
    this.hideVersion(version);
    (version.earlier ??= []).push({ layer: version.layer, size: version.entry.size });
    version.layer = layer;
    version.entry = entry;
    if (visibleBefore) {
      changes.modified.push(entry);
      tallyOne(changes.tally.modified, entry.size);
    } else {
      changes.added.push(entry);
      tallyOne(changes.tally.added, entry.size);
    }
  }

  hideVersion(version: MutableVersion): void {
    this.hiddenByLayer[version.layer] = (this.hiddenByLayer[version.layer] ?? 0) + version.entry.size;
  }

  /** Takes a path out of the merged tree; its children stay indexed under it. */
  take(path: string): MutableVersion | undefined {
    const version = this.visible.get(path);
    if (!version) return undefined;
    this.visible.delete(path);
    this.children.unlink(path);
    this.hideVersion(version);
    return version;
  }

  subtree(path: string, withSelf: boolean): string[] {
    return this.children.subtree(path, withSelf);
  }

  has(path: string): boolean {
    return this.visible.has(path);
  }
}

/** One layer's removals, all against the layers below it. */
class LayerRemoval {
  private writtenHere?: Set<string>;

  constructor(
    private readonly merged: MergedTree,
    private readonly layer: LayerEntries,
    private readonly changes: MutableChanges,
  ) {}

  /** Removes `root` (when `withRoot`) and what is under it; false when there was nothing there. */
  remove(root: string, withRoot: boolean, cause: RemovalCause): boolean {
    const paths = this.merged.subtree(root, withRoot);
    const removedAt = new Map<string, RemovedEntry>();
    let found = false;
    for (const path of paths) {
      if (!this.merged.has(path)) continue;
      found = true;
      if (this.written().has(path)) continue;
      const version = this.merged.take(path);
      if (!version) continue;
      const removed: RemovedEntry = { ...version.entry, writtenBy: version.layer, cause };
      removedAt.set(path, removed);
      this.changes.removed.push(removed);
      tallyOne(this.changes.tally.removed, version.entry.size);
    }
    if (removedAt.size > 1) sizeRemovedDirectories(paths, root, removedAt);
    return found;
  }

  private written(): Set<string> {
    if (!this.writtenHere) {
      this.writtenHere = new Set();
      for (const entry of this.layer.entries) {
        if (!baseName(entry.path).startsWith(WHITEOUT_PREFIX)) this.writtenHere.add(entry.path);
      }
    }
    return this.writtenHere;
  }
}

/** A removed directory's size becomes the bytes removed under it, through directories kept. */
function sizeRemovedDirectories(paths: readonly string[], root: string, removedAt: ReadonlyMap<string, RemovedEntry>): void {
  const bytesUnder = new Map<string, number>();
  for (let at = paths.length - 1; at >= 0; at--) {
    const path = paths[at] ?? root;
    const removed = removedAt.get(path);
    const total = (removed?.size ?? 0) + (bytesUnder.get(path) ?? 0);
    if (removed) removed.size = total;
    if (total > 0 && path !== root) {
      const parent = parentPath(path);
      bytesUnder.set(parent, (bytesUnder.get(parent) ?? 0) + total);
    }
  }
}

function tallyOne(tally: ChangeTally, bytes: number): void {
  tally.count += 1;
  tally.bytes += bytes;
}
