// The Files view: the merged tree of every path any layer wrote, with its marker (added,
// modified, removed), size, hidden bytes, and the layer and Dockerfile line of the version
// shown; a filter by path across all layers, by layer, and to what is hidden. Virtualized: the
// tree is a list of the rows shown, drawn a screenful at a time. Below it, the active path's
// versions, each openable.

import { formatBytes } from '../util/format';
import { ChangeAction, NodeStatus } from '../views/layers/protocol';
import { type ContentsModel } from './contentsModel';
import { el, icon, text } from './dom';
import { VirtualList } from './virtualList';

export const FILE_ROW_HEIGHT = 22;
const FILTER_DELAY_MS = 60;

const MARKERS: Record<number, { letter: string; name: string; className: string }> = {
  [NodeStatus.Added]: { letter: 'A', name: 'added', className: 'added' },
  [NodeStatus.Modified]: { letter: 'M', name: 'modified: earlier versions are hidden', className: 'modified' },
  [NodeStatus.Removed]: { letter: 'R', name: 'removed by a later layer: not in the image, its bytes still are', className: 'removed' },
  [NodeStatus.Implied]: { letter: '', name: 'directory without an entry of its own', className: 'implied' },
};

const ACTION_NAMES: Record<number, string> = { [ChangeAction.Added]: 'added', [ChangeAction.Modified]: 'modified', [ChangeAction.Removed]: 'removed' };

export interface FilesViewHost {
  openFile(node: number, layer: number): void;
  openLine(layer: number): void;
  /** "L3 · line 7" for a layer: how rows name a layer. */
  layerLabel(layer: number): { short: string; title: string; hasLine: boolean };
  saveState(): void;
}

export interface FilesFilter {
  text: string;
  /** -1: every layer. */
  layer: number;
  hiddenOnly: boolean;
}

export class FilesView {
  readonly element: HTMLElement;
  private model: ContentsModel | undefined;
  private rows = new Int32Array(0);
  private readonly expanded = new Set<number>();
  private readonly list: VirtualList;
  private readonly count: HTMLElement;
  private readonly details: HTMLElement;
  private readonly filterField: HTMLElement & { value: string };
  private readonly layerSelect: HTMLSelectElement;
  private readonly hiddenBox: HTMLInputElement;
  private filterTimer: number | undefined;
  filter: FilesFilter;

