// The messages between the Layers panel's host (src/views/layers) and its webview
// (src/webview): one file both sides import, with the checks each side runs on what it
// receives. Everything inside an image (tags, labels, commands) is attacker-controlled text:
// it travels only as message data and the webview writes it with textContent, never as HTML.
// No `vscode` import: the webview bundle includes this file. The contents messages' data is in
// contentsProtocol.ts.

import { type ContentsState, contentsStateProblem, PANEL_VIEWS, type PanelView } from './contentsProtocol';

export * from './contentsProtocol';

/** The image at the top of the panel. Display strings are made by the host. */
export interface PanelImage {
  /** What the panel calls it: a tag, a digest reference or the short ID. */
  name: string;
  id: string;
  tags: string[];
  digests: string[];
  platform?: string;
  /** `2024-05-01 14:03` and `3 days ago`, when known. */
  createdText?: string;
  createdAge?: string;
  sizeText?: string;
  layerCount: number;
  historyCount: number;
}

export type RowKind = 'layer' | 'metadata' | 'unattributed';

export interface PanelRow {
  /** Index into the host's model rows: what "openLine" sends back. */
  index: number;
  kind: RowKind;
  /** RUN, COPY, ...; '' when the entry names no instruction. */
  keyword: string;
  /** The cleaned instruction; '' when nothing is recorded. */
  text: string;
  /** `created_by` as recorded: the tooltip. */
  raw: string;
  /** The entry's comment (`Imported from -`, `buildkit.dockerfile.v0`). */
  comment: string;
  /** Bytes; undefined when unknown. */
  size?: number;
  sizeText: string;
  /** Bar length in [0, 1]: size / largest size. */
  scale: number;
  largest: boolean;
  createdAge?: string;
  createdText?: string;
  /** The 12-character diff ID, and the full one for the tooltip. */
  layerId?: string;
  diffId?: string;
  /** The other local images holding this layer (names, at most SHARED_NAMES_SHOWN of them). */
  sharedCount: number;
  sharedNames: string[];
  inBase: boolean;
  /** 1-based Dockerfile lines of the instruction, when attributed. */
  line?: { start: number; end: number };
  /** BuildKit's invented entry for a layer without history. */
  padding: boolean;
}

export interface PanelData {
  image: PanelImage;
  /** Build order, oldest first. */
  rows: PanelRow[];
  /** The first `base.rowCount` rows are the base image's. */
  base?: { name: string; rowCount: number; layerCount: number; sizeText: string };
  /** The Dockerfile the rows are attributed to (a workspace-relative path), when one matched. */
  dockerfile?: { label: string; matchedSteps: number; stepCount: number };
  notes: string[];
}

export const SHARED_NAMES_SHOWN = 20;

/** Host -> webview. */
export type HostMessage =
  /** `seq` numbers the shows of a panel: the webview's "painted" names the one it drew. */
  | { type: 'show'; data: PanelData; seq: number }
  | { type: 'highlight'; rows: number[] }
  | { type: 'error'; message: string }
  /** The layer contents: not read, being read, failed, or the data (`seq` numbers these messages). */
  | { type: 'contents'; state: ContentsState; seq: number }
  /** Switch to a view ("Show Layer Contents" opens Files). */
  | { type: 'view'; view: PanelView };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'openLine'; row: number }
  /** After the render of a 'show' (its `seq`): `at` is epoch milliseconds (timeOrigin + performance.now()). */
  | { type: 'painted'; seq: number; at: number; rows: number; renderMs: number }
  /** Read the layer contents (the Files or Waste view, a layer's changes), or stop reading them. */
  | { type: 'readContents' }
  | { type: 'cancelContents' }
  /** Open the version of table node `node` that layer `layer` wrote, read-only. */
  | { type: 'openFile'; node: number; layer: number }
  /** After the render of a 'contents' message with data (its `seq`), in the view shown. */
  | { type: 'contentsPainted'; seq: number; at: number; view: PanelView; rows: number; renderMs: number };

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function fail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** Checks a message from the webview: type and fields, nothing extra trusted. */
export function parseWebviewMessage(value: unknown): Parsed<WebviewMessage> {
  if (!isObject(value)) return fail('not an object');
  switch (value.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'openLine':
      if (!isIndex(value.row)) return fail('openLine: "row" is not a row index');
      return { ok: true, message: { type: 'openLine', row: value.row } };
    case 'painted':
      if (!isIndex(value.seq) || !isFiniteNumber(value.at) || !isIndex(value.rows) || !isFiniteNumber(value.renderMs) || value.renderMs < 0) return fail('painted: "seq", "at", "rows" or "renderMs" is not a number');
      return { ok: true, message: { type: 'painted', seq: value.seq, at: value.at, rows: value.rows, renderMs: value.renderMs } };
    case 'readContents':
    case 'cancelContents':
      return { ok: true, message: { type: value.type } };
    case 'openFile':
      if (!isIndex(value.node) || !isIndex(value.layer)) return fail('openFile: "node" or "layer" is not an index');
      return { ok: true, message: { type: 'openFile', node: value.node, layer: value.layer } };
    case 'contentsPainted':
      if (!isIndex(value.seq) || !isFiniteNumber(value.at) || !isIndex(value.rows) || !isFiniteNumber(value.renderMs) || value.renderMs < 0) return fail('contentsPainted: "seq", "at", "rows" or "renderMs" is not a number');
      if (!PANEL_VIEWS.includes(value.view as PanelView)) return fail('contentsPainted: unknown view');
      return { ok: true, message: { type: 'contentsPainted', seq: value.seq, at: value.at, view: value.view as PanelView, rows: value.rows, renderMs: value.renderMs } };
    default:
      return fail(`unknown type ${describeType(value.type)}`);
  }
}

