// The Layers panel's contents messages (the Files and Waste views, a layer row's changes): the
// data the host sends, in columns so that 200,000 paths travel as a few arrays, and the checks
// the webview runs on it. Paths and names are attacker-controlled text, written with
// textContent only. No `vscode` import: the webview bundle includes this file.

export const ENTRY_TYPES = ['file', 'directory', 'symlink', 'hardlink', 'other'] as const;
export const DIRECTORY = 1;

/** A node's state in the merged tree. */
export const NodeStatus = {
  /** Seen in the final image, written by one layer only. */
  Added: 0,
  /** Seen, and written by more than one layer: the earlier versions are hidden. */
  Modified: 1,
  /** Not in the final image: a later layer removed it. */
  Removed: 2,
  /** A directory no layer has an entry for (its files name it). */
  Implied: 3,
} as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];

/** What a layer did to a path. */
export const ChangeAction = { Added: 0, Modified: 1, Removed: 2 } as const;
export type ChangeAction = (typeof ChangeAction)[keyof typeof ChangeAction];

/**
 * The merged tree in preorder (children by name), one array per column; node i's parent is
 * `parents[i]` (-1 at the top), always an earlier node.
 */
export interface FilesTable {
  names: string[];
  parents: number[];
  /** Index into ENTRY_TYPES. */
  types: number[];
  /** Files: the version shown (or the last one, when removed); directories: the bytes under them. */
  sizes: number[];
  status: NodeStatus[];
  /** The layer that wrote the version shown (the last one, when removed); -1 for implied directories. */
  layers: number[];
  /** Bytes at and under the node that the final image does not show. */
  hidden: number[];
  /** The layer that removed a removed node, else -1. */
  removedBy: number[];
  /** Link targets, sparse: node indexes and their targets. */
  linkNodes: number[];
  linkTargets: string[];
}

/** Every change, grouped by layer: layer L's are [layerStarts[L], layerStarts[L + 1]). */
export interface LayerChangeList {
  layerStarts: number[];
  nodes: number[];
  actions: ChangeAction[];
  /** Added and modified: the entry's size; removed: the bytes that became invisible at and under it. */
  sizes: number[];
}

export interface ContentsTally {
  count: number;
  bytes: number;
}

export interface ContentsLayer {
  diffId: string;
  /** The panel row (PanelRow.index) that made this layer, when one did. */
  row?: number;
  /** 1-based Dockerfile lines and the keyword of that row, when attributed. */
  line?: { start: number; end: number };
  keyword: string;
  inBase: boolean;
  added: ContentsTally;
  modified: ContentsTally;
  removed: ContentsTally;
  sizeBytes: number;
  hiddenBytes: number;
  /** Entries the reader refused (unsafe or absurd names), with the first reasons. */
  skipped: number;
  skippedReasons: string[];
}

export interface ContentsWasteItem {
  path: string;
  /** The item's node in the table, to show it in Files. */
  node: number;
  bytes: number;
  kind: 'removed' | 'overwritten' | 'replaced';
  writtenBy: number;
  hiddenBy: number;
  fix: string;
}

export interface ContentsSummary {
  /** Paths the final image shows, and their bytes. */
  visiblePaths: number;
  visibleBytes: number;
  hiddenBytes: number;
  /** dive's figures, by its definition. */
  efficiency: number;
  diveWastedBytes: number;
  userWastedFraction: number;
  cachedLayers: number;
  archiveBytes: number;
}

export interface ContentsData {
  /** Numbers the readings of this panel: a table without a new `tableId` is the one the webview has. */
  tableId: number;
  /** Absent when the webview already has the table of `tableId` (the Dockerfile lines changed). */
  table?: FilesTable;
  changes?: LayerChangeList;
  layers: ContentsLayer[];
  waste: ContentsWasteItem[];
  summary: ContentsSummary;
  notes: string[];
}

export type ContentsState =
  | { kind: 'unread' }
  | { kind: 'reading'; bytesRead: number; totalBytes?: number }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; data: ContentsData };

export type PanelView = 'layers' | 'files' | 'waste';
export const PANEL_VIEWS: readonly PanelView[] = ['layers', 'files', 'waste'];

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isBytes = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isString = (value: unknown): value is string => typeof value === 'string';

function intArray(value: unknown, length: number, min: number, max: number): boolean {
  if (!Array.isArray(value) || value.length !== length) return false;
  for (const item of value) if (typeof item !== 'number' || !Number.isInteger(item) || item < min || item > max) return false;
  return true;
}

function bytesArray(value: unknown, length: number): boolean {
  if (!Array.isArray(value) || value.length !== length) return false;
  for (const item of value) if (!isBytes(item)) return false;
  return true;
}

