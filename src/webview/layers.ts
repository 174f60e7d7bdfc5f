// The Layers panel's browser side (bundled to dist/webview.js, loaded by nonce). It asks for
// its data with "ready", draws what "show" sends, and reports clicks as "openLine". Image data
// is attacker-controlled: it is written with textContent and attributes only, never as HTML.

import '@vscode/codicons/dist/codicon.css';
import '../../media/layers.css';
import '../../media/contents.css';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { parseHostMessage, type HostMessage, type PanelData, type PanelRow, type WebviewMessage } from '../views/layers/protocol';
import { badge, el, icon, text } from './dom';
import { offerExpander, restoreExpanded, toggleExpanded } from './rowExpander';
import { rowView, type RowViewOptions } from './rowOrder';
import { ContentsPanel } from './contentsPanel';
import { PANEL_VIEWS, type PanelView } from '../views/layers/protocol';
import { type FilesFilter } from './filesView';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

interface SavedState {
  filter: string;
  sortBySize: boolean;
  baseOpen: boolean;
  view: PanelView;
  files: FilesFilter;
}

const saved = readSavedState(vscode.getState());
let options: RowViewOptions = { filter: saved.filter, sortBySize: saved.sortBySize };
let baseOpen = saved.baseOpen;
let current: { data: PanelData; elements: Map<number, HTMLElement> } | undefined;
/** Rows placed before the first paint; the rest follow a frame later. */
const FIRST_ROWS = 40;
/** Rows still to be placed after the first paint, and a counter that makes a stale batch a no-op. */
let deferred: Array<[parent: HTMLElement, row: PanelRow]> = [];
let placement = 0;
let highlighted = new Set<number>();
const contents = new ContentsPanel(
  {
    post: (message) => vscode.postMessage(message),
    openRow: (rowIndex) => {
      const row = current?.data.rows.find((candidate) => candidate.index === rowIndex);
      if (row) open(row);
    },
    layersSection: () => document.getElementById('layers-view'),
    saveState: () => saveState(),
    rowOf: (rowIndex) => current?.data.rows.find((candidate) => candidate.index === rowIndex),
  },
  { view: saved.view, files: saved.files },
);

// The script loads async (not held back by the style sheets), so "ready" goes out while they
// load; drawing waits for them and for the page's body.
window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data, contents.nodeCount);
  if (!parsed.ok) {
    console.warn(`Layers panel: ignored a message (${parsed.reason})`);
    return;
  }
  const message = parsed.message;
  void pageReady.then(() => handle(message));
});
vscode.postMessage({ type: 'ready' });

const pageReady: Promise<void> = (async () => {
  if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  const pending = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).filter((link) => !link.sheet);
  await Promise.all(
    pending.map(
      (link) =>
        new Promise((resolve) => {
          link.addEventListener('load', resolve, { once: true });
          link.addEventListener('error', resolve, { once: true });
        }),
    ),
  );
})();

function app(): HTMLElement {
  return document.getElementById('app')!;
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'show': {
      const started = performance.now();
      show(message.data);
      // For profiles and the benchmark: how much of the render is building the rows.
      performance.measure('layers: rows built', { start: started });
      // A frame callback runs before the paint; a task queued from it runs after.
      requestAnimationFrame(() =>
        setTimeout(() => {
          const now = performance.now();
          vscode.postMessage({ type: 'painted', seq: message.seq, at: performance.timeOrigin + now, rows: message.data.rows.length, renderMs: now - started });
        }, 0),
      );
      return;
    }
    case 'highlight':
      highlight(message.rows);
      return;
    case 'error':
      showError(message.message);
      return;
    case 'contents':
      contents.setState(message.state, message.seq);
      return;
    case 'view':
      contents.select(message.view);
      return;
  }
}

/**
 * Draws the data: the first time everything; after that (the Dockerfile matched or was edited) the
 * header and the rows, keeping the toolbar, the scroll position and the focused row.
 */
function show(data: PanelData): void {
  // Row elements are made when first placed: the first screenful before the first paint, the rest after it.
  const previous = current;
  current = { data, elements: new Map() };
  const header = renderHeader(data);
  const oldHeader = previous && document.getElementById('rows') ? app().querySelector('header.image') : null;
  if (!oldHeader) {
    const layersView = el('section', { id: 'layers-view', className: 'view', role: 'tabpanel', ariaLabel: 'Layers' }, [
      renderToolbar(),
      el('div', { id: 'rows', className: 'rows', role: 'list', ariaLabel: 'Layers in build order' }),
    ]);
    app().replaceChildren(header, contents.bar, contents.tabs, layersView, ...contents.sections());
    app().setAttribute('aria-busy', 'false');
    placeRows();
    contents.attached();
  } else {
    const focused = document.activeElement instanceof HTMLElement && document.activeElement.classList.contains('row') ? Number(document.activeElement.dataset.index) : undefined;
    const scrollY = window.scrollY;
    oldHeader.replaceWith(header);
    placeRows();
    if (deferred.length) placeDeferred();
    window.scrollTo(0, scrollY);
    const row = focused !== undefined ? data.rows.find((candidate) => candidate.index === focused) : undefined;
    if (row) elementFor(row).focus({ preventScroll: true });
  }
  highlight([...highlighted]);
}

