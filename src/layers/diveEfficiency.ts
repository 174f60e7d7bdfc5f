// dive's efficiency figures, computed the way dive computes them (github.com/wagoodman/dive:
// dive/filetree/efficiency.go, file_tree.go, file_node.go; dive/image/image.go) so that a user
// can hold them against `dive --ci`. They differ from our hidden bytes (layerContents.ts) on
// purpose: dive ignores opaque markers, and it counts a directory deleted whole once, as the
// whiteout's size, while the files under it were each seen once: its wasted bytes miss it.
//
// One tree per layer, as dive builds it: intermediate directories made implicitly (no entry of
// their own: 0 bytes and, as dive's empty FileInfo says, not a directory); `.wh..wh..*` names
// dropped; `.wh.name` kept as a whiteout node whose path is `name`. Every leaf of a layer's tree
// is seen once: its size, or for a whiteout the bytes of the directory it removes from the
// layers below (0 for a file). Paths are reported relative, as the entries are (dive prints a
// leading `/`). No `vscode` import.

import { type LayerEntries, type LayerEntry } from '../image/layerEntry';
import { baseName, childPath, parentPath, PathChildren, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX } from './layerPaths';

export interface InefficientPath {
  path: string;
  /** Layers in which the path was a leaf. */
  count: number;
  cumulativeSize: number;
}

export interface DiveEfficiency {
  /** Sum over paths of the smallest size seen, over the sum of every size seen; 1 when nothing was seen. */
  efficiency: number;
  /** The cumulative size of every path seen in two or more layers. */
  wastedBytes: number;
  /** dive's WastedUserPercent (a fraction; dive prints it x100): wastedBytes over the sizes of every layer but the first. */
  userWastedFraction: number;
  /** Paths seen in two or more layers, largest cumulative size first. */
  inefficientPaths: readonly InefficientPath[];
}

