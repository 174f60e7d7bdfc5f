// The contents model (layers/layerContents.ts) as the Layers panel's columns: the merged tree
// with every path any layer wrote (removed ones included), each layer's changes, the waste items
// tied to Dockerfile lines, and the summary figures. Pure; no `vscode` import.

import { type LayerEntries } from '../../image/layerEntry';
import { type ImageContents } from '../../layers/layerContents';
import { baseName, parentPath, WHITEOUT_PREFIX } from '../../layers/layerPaths';
import { type ImageLayersModel } from '../../layers/model';
import { layerLinesOf, wasteItems } from '../../layers/wasteItems';
import {
  ChangeAction,
  type ContentsData,
  type ContentsLayer,
  DIRECTORY,
  ENTRY_TYPES,
  type FilesTable,
  type LayerChangeList,
  NodeStatus,
} from './contentsProtocol';

/** Reasons kept per layer for the panel's note. */
const SKIPPED_REASONS_SHOWN = 3;

export interface ContentsLayerInput extends LayerEntries {
  skipped?: ReadonlyArray<{ name: string; reason: string }>;
}

export interface ContentsTable {
  table: FilesTable;
  changes: LayerChangeList;
  /** The full path of node i. */
  paths: string[];
  nodeOf: ReadonlyMap<string, number>;
}

/** The tree and the change list: they depend on the layers only, so they are built once per reading. */
export function contentsTable(contents: ImageContents, layers: readonly LayerEntries[]): ContentsTable {
  const nodes = new NodeBuilder();
  layers.forEach((layer, index) => {
    for (const entry of layer.entries) {
      if (baseName(entry.path).startsWith(WHITEOUT_PREFIX)) continue;
      nodes.version(entry.path, index, entry.size, entry.type, entry.linkTarget);
    }
  });
  for (const [path, version] of contents.visible) nodes.visible(path, version.layer, version.entry.size, version.entry.type, version.entry.linkTarget);
  for (const layer of contents.layers) for (const removed of layer.removed) nodes.removedBy(removed.path, layer.index);
  const built = nodes.build();
  const changes: LayerChangeList = { layerStarts: [0], nodes: [], actions: [], sizes: [] };
  for (const layer of contents.layers) {
    const push = (path: string, action: ChangeAction, size: number): void => {
      const node = built.nodeOf.get(path);
      if (node === undefined) return;
      changes.nodes.push(node);
      changes.actions.push(action);
      changes.sizes.push(size);
    };
    for (const entry of layer.added) push(entry.path, ChangeAction.Added, entry.size);
    for (const entry of layer.modified) push(entry.path, ChangeAction.Modified, entry.size);
    for (const entry of layer.removed) push(entry.path, ChangeAction.Removed, entry.size);
    changes.layerStarts.push(changes.nodes.length);
  }
  return { ...built, changes };
}

export interface ContentsDataInput {
  tableId: number;
  /** Include the table and changes (the webview does not have this reading's yet). */
  withTable: boolean;
  built: ContentsTable;
  contents: ImageContents;
  layers: readonly ContentsLayerInput[];
  model: Pick<ImageLayersModel, 'rows'>;
  cachedLayers: number;
  archiveBytes: number;
}

/** The panel's contents message: the parts that depend on the Dockerfile lines are made again when they change. */
export function toContentsData(input: ContentsDataInput): ContentsData {
  const { contents, model, built } = input;
  const rowOfLayer = new Map<number, { index: number; row: ImageLayersModel['rows'][number] }>();
  model.rows.forEach((row, index) => {
    if (row.layerIndex !== undefined && !rowOfLayer.has(row.layerIndex)) rowOfLayer.set(row.layerIndex, { index, row });
  });
  const layers = contents.layers.map((layer, index): ContentsLayer => {
    const made = rowOfLayer.get(index);
    const attribution = made?.row.dockerfile;
    const skipped = input.layers[index]?.skipped ?? [];
    return {
      diffId: layer.diffId,
      row: made?.index,
      line: attribution ? { start: attribution.startLine + 1, end: attribution.endLine + 1 } : undefined,
      keyword: made?.row.instruction?.keyword ?? '',
      inBase: made?.row.inBase ?? false,
      added: { ...layer.tally.added },
      modified: { ...layer.tally.modified },
      removed: { ...layer.tally.removed },
      sizeBytes: layer.sizeBytes,
      hiddenBytes: layer.hiddenBytes,
      skipped: skipped.length,
      skippedReasons: skipped.slice(0, SKIPPED_REASONS_SHOWN).map((entry) => `${entry.name}: ${entry.reason}`),
    };
  });
  const waste = wasteItems(contents, layerLinesOf(model)).map((item) => ({
    path: item.path,
    node: built.nodeOf.get(item.path) ?? 0,
    bytes: item.bytes,
    kind: item.kind,
    writtenBy: item.writtenBy,
    hiddenBy: item.hiddenBy,
    fix: item.fix,
  }));
  const notes: string[] = [];
  layers.forEach((layer, index) => {
    if (layer.skipped) notes.push(`Layer ${index + 1} has ${layer.skipped} entr${layer.skipped === 1 ? 'y' : 'ies'} with unsafe names, left out: ${layer.skippedReasons.join('; ')}${layer.skipped > layer.skippedReasons.length ? '; …' : ''}`);
  });
  return {
    tableId: input.tableId,
    table: input.withTable ? built.table : undefined,
    changes: input.withTable ? built.changes : undefined,
    layers,
    waste,
    summary: {
      visiblePaths: contents.visible.size,
      visibleBytes: contents.visibleBytes,
      hiddenBytes: contents.hiddenBytes,
      efficiency: contents.dive.efficiency,
      diveWastedBytes: contents.dive.wastedBytes,
      userWastedFraction: contents.dive.userWastedFraction,
      cachedLayers: input.cachedLayers,
      archiveBytes: input.archiveBytes,
    },
    notes,
  };
}