function showError(message: string): void {
  current = undefined;
  app().replaceChildren(el('p', { className: 'error' }, [icon('error'), text(message)]));
  app().setAttribute('aria-busy', 'false');
}

// ---------------------------------------------------------------------------------------------
// Header

function renderHeader(data: PanelData): HTMLElement {
  const image = data.image;
  const facts = el('dl', { className: 'facts' });
  const fact = (term: string, ...values: Node[]): void => {
    if (values.length) facts.append(el('dt', {}, [text(term)]), el('dd', {}, values));
  };
  fact('Tags', ...(image.tags.length ? image.tags.map((tag) => badge(tag, 'tag')) : [text('none')]));
  fact('ID', el('code', { title: image.id }, [text(image.id)]));
  if (image.digests.length) fact('Digest', ...image.digests.map((digest) => el('code', { className: 'block', title: digest }, [text(digest)])));
  if (image.platform) fact('Platform', text(image.platform));
  if (image.createdText) fact('Created', text(`${image.createdText}${image.createdAge ? ` (${image.createdAge})` : ''}`));
  if (image.sizeText) fact('Size', text(image.sizeText));
  fact('Layers', text(`${image.layerCount} layer${image.layerCount === 1 ? '' : 's'} · ${image.historyCount} history entr${image.historyCount === 1 ? 'y' : 'ies'}`));

  const header = el('header', { className: 'image' }, [el('h1', {}, [icon('layers'), text(image.name)]), facts]);
  header.append(
    el('p', { className: 'dockerfile' }, data.dockerfile
      ? [icon('go-to-file'), text(`Lines from ${data.dockerfile.label}: ${data.dockerfile.matchedSteps} of ${data.dockerfile.stepCount} instructions matched. Click a row to open its line.`)]
      : [icon('info'), text('No Dockerfile in the workspace matches this image, so rows are not linked to lines.')]),
  );
  if (data.notes.length) header.append(el('ul', { className: 'notes' }, data.notes.map((note) => el('li', {}, [icon('warning'), text(note)]))));
  return header;
}

function renderToolbar(): HTMLElement {
  const filter = document.createElement('vscode-textfield');
  filter.id = 'filter';
  filter.setAttribute('placeholder', 'Filter rows (instruction, layer ID, image name)');
  filter.setAttribute('aria-label', 'Filter rows');
  filter.value = options.filter;
  filter.addEventListener('input', () => {
    options = { ...options, filter: filter.value };
    saveState();
    placeRows();
  });
  const sort = document.createElement('vscode-checkbox');
  sort.id = 'sort-by-size';
  sort.setAttribute('label', 'Largest first');
  sort.checked = options.sortBySize;
  sort.addEventListener('change', () => {
    options = { ...options, sortBySize: sort.checked };
    saveState();
    placeRows();
  });
  const count = el('span', { id: 'row-count', className: 'count', role: 'status' });
  return el('div', { className: 'toolbar' }, [filter, sort, count]);
}

// ---------------------------------------------------------------------------------------------
// Rows

function elementFor(row: PanelRow): HTMLElement {
  let element = current!.elements.get(row.index);
  if (!element) {
    element = renderRow(row, current!.data);
    element.classList.toggle('highlighted', highlighted.has(row.index));
    restoreExpanded(element, row);
    contents.decorateRow(element, row);
    current!.elements.set(row.index, element);
  }
  return element;
}