export function diveEfficiency(layers: readonly LayerEntries[]): DiveEfficiency {
  const sightings = new PathSightings();
  // dive stacks "the layers below" as layer 0 plus layers 0..i-1 (layer 0 twice, and layer 0
  // alone for layer 0's own whiteouts); a base layer holds no whiteouts, so this is the same.
  const below = new StackedTree();
  for (const layer of layers) {
    const tree = new LayerTree(layer.entries);
    for (const [path, info] of tree.nodes) {
      if (tree.parents.has(path)) continue;
      const target = whiteoutTarget(path);
      // dive fails its whole visit of the layer when a whiteout's path is not below (its
      // GetNode errors; the rest of that layer's leaves go unseen and a -1 enters the minimum
      // sum). We count such a whiteout as 0 bytes and go on.
      if (target !== undefined) sightings.see(target, below.removedBytes(target));
      else sightings.see(path, sizeOf(info));
    }
    below.stack(tree);
  }
  const userSizeBytes = layers.slice(1).reduce((sum, layer) => sum + layerSize(layer.entries), 0);
  const wastedBytes = sightings.repeated.reduce((sum, path) => sum + path.cumulativeSize, 0);
  return {
    efficiency: sightings.cumulativeTotal === 0 ? 1 : sightings.minimumTotal / sightings.cumulativeTotal,
    wastedBytes,
    // dive divides by zero here (NaN or Infinity) when only the first layer has bytes.
    userWastedFraction: userSizeBytes === 0 ? 0 : wastedBytes / userSizeBytes,
    inefficientPaths: sightings.repeated
      .map(({ path, count, cumulativeSize }) => ({ path, count, cumulativeSize }))
      .sort((a, b) => b.cumulativeSize - a.cumulativeSize || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

function layerSize(entries: readonly LayerEntry[]): number {
  let size = 0;
  for (const entry of entries) size += entry.size;
  return size;
}

// A node's FileInfo in one number: a directory of n bytes is -(n + 1), anything else its bytes.
type NodeInfo = number;
const IMPLICIT: NodeInfo = 0;
const infoOf = (entry: LayerEntry): NodeInfo => (entry.type === 'directory' ? -entry.size - 1 : entry.size);
const sizeOf = (info: NodeInfo): number => (info < 0 ? -info - 1 : info);
const isDirectory = (info: NodeInfo): boolean => info < 0;

/** The path a whiteout node stands for, or undefined for any other node. */
function whiteoutTarget(path: string): string | undefined {
  const name = baseName(path);
  return name.startsWith(WHITEOUT_PREFIX) ? childPath(parentPath(path), name.slice(WHITEOUT_PREFIX.length)) : undefined;
}

/** One layer's tree as dive's FileTree.AddPath builds it from the tar's entries in order. */
class LayerTree {
  readonly nodes = new Map<string, NodeInfo>();
  /** Nodes with children: every other node is a leaf. */
  readonly parents = new Set<string>();

  constructor(entries: readonly LayerEntry[]) {
    for (const entry of entries) {
      if (entry.path !== '') this.add(entry.path, infoOf(entry));
    }
  }

  private add(path: string, info: NodeInfo): void {
    if (!this.nodes.has(path)) {
      if (!this.addMissingAncestors(path) || baseName(path).startsWith(WHITEOUT_META_PREFIX)) return;
      this.linkToParent(path);
    }
    this.nodes.set(path, info);
  }

  /** Creates the missing directories above `path`, outermost first; false where one is dropped. */
  private addMissingAncestors(path: string): boolean {
    const missing: string[] = [];
    for (let ancestor = parentPath(path); ancestor !== '' && !this.nodes.has(ancestor); ancestor = parentPath(ancestor)) {
      missing.push(ancestor);
    }
    for (let at = missing.length - 1; at >= 0; at--) {
      const ancestor = missing[at] ?? '';
      if (baseName(ancestor).startsWith(WHITEOUT_META_PREFIX)) return false;
      this.linkToParent(ancestor);
      this.nodes.set(ancestor, IMPLICIT);
    }
    return true;
  }

  private linkToParent(path: string): void {
    const parent = parentPath(path);
    if (parent !== '') this.parents.add(parent);
  }
}

/** The layers below the one being seen, stacked as dive's FileTree.Stack does. */
class StackedTree {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly children = new PathChildren();

  /** A whiteout's size: the bytes of the directory it removes, with all under it; 0 for a file. */
  removedBytes(path: string): number {
    const info = this.nodes.get(path);
    if (info === undefined || !isDirectory(info)) return 0;
    let bytes = 0;
    for (const node of this.children.subtree(path, true)) bytes += sizeOf(this.nodes.get(node) ?? IMPLICIT);
    return bytes;
  }

  /**
   * dive grafts a layer child-first in sorted name order, so a whiteout `.wh.name` comes before
   * or after the subtree of its sibling `name` as the two names sort. Whiteouts sorting first,
   * then every other node (implicit ones too: they reset a directory below to not-a-directory,
   * as dive's empty FileInfo does), then the whiteouts sorting after, gives the same tree.
   */
  stack(layer: LayerTree): void {
    this.applyWhiteouts(layer, true);
    for (const [path, info] of layer.nodes) {
      if (whiteoutTarget(path) !== undefined) continue;
      if (!this.nodes.has(path)) this.children.link(path);
      this.nodes.set(path, info);
    }
    this.applyWhiteouts(layer, false);
  }

  private applyWhiteouts(layer: LayerTree, sortingFirst: boolean): void {
    for (const path of layer.nodes.keys()) {
      const target = whiteoutTarget(path);
      if (target === undefined || baseName(path) < baseName(target) !== sortingFirst) continue;
      if (!this.nodes.has(target)) continue;
      for (const node of this.children.subtree(target, true)) {
        this.nodes.delete(node);
        this.children.unlink(node);
      }
    }
  }
}

interface RepeatedPath extends InefficientPath {
  smallestSize: number;
}

/** Every path's sizes as dive's efficiency visitor adds them up, an object only for repeats. */
class PathSightings {
  minimumTotal = 0;
  cumulativeTotal = 0;
  readonly repeated: RepeatedPath[] = [];
  private readonly seen = new Map<string, number | RepeatedPath>();

  see(path: string, size: number): void {
    this.cumulativeTotal += size;
    const before = this.seen.get(path);
    if (before === undefined) {
      this.seen.set(path, size);
      this.minimumTotal += size;
      return;
    }
    let repeat: RepeatedPath;
    if (typeof before === 'number') {
      repeat = { path, count: 1, cumulativeSize: before, smallestSize: before };
      this.seen.set(path, repeat);
      this.repeated.push(repeat);
    } else {
      repeat = before;
    }
    repeat.count += 1;
    repeat.cumulativeSize += size;
    if (size < repeat.smallestSize) {
      this.minimumTotal -= repeat.smallestSize - size;
      repeat.smallestSize = size;
    }
  }
}