/** Checks a message from the host (the webview trusts nothing it did not check either); `nodeCount` is the contents table the webview holds. */
export function parseHostMessage(value: unknown, nodeCount?: number): Parsed<HostMessage> {
  if (!isObject(value)) return fail('not an object');
  switch (value.type) {
    case 'show': {
      if (!isIndex(value.seq)) return fail('show: "seq" is not a number');
      const problem = panelDataProblem(value.data);
      return problem ? fail(`show: ${problem}`) : { ok: true, message: { type: 'show', data: value.data as PanelData, seq: value.seq } };
    }
    case 'highlight':
      if (!Array.isArray(value.rows) || !value.rows.every(isIndex)) return fail('highlight: "rows" is not a list of row indexes');
      return { ok: true, message: { type: 'highlight', rows: value.rows } };
    case 'error':
      if (!isString(value.message)) return fail('error: "message" is not a string');
      return { ok: true, message: { type: 'error', message: value.message } };
    case 'contents': {
      if (!isIndex(value.seq)) return fail('contents: "seq" is not a number');
      const problem = contentsStateProblem(value.state, nodeCount);
      return problem ? fail(`contents: ${problem}`) : { ok: true, message: { type: 'contents', state: value.state as ContentsState, seq: value.seq } };
    }
    case 'view':
      if (!PANEL_VIEWS.includes(value.view as PanelView)) return fail('view: unknown view');
      return { ok: true, message: { type: 'view', view: value.view as PanelView } };
    default:
      return fail(`unknown type ${describeType(value.type)}`);
  }
}

/** What is wrong with a PanelData, or undefined when every field the webview reads has its type. */
export function panelDataProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'data is not an object';
  const image = data.image;
  if (!isObject(image)) return 'image is not an object';
  if (!isString(image.name) || !isString(image.id) || !isStringArray(image.tags) || !isStringArray(image.digests)) return 'image name, id, tags or digests';
  if (![image.platform, image.createdText, image.createdAge, image.sizeText].every(isOptionalString)) return 'image platform, created or size';
  if (!isIndex(image.layerCount) || !isIndex(image.historyCount)) return 'image layerCount or historyCount';
  if (!Array.isArray(data.rows)) return 'rows is not a list';
  for (let i = 0; i < data.rows.length; i++) {
    const problem = rowProblem(data.rows[i]);
    if (problem) return `row ${i}: ${problem}`;
  }
  if (data.base !== undefined) {
    const base = data.base;
    if (!isObject(base) || !isString(base.name) || !isIndex(base.rowCount) || !isIndex(base.layerCount) || !isString(base.sizeText)) return 'base';
  }
  if (data.dockerfile !== undefined) {
    const dockerfile = data.dockerfile;
    if (!isObject(dockerfile) || !isString(dockerfile.label) || !isIndex(dockerfile.matchedSteps) || !isIndex(dockerfile.stepCount)) return 'dockerfile';
  }
  if (!isStringArray(data.notes)) return 'notes';
  return undefined;
}

function rowProblem(row: unknown): string | undefined {
  if (!isObject(row)) return 'not an object';
  if (!isIndex(row.index)) return 'index';
  if (row.kind !== 'layer' && row.kind !== 'metadata' && row.kind !== 'unattributed') return 'kind';
  if (!isString(row.keyword) || !isString(row.text) || !isString(row.raw) || !isString(row.comment) || !isString(row.sizeText)) return 'keyword, text, raw, comment or sizeText';
  if (row.size !== undefined && !isFiniteNumber(row.size)) return 'size';
  if (!isFiniteNumber(row.scale) || row.scale < 0 || row.scale > 1) return 'scale';
  if (typeof row.largest !== 'boolean' || typeof row.inBase !== 'boolean' || typeof row.padding !== 'boolean') return 'largest, inBase or padding';
  if (![row.createdAge, row.createdText, row.layerId, row.diffId].every(isOptionalString)) return 'created or layer id';
  if (!isIndex(row.sharedCount) || !isStringArray(row.sharedNames)) return 'shared';
  if (row.line !== undefined) {
    const line = row.line;
    if (!isObject(line) || !isIndex(line.start) || !isIndex(line.end) || line.end < line.start) return 'line';
  }
  return undefined;
}

function describeType(type: unknown): string {
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
}