  constructor(
    private readonly host: FilesViewHost,
    saved: FilesFilter,
  ) {
    this.filter = saved;
    this.filterField = document.createElement('vscode-textfield');
    this.filterField.id = 'files-filter';
    this.filterField.setAttribute('placeholder', 'Filter by path across all layers (/usr/lib/x)');
    this.filterField.setAttribute('aria-label', 'Filter files by path');
    this.filterField.value = saved.text;
    this.filterField.addEventListener('input', () => {
      window.clearTimeout(this.filterTimer);
      this.filterTimer = window.setTimeout(() => this.setFilter({ ...this.filter, text: this.filterField.value }), FILTER_DELAY_MS);
    });
    this.filterField.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        this.list.focus();
        this.list.setActive(Math.max(0, this.list.active));
      }
    });
    this.layerSelect = el('select', { id: 'files-layer', ariaLabel: 'Show the changes of one layer' });
    this.layerSelect.addEventListener('change', () => this.setFilter({ ...this.filter, layer: Number(this.layerSelect.value) }));
    this.hiddenBox = el('input', { id: 'files-hidden-only' });
    this.hiddenBox.type = 'checkbox';
    this.hiddenBox.checked = saved.hiddenOnly;
    this.hiddenBox.addEventListener('change', () => this.setFilter({ ...this.filter, hiddenOnly: this.hiddenBox.checked }));
    const hiddenLabel = el('label', { className: 'check' }, [this.hiddenBox, text('Only hidden bytes')]);
    this.count = el('span', { id: 'files-count', className: 'count', role: 'status' });
    this.list = new VirtualList({
      rowHeight: FILE_ROW_HEIGHT,
      role: 'tree',
      label: 'Files of the image, every layer merged',
      render: (index, element) => this.renderRow(index, element),
      onKey: (index, event) => this.onKey(index, event),
      onClick: (index, event) => this.onClick(index, event),
      onDoubleClick: (index) => this.open(this.rows[index]!),
      onActive: () => this.showDetails(),
    });
    this.details = el('div', { id: 'files-details', className: 'details', role: 'region', ariaLabel: 'Versions of the selected path' });
    const toolbar = el('div', { className: 'toolbar' }, [this.filterField, this.layerSelect, hiddenLabel, this.count]);
    this.element = el('section', { id: 'files-view', className: 'view', role: 'tabpanel', ariaLabel: 'Files' }, [el('div', { className: 'sticky' }, [toolbar, this.details]), this.list.element]);
  }

  /** New contents (or the same table with new lines): keeps the expanded directories and the filter. */
  setModel(model: ContentsModel): void {
    const first = this.model?.table !== model.table;
    this.model = model;
    if (first) {
      this.expanded.clear();
      // The top level opened: what a person sees first is the image's root.
      for (let i = 0; i < model.size; i++) if (model.table.parents[i] === -1 && model.isDirectory(i) && model.size < 50_000) this.expanded.add(i);
    }
    this.fillLayers(model);
    this.recompute(first ? 0 : undefined);
  }

  get shownRows(): number {
    return this.rows.length;
  }

  /** The list element drew its rows (for the paint report): how many are on screen. */
  get drawnRows(): number {
    const { first, last } = this.list.visibleRange();
    return Math.max(0, last - first + 1);
  }

  /** Shows a path: clears filters that hide it, opens its directories, makes it active. */
  reveal(node: number): void {
    const model = this.model;
    if (!model) return;
    if (this.filter.text || this.filter.layer >= 0 || this.filter.hiddenOnly) {
      if (!this.matches(node, this.filterFlags())) this.setFilter({ text: '', layer: -1, hiddenOnly: false }, false);
    }
    for (let parent = model.table.parents[node]!; parent >= 0; parent = model.table.parents[parent]!) this.expanded.add(parent);
    this.recompute();
    const at = this.rows.indexOf(node);
    if (at >= 0) {
      this.list.setActive(at);
      this.list.focus();
    }
  }

  /** Shows one layer's changes. */
  showLayer(layer: number): void {
    this.setFilter({ text: '', layer, hiddenOnly: false });
  }

  focus(): void {
    this.list.focus();
  }

  refresh(): void {
    this.list.refresh();
  }

  private setFilter(filter: FilesFilter, compute = true): void {
    this.filter = filter;
    this.filterField.value = filter.text;
    this.layerSelect.value = String(filter.layer);
    this.hiddenBox.checked = filter.hiddenOnly;
    this.host.saveState();
    if (compute) this.recompute(0);
  }

  private fillLayers(model: ContentsModel): void {
    const options = [el('option', {}, [text('All layers')])];
    options[0]!.value = '-1';
    model.data.layers.forEach((layer, index) => {
      const label = this.host.layerLabel(index);
      const option = el('option', {}, [text(`${label.short}: ${layer.added.count + layer.modified.count + layer.removed.count} changes, ${formatBytes(layer.sizeBytes)}`)]);
      option.value = String(index);
      options.push(option);
    });
    this.layerSelect.replaceChildren(...options);
    if (this.filter.layer >= model.data.layers.length) this.filter = { ...this.filter, layer: -1 };
    this.layerSelect.value = String(this.filter.layer);
  }

  private filterFlags(): { text: string; layer?: Uint8Array } {
    return { text: this.filter.text.trim().toLowerCase(), layer: this.filter.layer >= 0 ? this.model!.changedIn(this.filter.layer) : undefined };
  }

  private matches(node: number, flags: { text: string; layer?: Uint8Array }): boolean {
    const model = this.model!;
    if (flags.layer && !flags.layer[node]) return false;
    if (this.filter.hiddenOnly && (model.isDirectory(node) || model.table.hidden[node]! <= 0)) return false;
    return !flags.text || model.lowerPath(node).includes(flags.text);
  }

  /** The rows shown: the tree as expanded, or, while filtering, every match with the directories above it. */
  private recompute(active?: number): void {
    const model = this.model;
    if (!model) return;
    const previous = this.list.active >= 0 ? this.rows[this.list.active] : undefined;
    const n = model.size;
    const rows: number[] = [];
    const filtering = this.filter.text.trim() !== '' || this.filter.layer >= 0 || this.filter.hiddenOnly;
    let matched = 0;
    if (!filtering) {
      for (let i = 0; i < n; ) {
        rows.push(i);
        i = model.isDirectory(i) && !this.expanded.has(i) ? model.subtreeEnd[i]! : i + 1;
      }
    } else {
      const flags = this.filterFlags();
      const shown = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (!this.matches(i, flags)) continue;
        matched++;
        for (let node = i; node >= 0 && !shown[node]; node = model.table.parents[node]!) shown[node] = 1;
      }
      for (let i = 0; i < n; i++) if (shown[i]) rows.push(i);
    }
    this.rows = Int32Array.from(rows);
    const at = active ?? (previous !== undefined ? Math.max(0, this.rows.indexOf(previous)) : 0);
    this.list.setCount(this.rows.length, at);
    this.count.textContent = filtering ? `${matched.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} paths match` : `${n.toLocaleString('en-US')} paths`;
    if (filtering && !matched) this.count.textContent = `No path matches (${n.toLocaleString('en-US')} paths)`;
    this.showDetails();
  }

  private renderRow(index: number, element: HTMLElement): void {
    const model = this.model!;
    const node = this.rows[index]!;
    const table = model.table;
    const directory = model.isDirectory(node);
    const status = table.status[node]!;
    const marker = MARKERS[status]!;
    element.classList.add('file-row', marker.className);
    const open = directory && (this.expanded.has(node) || this.isFiltering());
    if (directory && model.hasChildren(node)) element.setAttribute('aria-expanded', String(open));
    else element.removeAttribute('aria-expanded');
    element.setAttribute('aria-level', String(model.depth[node]! + 1));
    const indent = el('span', { className: 'indent', ariaHidden: 'true' });
    indent.style.width = `${model.depth[node]! * 12}px`;
    const twisty = directory && model.hasChildren(node) ? icon(open ? 'chevron-down' : 'chevron-right') : el('span', { className: 'codicon-blank' });
    twisty.classList.add('twisty');
    const type = table.types[node]!;
    const kindIcon = icon(directory ? (open ? 'folder-opened' : 'folder') : type === 2 ? 'file-symlink-file' : type === 3 ? 'references' : 'file');
    const link = model.linkTarget(node);
    const name = el('span', { className: 'name', title: model.path(node) }, [text(table.names[node]!)]);
    if (link !== undefined) name.append(el('span', { className: 'link' }, [text(` → ${link}`)]));
    const markerCell = el('span', { className: `marker ${marker.className}`, title: marker.name }, [text(marker.letter)]);
    const size = el('span', { className: 'size' }, [text(directory && table.sizes[node] === 0 && !model.hasChildren(node) ? '' : formatBytes(table.sizes[node]!))]);
    const hiddenBytes = table.hidden[node]!;
    const hidden = el('span', { className: 'hidden-bytes', title: hiddenBytes ? 'Bytes at this path (and under it) that the image ships but does not show' : undefined }, hiddenBytes ? [icon('eye-closed'), text(formatBytes(hiddenBytes))] : []);
    const layer = table.layers[node]!;
    const layerCell = el('span', { className: 'layer' });
    if (layer >= 0) {
      const label = this.host.layerLabel(layer);
      layerCell.title = status === NodeStatus.Removed ? `${label.title}; removed by ${this.host.layerLabel(table.removedBy[node]!).title}` : label.title;
      layerCell.append(text(label.short));
      if (label.hasLine) layerCell.classList.add('linked');
    }
    element.append(indent, twisty, kindIcon, name, markerCell, size, hidden, layerCell);
    element.setAttribute('aria-label', `${table.names[node]}, ${directory ? 'directory' : 'file'}, ${marker.name || 'directory'}, ${formatBytes(table.sizes[node]!)}${hiddenBytes ? `, ${formatBytes(hiddenBytes)} hidden` : ''}${layer >= 0 ? `, ${this.host.layerLabel(layer).title}` : ''}`);
  }

  private isFiltering(): boolean {
    return this.filter.text.trim() !== '' || this.filter.layer >= 0 || this.filter.hiddenOnly;
  }

  private toggle(node: number, open: boolean): void {
    if (this.isFiltering()) return;
    if (open) this.expanded.add(node);
    else this.expanded.delete(node);
    this.recompute();
  }

  private onClick(index: number, event: MouseEvent): void {
    const model = this.model!;
    const node = this.rows[index]!;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('.layer.linked')) {
      this.host.openLine(model.table.layers[node]!);
      return;
    }
    if (model.isDirectory(node) && (target?.closest('.twisty') || target?.closest('.name') || target?.closest('.codicon'))) this.toggle(node, !this.expanded.has(node));
  }

  private onKey(index: number, event: KeyboardEvent): boolean {
    const model = this.model!;
    const node = this.rows[index]!;
    const directory = model.isDirectory(node);
    switch (event.key) {
      case 'ArrowRight':
        if (directory && !this.expanded.has(node) && !this.isFiltering()) this.toggle(node, true);
        else if (directory && this.rows[index + 1] !== undefined && model.table.parents[this.rows[index + 1]!] === node) this.list.setActive(index + 1);
        return true;
      case 'ArrowLeft': {
        if (directory && this.expanded.has(node) && !this.isFiltering()) {
          this.toggle(node, false);
          return true;
        }
        const parent = model.table.parents[node]!;
        const at = parent >= 0 ? this.rows.indexOf(parent) : -1;
        if (at >= 0) this.list.setActive(at);
        return true;
      }
      case 'Enter':
        if (directory) this.toggle(node, !this.expanded.has(node));
        else this.open(node);
        return true;
      default:
        return false;
    }
  }

  private open(node: number): void {
    const layer = this.model?.openableLayer(node);
    if (layer !== undefined) this.host.openFile(node, layer);
  }

  /** The active path: its full name and every version, each layer's openable and its line. */
  private showDetails(): void {
    const model = this.model;
    const index = this.list.active;
    if (!model || index < 0 || this.rows[index] === undefined) {
      this.details.replaceChildren(el('p', { className: 'hint' }, [text(model && model.size ? 'Select a path to see which layers wrote it.' : 'This image has no files.')]));
      return;
    }
    const node = this.rows[index];
    const versions = model.versions(node);
    const items = versions.map((version) => {
      const label = this.host.layerLabel(version.layer);
      const parts: Node[] = [el('span', { className: `marker ${ACTION_NAMES[version.action]}` }, [text(ACTION_NAMES[version.action]!)]), text(' by '), el('span', { title: label.title }, [text(label.short)])];
      if (version.action !== ChangeAction.Removed || model.isDirectory(node)) parts.push(text(` · ${formatBytes(version.size)}`));
      const item = el('li', {}, parts);
      if (label.hasLine) {
        const line = el('button', { className: 'link-button', title: `Open the Dockerfile at ${label.title}` }, [icon('go-to-file'), text('line')]);
        line.addEventListener('click', () => this.host.openLine(version.layer));
        item.append(line);
      }
      if (version.action !== ChangeAction.Removed && !model.isDirectory(node)) {
        const open = el('button', { className: 'link-button', title: `Open this version of ${model.path(node)} read-only` }, [icon('go-to-file'), text('open')]);
        open.addEventListener('click', () => this.host.openFile(node, version.layer));
        item.append(open);
      }
      return item;
    });
    this.details.replaceChildren(
      el('p', { className: 'path' }, [el('code', { title: model.path(node) }, [text(`/${model.path(node)}`)])]),
      items.length ? el('ul', { className: 'versions' }, items) : el('p', { className: 'hint' }, [text('No layer has an entry for this directory; its files name it.')]),
    );
  }
}