function placeRows(): void {
  if (!current) return;
  const container = document.getElementById('rows')!;
  const view = rowView(current.data, options);
  const order: Array<[parent: HTMLElement, row: PanelRow]> = [];
  container.replaceChildren();
  if (view.grouped) {
    const base = current.data.base;
    if (base && view.base.length) {
      const group = document.createElement('vscode-collapsible');
      group.className = 'base';
      // The heading is drawn in capitals (a section header), so the name, whose case matters, goes in the description.
      group.setAttribute('heading', 'from');
      group.setAttribute('description', `${base.name} · ${base.layerCount} layer${base.layerCount === 1 ? '' : 's'} · ${base.sizeText}${view.base.length < base.rowCount ? ` · ${view.base.length} of ${base.rowCount} rows match` : ''}`);
      // Open while filtering, so matches are seen; else as the user left it.
      group.open = baseOpen || options.filter.trim() !== '';
      group.addEventListener('vsc-collapsible-toggle', () => {
        if (options.filter.trim() === '') {
          baseOpen = group.open;
          saveState();
        }
      });
      const list = el('div', { className: 'base-rows', role: 'list', ariaLabel: `Rows of the base image ${base.name}` });
      group.append(list);
      container.append(group);
      order.push(...view.base.map((row): [HTMLElement, PanelRow] => [list, row]));
    }
    order.push(...view.own.map((row): [HTMLElement, PanelRow] => [container, row]));
  } else {
    order.push(...view.rows.map((row): [HTMLElement, PanelRow] => [container, row]));
  }
  for (const [parent, row] of order.slice(0, FIRST_ROWS)) parent.append(elementFor(row));
  deferred = order.slice(FIRST_ROWS);
  const batch = ++placement;
  container.toggleAttribute('data-complete', deferred.length === 0);
  if (deferred.length) requestAnimationFrame(() => requestAnimationFrame(() => batch === placement && placeDeferred()));
  for (const row of current.elements.values()) row.classList.toggle('in-base-flat', !view.grouped && row.dataset.inBase === 'true');
  const total = current.data.rows.length;
  document.getElementById('row-count')!.textContent = view.shown === total ? `${total} rows` : `${view.shown} of ${total} rows`;
  if (!view.shown) container.append(el('p', { className: 'empty' }, [text(total ? 'No row matches the filter.' : 'This image has no history and no layers.')]));
  updateTabStops();
}

function placeDeferred(): void {
  const flat = !rowView(current!.data, options).grouped;
  for (const [parent, row] of deferred) {
    const element = elementFor(row);
    element.classList.toggle('in-base-flat', flat && row.inBase);
    parent.append(element);
  }
  deferred = [];
  document.getElementById('rows')?.toggleAttribute('data-complete', true);
}

function renderRow(row: PanelRow, data: PanelData): HTMLElement {
  const element = el('div', { className: `row kind-${row.kind}`, role: 'listitem' });
  element.dataset.index = String(row.index);
  element.dataset.inBase = String(row.inBase);
  element.tabIndex = -1;
  if (row.largest) element.classList.add('largest');
  if (row.line) element.classList.add('linked');

  // No instruction recorded (an imported image, some tools): say what the row is.
  // A plain span drawn like vscode-badge: one custom element (with its shadow root) per row costs
  // more than the rest of the row at 120+ rows.
  const keyword = el('span', { className: 'keyword' }, [text(row.keyword || (row.kind === 'metadata' ? 'CONFIG' : 'LAYER'))]);
  const instruction = el('div', { id: `instruction-${row.index}`, className: 'instruction', title: row.raw || row.comment || row.text }, [text(row.text || placeholderText(row))]);
  if (!row.text) instruction.classList.add('placeholder');

  const meta = el('div', { className: 'meta' });
  const part = (node: Node, className: string, title?: string): void => {
    meta.append(el('span', { className, title }, [node]));
  };
  if (row.inBase) part(text('base'), 'base-mark', `From the base image${data.base ? ` ${data.base.name}` : ''}`);
  if (row.createdAge) part(text(row.createdAge), 'created', row.createdText);
  if (row.kind === 'metadata') part(text('metadata only'), 'layer-id', 'This instruction changed only the image configuration: no layer.');
  else if (row.layerId) part(text(row.layerId), 'layer-id', row.diffId);
  else if (row.kind === 'unattributed') part(text('layer unknown'), 'layer-id', 'The history does not say which layer, if any, this entry made.');
  if (row.sharedCount > 0) {
    const more = row.sharedCount - row.sharedNames.length;
    part(text(`shared with ${row.sharedCount} image${row.sharedCount === 1 ? '' : 's'}`), 'shared', [...row.sharedNames, ...(more > 0 ? [`and ${more} more`] : [])].join('\n'));
  }
  if (row.line) {
    const lines = row.line.start === row.line.end ? `line ${row.line.start}` : `lines ${row.line.start}–${row.line.end}`;
    meta.append(el('span', { className: 'line', title: `Open ${data.dockerfile?.label ?? 'the Dockerfile'} at ${lines}` }, [icon('go-to-file'), text(lines)]));
  }

  const bar = el('div', { className: 'bar', ariaHidden: 'true' });
  if (row.kind !== 'metadata') {
    const fill = el('div', { className: 'fill' });
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    fill.style.width = row.scale > 0 ? `max(2px, ${(row.scale * 100).toFixed(2)}%)` : '0';
    bar.append(fill);
  }
  const size = el('div', { className: 'size' }, row.largest ? [icon('flame'), text(row.sizeText)] : [text(row.sizeText)]);
  if (row.largest) size.title = 'The largest layer';
  const sizeCell = el('div', { className: 'size-cell' }, [bar, size]);

  element.append(keyword, el('div', { className: 'body' }, [instruction, meta]), sizeCell);
  element.setAttribute('aria-label', rowLabel(row));
  element.addEventListener('click', () => (row.line ? open(row) : toggleExpanded(element, row)));
  element.addEventListener('keydown', (event) => onRowKey(event, row));
  element.addEventListener('focus', () => {
    makeTabStop(element);
    offerExpander(element, row);
  });
  element.addEventListener('pointerenter', () => offerExpander(element, row));
  return element;
}

