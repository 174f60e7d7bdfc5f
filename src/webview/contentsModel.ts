// The webview's side of the layer contents: the table the host sent (kept while its tableId
// stays the same), with what the views derive from it once: depths, subtree ends, full paths,
// and each node's versions. Pure (no DOM), so the Files, Waste and changes views share it.

import { ChangeAction, type ContentsData, DIRECTORY, type FilesTable, type LayerChangeList, NodeStatus } from '../views/layers/protocol';

export interface NodeVersion {
  layer: number;
  action: ChangeAction;
  size: number;
}

export class ContentsModel {
  readonly table: FilesTable;
  readonly changes: LayerChangeList;
  readonly depth: Int32Array;
  /** Node i's subtree is [i, subtreeEnd[i]). */
  readonly subtreeEnd: Int32Array;
  private paths: string[] | undefined;
  private lowerPaths: string[] | undefined;
  private links: Map<number, string> | undefined;
  private changeLayer: Int32Array | undefined;

  constructor(
    /** Replaced when the Dockerfile lines change (the table stays). */
    public data: ContentsData,
    table: FilesTable,
    changes: LayerChangeList,
  ) {
    this.table = table;
    this.changes = changes;
    const n = table.names.length;
    this.depth = new Int32Array(n);
    this.subtreeEnd = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const parent = table.parents[i]!;
      this.depth[i] = parent < 0 ? 0 : this.depth[parent]! + 1;
      this.subtreeEnd[i] = i + 1;
    }
    for (let i = n - 1; i >= 0; i--) {
      const parent = table.parents[i]!;
      if (parent >= 0 && this.subtreeEnd[i]! > this.subtreeEnd[parent]!) this.subtreeEnd[parent] = this.subtreeEnd[i]!;
    }
  }

  get size(): number {
    return this.table.names.length;
  }

  isDirectory(node: number): boolean {
    return this.table.types[node] === DIRECTORY;
  }

  hasChildren(node: number): boolean {
    return this.subtreeEnd[node]! > node + 1;
  }

  path(node: number): string {
    this.paths ??= this.buildPaths();
    return this.paths[node]!;
  }

  lowerPath(node: number): string {
    this.lowerPaths ??= (this.paths ??= this.buildPaths()).map((path) => path.toLowerCase());
    return this.lowerPaths[node]!;
  }

  linkTarget(node: number): string | undefined {
    if (!this.links) {
      this.links = new Map();
      this.table.linkNodes.forEach((at, index) => this.links!.set(at, this.table.linkTargets[index]!));
    }
    return this.links.get(node);
  }

  /** The layer each change belongs to, by change position. */
  private layerOfChange(): Int32Array {
    if (!this.changeLayer) {
      const starts = this.changes.layerStarts;
      const layers = new Int32Array(this.changes.nodes.length);
      for (let layer = 0; layer + 1 < starts.length; layer++) layers.fill(layer, starts[layer], starts[layer + 1]);
      this.changeLayer = layers;
    }
    return this.changeLayer;
  }

  /** Every version of a path, oldest first: which layer added, modified or removed it. */
  versions(node: number): NodeVersion[] {
    const layers = this.layerOfChange();
    const { nodes, actions, sizes } = this.changes;
    const found: NodeVersion[] = [];
    for (let at = 0; at < nodes.length; at++) if (nodes[at] === node) found.push({ layer: layers[at]!, action: actions[at]!, size: sizes[at]! });
    return found;
  }

  /** The nodes a layer changed, each once (a flag per node). */
  changedIn(layer: number): Uint8Array {
    const flags = new Uint8Array(this.size);
    const { layerStarts, nodes } = this.changes;
    for (let at = layerStarts[layer] ?? 0; at < (layerStarts[layer + 1] ?? 0); at++) flags[nodes[at]!] = 1;
    return flags;
  }

  /** A layer's changes, largest first. */
  layerChanges(layer: number): Array<{ node: number; action: ChangeAction; size: number }> {
    const { layerStarts, nodes, actions, sizes } = this.changes;
    const list: Array<{ node: number; action: ChangeAction; size: number }> = [];
    for (let at = layerStarts[layer] ?? 0; at < (layerStarts[layer + 1] ?? 0); at++) list.push({ node: nodes[at]!, action: actions[at]!, size: sizes[at]! });
    return list.sort((a, b) => b.size - a.size || (this.path(a.node) < this.path(b.node) ? -1 : 1));
  }

  /** The layer whose version of `node` a click opens: the version shown, else the last one written. */
  openableLayer(node: number): number | undefined {
    if (this.isDirectory(node) || this.table.status[node] === NodeStatus.Implied) return undefined;
    const written = this.versions(node).filter((version) => version.action !== ChangeAction.Removed);
    return written.length ? written[written.length - 1]!.layer : undefined;
  }

  private buildPaths(): string[] {
    const { names, parents } = this.table;
    const paths = new Array<string>(names.length);
    for (let i = 0; i < names.length; i++) {
      const parent = parents[i]!;
      paths[i] = parent < 0 ? names[i]! : `${paths[parent]!}/${names[i]!}`;
    }
    return paths;
  }
}
