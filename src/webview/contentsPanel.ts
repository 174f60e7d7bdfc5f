// The layer contents in the Layers panel: the tabs (Layers, Files, Waste), the contents line
// under the header (not read, reading with progress and Cancel, failed, or the figures), and the
// changes under a layer row. Reading starts when the user opens Files or Waste or a row's
// changes; the host sends cached contents by itself.

import { formatBytes } from '../util/format';
import { type ContentsState, type PanelView } from '../views/layers/protocol';
import { type PanelRow, type WebviewMessage } from '../views/layers/protocol';
import { ContentsModel } from './contentsModel';
import { el, icon, text } from './dom';
import { type FilesFilter, FilesView } from './filesView';
import { layerChangesBlock } from './layerChanges';
import { percent, WasteView } from './wasteView';

export interface ContentsPanelHost {
  post(message: WebviewMessage): void;
  /** The Layers view's row for a panel row index (to open its line). */
  openRow(rowIndex: number): void;
  /** The Layers view's rows, to show or hide it. */
  layersSection(): HTMLElement | null;
  saveState(): void;
  /** Dockerfile lines of a panel row, for labels. */
  rowOf(rowIndex: number): PanelRow | undefined;
}

export class ContentsPanel {
  private state: ContentsState = { kind: 'unread' };
  private model: ContentsModel | undefined;
  private view: PanelView;
  private readonly files: FilesView;
  private readonly waste: WasteView;
  readonly tabs: HTMLElement;
  readonly bar: HTMLElement;
  /** Rows whose changes are open, by panel row index. */
  private readonly openChanges = new Set<number>();
  /** The last data message not yet reported painted in Files or Waste. */
  private unreported: { seq: number; received: number } | undefined;

  constructor(
    private readonly host: ContentsPanelHost,
    saved: { view: PanelView; files: FilesFilter },
  ) {
    this.view = saved.view;
    const viewHost = {
      openFile: (node: number, layer: number) => host.post({ type: 'openFile', node, layer }),
      openLine: (layer: number) => {
        const row = this.model?.data.layers[layer]?.row;
        if (row !== undefined) host.openRow(row);
      },
      layerLabel: (layer: number) => this.layerLabel(layer),
      saveState: () => host.saveState(),
      showInFiles: (node: number) => this.showInFiles(node),
    };
    this.files = new FilesView(viewHost, saved.files);
    this.waste = new WasteView(viewHost);
    this.bar = el('div', { id: 'contents-bar', className: 'contents-bar', role: 'status' });
    this.tabs = el('div', { className: 'tabs', role: 'tablist', ariaLabel: 'Views' });
    this.tabs.addEventListener('keydown', (event) => {
      const order: PanelView[] = ['layers', 'files', 'waste'];
      const at = order.indexOf(this.view);
      const next = event.key === 'ArrowRight' ? order[(at + 1) % 3] : event.key === 'ArrowLeft' ? order[(at + 2) % 3] : undefined;
      if (!next) return;
      event.preventDefault();
      this.select(next);
      this.tabs.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
    });
    this.renderBar();
  }

  get nodeCount(): number | undefined {
    return this.model?.size;
  }

  get savedState(): { view: PanelView; files: FilesFilter } {
    return { view: this.view, files: this.files.filter };
  }

  /** The views' sections, placed once after the Layers view's. */
  sections(): HTMLElement[] {
    return [this.files.element, this.waste.element];
  }

  /** The page was drawn (again): tabs and the view shown. */
  attached(): void {
    this.renderTabs();
    this.applyView();
  }

  select(view: PanelView): void {
    this.view = view;
    this.host.saveState();
    if (view !== 'layers' && this.state.kind === 'unread') this.host.post({ type: 'readContents' });
    this.renderTabs();
    this.applyView();
    this.reportPaint();
  }

  setState(state: ContentsState, seq: number): void {
    if (state.kind === 'ready') {
      const data = state.data;
      if (data.table && data.changes) this.model = new ContentsModel(data, data.table, data.changes);
      else if (this.model) this.model.data = data;
      if (this.model) {
        this.files.setModel(this.model);
        this.waste.setModel(this.model);
      }
      this.unreported = { seq, received: performance.now() };
    }
    this.state = state;
    this.renderBar();
    this.renderTabs();
    this.refreshRows();
    this.applyView();
    this.reportPaint();
  }