function tableProblem(table: unknown, layerCount: number): string | undefined {
  if (!isObject(table)) return 'table is not an object';
  const names = table.names;
  if (!Array.isArray(names) || !names.every(isString)) return 'table names';
  const n = names.length;
  const parents = table.parents;
  if (!intArray(parents, n, -1, n)) return 'table parents';
  for (let i = 0; i < n; i++) if ((parents as number[])[i]! >= i) return `table parent of node ${i} is not an earlier node`;
  if (!intArray(table.types, n, 0, ENTRY_TYPES.length - 1)) return 'table types';
  if (!bytesArray(table.sizes, n) || !bytesArray(table.hidden, n)) return 'table sizes or hidden';
  if (!intArray(table.status, n, 0, NodeStatus.Implied)) return 'table status';
  if (!intArray(table.layers, n, -1, layerCount - 1) || !intArray(table.removedBy, n, -1, layerCount - 1)) return 'table layers or removedBy';
  const linkNodes = table.linkNodes;
  if (!Array.isArray(linkNodes) || !intArray(linkNodes, linkNodes.length, 0, n - 1)) return 'table linkNodes';
  if (!Array.isArray(table.linkTargets) || table.linkTargets.length !== linkNodes.length || !table.linkTargets.every(isString)) return 'table linkTargets';
  return undefined;
}

function changesProblem(changes: unknown, layerCount: number, nodeCount: number): string | undefined {
  if (!isObject(changes)) return 'changes is not an object';
  const nodes = changes.nodes;
  if (!Array.isArray(nodes) || !intArray(nodes, nodes.length, 0, nodeCount - 1)) return 'changes nodes';
  const starts = changes.layerStarts;
  if (!intArray(starts, layerCount + 1, 0, nodes.length)) return 'changes layerStarts';
  for (let i = 0; i < layerCount; i++) if ((starts as number[])[i]! > (starts as number[])[i + 1]!) return 'changes layerStarts out of order';
  if ((starts as number[])[layerCount] !== nodes.length) return 'changes layerStarts end';
  if (!intArray(changes.actions, nodes.length, 0, ChangeAction.Removed) || !bytesArray(changes.sizes, nodes.length)) return 'changes actions or sizes';
  return undefined;
}

function tallyProblem(value: unknown): boolean {
  return !isObject(value) || !isIndex(value.count) || !isBytes(value.bytes);
}

/** What is wrong with a ContentsData, or undefined. `nodeCount` is the table the webview has when `table` is absent. */
export function contentsDataProblem(data: unknown, nodeCount?: number): string | undefined {
  if (!isObject(data)) return 'data is not an object';
  if (!isIndex(data.tableId)) return 'tableId';
  if (!Array.isArray(data.layers)) return 'layers';
  const layerCount = data.layers.length;
  for (let i = 0; i < layerCount; i++) {
    const layer = data.layers[i] as unknown;
    if (!isObject(layer) || !isString(layer.diffId) || !isString(layer.keyword) || typeof layer.inBase !== 'boolean') return `layer ${i}`;
    if (layer.row !== undefined && !isIndex(layer.row)) return `layer ${i} row`;
    if (layer.line !== undefined && (!isObject(layer.line) || !isIndex(layer.line.start) || !isIndex(layer.line.end))) return `layer ${i} line`;
    if (tallyProblem(layer.added) || tallyProblem(layer.modified) || tallyProblem(layer.removed)) return `layer ${i} tallies`;
    if (!isBytes(layer.sizeBytes) || !isBytes(layer.hiddenBytes) || !isIndex(layer.skipped) || !Array.isArray(layer.skippedReasons) || !layer.skippedReasons.every(isString)) return `layer ${i} sizes`;
  }
  let nodes = nodeCount;
  if (data.table !== undefined) {
    const problem = tableProblem(data.table, layerCount);
    if (problem) return problem;
    nodes = (data.table as FilesTable).names.length;
    const changes = changesProblem(data.changes, layerCount, nodes);
    if (changes) return changes;
  }
  if (nodes === undefined) return 'no table';
  if (!Array.isArray(data.waste)) return 'waste';
  for (const item of data.waste as unknown[]) {
    if (!isObject(item) || !isString(item.path) || !isString(item.fix) || !isBytes(item.bytes) || !isIndex(item.node) || item.node >= nodes) return 'waste item';
    if (item.kind !== 'removed' && item.kind !== 'overwritten' && item.kind !== 'replaced') return 'waste item kind';
    if (!isIndex(item.writtenBy) || !isIndex(item.hiddenBy) || item.writtenBy >= layerCount || item.hiddenBy >= layerCount) return 'waste item layers';
  }
  const summary = data.summary;
  if (!isObject(summary)) return 'summary';
  for (const key of ['visiblePaths', 'visibleBytes', 'hiddenBytes', 'efficiency', 'diveWastedBytes', 'userWastedFraction', 'cachedLayers', 'archiveBytes']) if (!isBytes(summary[key])) return `summary ${key}`;
  if (!Array.isArray(data.notes) || !data.notes.every(isString)) return 'notes';
  return undefined;
}

export function contentsStateProblem(state: unknown, nodeCount?: number): string | undefined {
  if (!isObject(state)) return 'state is not an object';
  switch (state.kind) {
    case 'unread':
      return undefined;
    case 'reading':
      return isBytes(state.bytesRead) && (state.totalBytes === undefined || isBytes(state.totalBytes)) ? undefined : 'reading: bytes';
    case 'error':
      return isString(state.message) ? undefined : 'error: message';
    case 'ready':
      return contentsDataProblem(state.data, nodeCount);
    default:
      return 'kind';
  }
}