interface RawNode {
  path: string;
  parent: number;
  type: number;
  size: number;
  allBytes: number;
  versions: number;
  lastLayer: number;
  visibleLayer: number;
  removedBy: number;
  link?: string;
  children?: number[];
}

/** Collects every path (and the directories above it), then lays them out in preorder. */
class NodeBuilder {
  private readonly raw: RawNode[] = [];
  private readonly byPath = new Map<string, number>();
  private readonly top: number[] = [];

  private node(path: string): number {
    const known = this.byPath.get(path);
    if (known !== undefined) return known;
    const parentPathOf = parentPath(path);
    const parent = parentPathOf === '' ? -1 : this.node(parentPathOf);
    const id = this.raw.length;
    this.raw.push({ path, parent, type: DIRECTORY, size: 0, allBytes: 0, versions: 0, lastLayer: -1, visibleLayer: -1, removedBy: -1 });
    this.byPath.set(path, id);
    if (parent < 0) this.top.push(id);
    else (this.raw[parent]!.children ??= []).push(id);
    return id;
  }

  version(path: string, layer: number, size: number, type: string, link: string | undefined): void {
    const node = this.raw[this.node(path)]!;
    node.allBytes += size;
    node.versions++;
    node.lastLayer = layer;
    node.type = typeIndex(type);
    node.size = size;
    node.link = link;
  }

  visible(path: string, layer: number, size: number, type: string, link: string | undefined): void {
    const node = this.raw[this.node(path)]!;
    node.visibleLayer = layer;
    node.type = typeIndex(type);
    node.size = size;
    node.link = link;
  }

  removedBy(path: string, layer: number): void {
    const id = this.byPath.get(path);
    if (id !== undefined) this.raw[id]!.removedBy = layer;
  }

  build(): Omit<ContentsTable, 'changes'> {
    const raw = this.raw;
    const byName = (a: number, b: number): number => {
      const x = baseName(raw[a]!.path);
      const y = baseName(raw[b]!.path);
      return x < y ? -1 : x > y ? 1 : 0;
    };
    const table: FilesTable = { names: [], parents: [], types: [], sizes: [], status: [], layers: [], hidden: [], removedBy: [], linkNodes: [], linkTargets: [] };
    const paths: string[] = [];
    const nodeOf = new Map<string, number>();
    const order: Array<{ id: number; parent: number }> = [];
    const stack: Array<{ id: number; parent: number }> = [...this.top].sort(byName).reverse().map((id) => ({ id, parent: -1 }));
    while (stack.length) {
      const { id, parent } = stack.pop()!;
      const at = order.length;
      order.push({ id, parent });
      const children = raw[id]!.children;
      if (children) for (const child of [...children].sort(byName).reverse()) stack.push({ id: child, parent: at });
    }
    for (const { id, parent } of order) {
      const node = raw[id]!;
      const at = table.names.length;
      const shown = node.visibleLayer >= 0;
      table.names.push(baseName(node.path));
      table.parents.push(parent);
      table.types.push(node.type);
      table.sizes.push(node.type === DIRECTORY ? 0 : node.size);
      table.status.push(node.versions === 0 ? NodeStatus.Implied : !shown ? NodeStatus.Removed : node.versions > 1 ? NodeStatus.Modified : NodeStatus.Added);
      table.layers.push(shown ? node.visibleLayer : node.lastLayer);
      table.hidden.push(Math.max(0, node.allBytes - (shown ? node.size : 0)));
      table.removedBy.push(!shown && node.versions > 0 ? node.removedBy : -1);
      if (node.link !== undefined && (node.type === 2 || node.type === 3)) {
        table.linkNodes.push(at);
        table.linkTargets.push(node.link);
      }
      paths.push(node.path);
      nodeOf.set(node.path, at);
    }
    // Directories: the bytes under them (what is seen, or for a removed one what it held), children after parents.
    for (let i = table.names.length - 1; i >= 0; i--) {
      const parent = table.parents[i]!;
      if (parent < 0) continue;
      table.hidden[parent]! += table.hidden[i]!;
      const countsHere = table.status[i] !== NodeStatus.Removed || table.status[parent] === NodeStatus.Removed;
      if (countsHere) table.sizes[parent]! += table.sizes[i]!;
    }
    return { table, paths, nodeOf };
  }
}

function typeIndex(type: string): number {
  const index = (ENTRY_TYPES as readonly string[]).indexOf(type);
  return index < 0 ? ENTRY_TYPES.length - 1 : index;
}