/** What a row without an instruction says instead: the entry's comment (`Imported from -`) when there is one. */
function placeholderText(row: PanelRow): string {
  if (row.padding) return 'layer without history (added by BuildKit)';
  if (row.comment) return row.comment;
  if (row.kind === 'unattributed' && !row.raw) return 'layer no history entry is known to have made';
  return '(no instruction recorded)';
}

function rowLabel(row: PanelRow): string {
  const parts = [row.text || placeholderText(row), row.kind === 'metadata' ? 'metadata only' : row.sizeText];
  if (row.largest) parts.push('largest layer');
  if (row.inBase) parts.push('base image');
  if (row.sharedCount) parts.push(`shared with ${row.sharedCount} images`);
  if (row.line) parts.push(`Dockerfile line ${row.line.start}, press Enter to open`);
  return parts.join(', ');
}

function open(row: PanelRow): void {
  if (row.line) vscode.postMessage({ type: 'openLine', row: row.index });
}

/**
 * One row is in the tab order at a time; Up and Down move between rows, Enter opens the line,
 * Space shows a cut-off instruction whole or clamps it again, Right and Left do one each.
 */
function onRowKey(event: KeyboardEvent, row: PanelRow): void {
  const rows = visibleRowElements();
  const at = rows.indexOf(event.currentTarget as HTMLElement);
  const focus = (index: number): void => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };
  switch (event.key) {
    case 'Enter':
      event.preventDefault();
      if (row.line) open(row);
      else toggleExpanded(event.currentTarget as HTMLElement, row);
      return;
    case ' ':
      event.preventDefault();
      toggleExpanded(event.currentTarget as HTMLElement, row);
      return;
    case 'ArrowRight':
    case 'ArrowLeft':
      event.preventDefault();
      toggleExpanded(event.currentTarget as HTMLElement, row, event.key === 'ArrowRight');
      contents.toggleChanges(event.currentTarget as HTMLElement, row, event.key === 'ArrowRight');
      return;
    case 'ArrowDown':
      focus(at + 1);
      return;
    case 'ArrowUp':
      focus(at - 1);
      return;
    case 'Home':
      focus(0);
      return;
    case 'End':
      focus(rows.length - 1);
      return;
  }
}

function visibleRowElements(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('#rows .row')).filter((row) => row.offsetParent !== null);
}

function makeTabStop(element: HTMLElement): void {
  for (const row of current?.elements.values() ?? []) row.tabIndex = row === element ? 0 : -1;
}


function updateTabStops(): void {
  const rows = visibleRowElements();
  if (!rows.some((row) => row.tabIndex === 0)) {
    const first = rows[0];
    if (first) makeTabStop(first);
  }
}

function highlight(rows: number[]): void {
  highlighted = new Set(rows);
  if (!current) return;
  if (rows.some((index) => !current!.elements.get(index)?.isConnected) && deferred.length) placeDeferred();
  let first: HTMLElement | undefined;
  for (const [index, element] of current.elements) {
    const on = highlighted.has(index);
    element.classList.toggle('highlighted', on);
    if (on && element.isConnected) first ??= element;
  }
  if (!first) return;
  const group = first.closest('vscode-collapsible');
  if (group && !group.open) group.open = true;
  first.scrollIntoView({ block: 'nearest' });
}

function saveState(): void {
  const state: SavedState = { filter: options.filter, sortBySize: options.sortBySize, baseOpen, ...contents.savedState };
  vscode.setState(state);
}

function readSavedState(value: unknown): SavedState {
  const state = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof SavedState, unknown>>) : {};
  return {
    filter: typeof state.filter === 'string' ? state.filter : '',
    sortBySize: state.sortBySize === true,
    baseOpen: state.baseOpen === true,
    view: PANEL_VIEWS.includes(state.view as PanelView) ? (state.view as PanelView) : 'layers',
    files: readFilesFilter(state.files),
  };
}

function readFilesFilter(value: unknown): FilesFilter {
  const filter = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof FilesFilter, unknown>>) : {};
  return {
    text: typeof filter.text === 'string' ? filter.text : '',
    layer: typeof filter.layer === 'number' && Number.isSafeInteger(filter.layer) && filter.layer >= -1 ? filter.layer : -1,
    hiddenOnly: filter.hiddenOnly === true,
  };
}