  /** The layer a panel row made, once the contents are known. */
  layerOfRow(rowIndex: number): number | undefined {
    const layers = this.model?.data.layers;
    if (!layers) return undefined;
    const at = layers.findIndex((layer) => layer.row === rowIndex);
    return at < 0 ? undefined : at;
  }

  /** Adds the changes button (and the open block) to a Layers row. */
  decorateRow(element: HTMLElement, row: PanelRow): void {
    if (row.kind !== 'layer' || !row.diffId) return;
    element.querySelector('.changes-toggle')?.remove();
    element.querySelector('.changes')?.remove();
    const layer = this.layerOfRow(row.index);
    const info = layer !== undefined ? this.model?.data.layers[layer] : undefined;
    const open = this.openChanges.has(row.index);
    const button = el('button', { className: 'changes-toggle link-button' });
    button.tabIndex = -1;
    button.setAttribute('aria-expanded', String(open && Boolean(info)));
    if (info) {
      const count = info.added.count + info.modified.count + info.removed.count;
      button.append(icon(open ? 'chevron-up' : 'list-tree'), text(`${count.toLocaleString('en-US')} change${count === 1 ? '' : 's'}${info.hiddenBytes ? ` · ${formatBytes(info.hiddenBytes)} hidden later` : ''}`));
      button.title = open ? 'Hide the changes' : 'What this layer added, modified and removed';
    } else {
      button.append(icon('list-tree'), text(this.state.kind === 'reading' ? 'reading contents…' : 'changes'));
      button.title = 'Read the layer contents: what each layer added, modified and removed';
    }
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      this.toggleChanges(element, row);
    });
    element.querySelector('.meta')?.append(button);
    if (open && info && layer !== undefined && this.model) element.querySelector('.body')?.append(layerChangesBlock(this.model, layer, { showInFiles: (node) => this.showInFiles(node), showLayerInFiles: (at) => this.showLayerInFiles(at) }));
  }

  /** Opens or closes a row's changes (Right and Left on a row, or its button). */
  toggleChanges(element: HTMLElement, row: PanelRow, open = !this.openChanges.has(row.index)): void {
    if (row.kind !== 'layer' || !row.diffId) return;
    if (open) this.openChanges.add(row.index);
    else this.openChanges.delete(row.index);
    if (open && this.state.kind === 'unread') this.host.post({ type: 'readContents' });
    this.decorateRow(element, row);
  }

  /** Called by the Layers view for every row it (re)draws. */
  private refreshRows(): void {
    const section = this.host.layersSection();
    if (!section) return;
    for (const element of Array.from(section.querySelectorAll<HTMLElement>('.row'))) {
      const row = this.host.rowOf(Number(element.dataset.index));
      if (row) this.decorateRow(element, row);
    }
  }

  private showInFiles(node: number): void {
    this.select('files');
    this.files.reveal(node);
  }

  private showLayerInFiles(layer: number): void {
    this.select('files');
    this.files.showLayer(layer);
    this.files.focus();
  }

  private layerLabel(layer: number): { short: string; title: string; hasLine: boolean } {
    const info = this.model?.data.layers[layer];
    const row = info?.row !== undefined ? this.host.rowOf(info.row) : undefined;
    const line = info?.line;
    const lines = line ? (line.start === line.end ? `line ${line.start}` : `lines ${line.start}–${line.end}`) : undefined;
    const instruction = row?.text ? `: ${row.text.length > 80 ? `${row.text.slice(0, 80)}…` : row.text}` : '';
    return {
      short: lines ? `L${layer + 1} · ${lines}` : `L${layer + 1}${info?.inBase ? ' · base' : ''}`,
      title: `layer ${layer + 1}${lines ? `, ${lines}` : ''}${info?.inBase ? ' (base image)' : ''}${instruction}`,
      hasLine: Boolean(line && info?.row !== undefined && !info.inBase),
    };
  }

  private renderTabs(): void {
    const counts = this.model ? { files: this.model.size, waste: this.model.data.waste.length } : undefined;
    const tab = (view: PanelView, label: string, count?: number): HTMLElement => {
      const button = el('button', { id: `tab-${view}`, className: 'tab', role: 'tab' }, [text(label)]);
      if (count !== undefined) button.append(el('span', { className: 'tab-count' }, [text(count.toLocaleString('en-US'))]));
      button.setAttribute('aria-selected', String(view === this.view));
      button.setAttribute('aria-controls', `${view}-view`);
      button.tabIndex = view === this.view ? 0 : -1;
      button.addEventListener('click', () => this.select(view));
      return button;
    };
    this.tabs.replaceChildren(tab('layers', 'Layers'), tab('files', 'Files', counts?.files), tab('waste', 'Waste', counts?.waste));
  }

  private applyView(): void {
    const layers = this.host.layersSection();
    if (layers) layers.hidden = this.view !== 'layers';
    const ready = this.state.kind === 'ready';
    this.files.element.hidden = this.view !== 'files' || !ready;
    this.waste.element.hidden = this.view !== 'waste' || !ready;
    if (this.view === 'files' && ready) this.files.refresh();
    if (this.view === 'waste' && ready) this.waste.refresh();
  }

  private renderBar(): void {
    const state = this.state;
    const button = (label: string, codicon: string, message: WebviewMessage): HTMLElement => {
      const element = el('button', { className: 'action' }, [icon(codicon), text(label)]);
      element.addEventListener('click', () => this.host.post(message));
      return element;
    };
    switch (state.kind) {
      case 'unread':
        this.bar.replaceChildren(icon('list-tree'), text('Layer contents not read yet: what each layer adds, modifies and removes, and what it wastes. '), button('Read Layer Contents', 'play', { type: 'readContents' }));
        return;
      case 'reading': {
        const progress = el('progress', { ariaLabel: 'Reading the image archive' });
        progress.max = state.totalBytes ?? 0;
        if (state.totalBytes) progress.value = Math.min(state.bytesRead, state.totalBytes);
        const amount = state.totalBytes ? `${formatBytes(state.bytesRead)} of about ${formatBytes(state.totalBytes)}` : formatBytes(state.bytesRead);
        this.bar.replaceChildren(icon('loading'), text(`Reading the image archive: ${amount} `), progress, button('Cancel', 'close', { type: 'cancelContents' }));
        this.bar.querySelector('.codicon-loading')?.classList.add('codicon-modifier-spin');
        return;
      }
      case 'error':
        this.bar.replaceChildren(el('span', { className: 'error' }, [icon('error'), text(state.message)]), text(' '), button('Try Again', 'refresh', { type: 'readContents' }));
        return;
      case 'ready': {
        const { summary, notes } = state.data;
        const cache = summary.archiveBytes ? `read ${formatBytes(summary.archiveBytes)} of archive` : 'from the cache';
        this.bar.replaceChildren(
          icon('list-tree'),
          text(`${summary.visiblePaths.toLocaleString('en-US')} paths, ${formatBytes(summary.visibleBytes)} seen · `),
          el('span', { className: summary.hiddenBytes ? 'hidden-total' : '', title: 'Bytes layers wrote that a later layer removed or overwrote: the image ships them, nothing shows them' }, [text(`${formatBytes(summary.hiddenBytes)} hidden`)]),
          text(` · dive: efficiency ${percent(summary.efficiency)}, wasted ${formatBytes(summary.diveWastedBytes)} · ${cache}`),
        );
        if (notes.length) this.bar.append(el('ul', { className: 'notes' }, notes.map((note) => el('li', {}, [icon('warning'), text(note)]))));
        return;
      }
    }
  }

  /** Tells the host when data has been painted in Files or Waste (the bench and tests wait for it). */
  private reportPaint(): void {
    const pending = this.unreported;
    if (!pending || this.view === 'layers' || this.state.kind !== 'ready') return;
    this.unreported = undefined;
    const view = this.view;
    requestAnimationFrame(() =>
      setTimeout(() => {
        const now = performance.now();
        const rows = view === 'files' ? this.files.drawnRows : this.waste.drawnRows;
        this.host.post({ type: 'contentsPainted', seq: pending.seq, at: performance.timeOrigin + now, view, rows, renderMs: now - pending.received });
      }, 0),
    );
  }
}
