// The Waste view: every item the image carries for nothing, largest first, each with the line
// that wrote the bytes, the line that hid them, and the fix. Virtualized like Files. Enter or a
// click on the path shows it in Files; the line chips open the Dockerfile there.

import { formatBytes } from '../util/format';
import { type ContentsModel } from './contentsModel';
import { el, icon, text } from './dom';
import { type FilesViewHost } from './filesView';
import { VirtualList } from './virtualList';

export const WASTE_ROW_HEIGHT = 44;

const KIND_ICONS = { removed: 'trash', overwritten: 'replace', replaced: 'replace-all' } as const;
const KIND_NAMES = { removed: 'removed later', overwritten: 'overwritten later', replaced: 'replaced later' } as const;

export interface WasteViewHost extends Pick<FilesViewHost, 'openLine' | 'layerLabel'> {
  showInFiles(node: number): void;
}

export class WasteView {
  readonly element: HTMLElement;
  private model: ContentsModel | undefined;
  private readonly list: VirtualList;
  private readonly summary: HTMLElement;

  constructor(private readonly host: WasteViewHost) {
    this.summary = el('div', { id: 'waste-summary', className: 'waste-summary', role: 'status' });
    this.list = new VirtualList({
      rowHeight: WASTE_ROW_HEIGHT,
      role: 'listbox',
      label: 'Waste items, largest first',
      render: (index, element) => this.renderRow(index, element),
      onKey: (index, event) => {
        if (event.key !== 'Enter') return false;
        const item = this.model?.data.waste[index];
        if (item) this.host.showInFiles(item.node);
        return true;
      },
      onClick: (index, event) => {
        const item = this.model?.data.waste[index];
        const target = event.target instanceof Element ? event.target : null;
        if (!item || !target) return;
        const chip = target.closest<HTMLElement>('.line-chip');
        if (chip?.dataset.layer) this.host.openLine(Number(chip.dataset.layer));
        else if (target.closest('.path')) this.host.showInFiles(item.node);
      },
    });
    this.element = el('section', { id: 'waste-view', className: 'view', role: 'tabpanel', ariaLabel: 'Waste' }, [el('div', { className: 'sticky' }, [this.summary]), this.list.element]);
  }

  setModel(model: ContentsModel): void {
    this.model = model;
    const { summary, waste } = model.data;
    const total = waste.reduce((sum, item) => sum + item.bytes, 0);
    this.summary.replaceChildren(
      el('p', {}, [
        icon(waste.length ? 'warning' : 'pass'),
        text(
          waste.length
            ? `${formatBytes(summary.hiddenBytes)} hidden in ${waste.length.toLocaleString('en-US')} item${waste.length === 1 ? '' : 's'}: bytes a layer wrote that a later layer removed or overwrote. They ship with the image and are pulled with it.`
            : 'Nothing hidden: no layer removes or overwrites what an earlier one wrote.',
        ),
      ]),
      el('p', { className: 'dive' }, [
        text(`dive’s figures: efficiency ${percent(summary.efficiency)}, wasted ${formatBytes(summary.diveWastedBytes)}${total > summary.diveWastedBytes ? ' (dive does not count a directory removed whole; the hidden bytes above do)' : ''}.`),
      ]),
    );
    this.list.setCount(waste.length, 0);
  }

  get drawnRows(): number {
    const { first, last } = this.list.visibleRange();
    return Math.max(0, last - first + 1);
  }

  focus(): void {
    this.list.focus();
  }

  refresh(): void {
    this.list.refresh();
  }

  private chip(layer: number, verb: string): HTMLElement {
    const label = this.host.layerLabel(layer);
    const chip = el('span', { className: `line-chip${label.hasLine ? ' linked' : ''}`, title: label.hasLine ? `Open the Dockerfile at ${label.title}` : label.title }, [text(`${verb} ${label.short}`)]);
    if (label.hasLine) chip.dataset.layer = String(layer);
    return chip;
  }

  private renderRow(index: number, element: HTMLElement): void {
    const item = this.model!.data.waste[index]!;
    element.classList.add('waste-row', item.kind);
    const top = el('div', { className: 'waste-top' }, [
      icon(KIND_ICONS[item.kind]),
      el('span', { className: 'path', title: `/${item.path}: show in Files` }, [text(`/${item.path}`)]),
      el('span', { className: 'kind' }, [text(KIND_NAMES[item.kind])]),
      this.chip(item.writtenBy, 'written by'),
      this.chip(item.hiddenBy, 'hidden by'),
      el('span', { className: 'size' }, [text(formatBytes(item.bytes))]),
    ]);
    const fix = el('div', { className: 'fix', title: item.fix }, [text(item.fix)]);
    element.append(top, fix);
    element.setAttribute('aria-label', `${item.path}, ${formatBytes(item.bytes)}, ${KIND_NAMES[item.kind]}. ${item.fix}`);
  }
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}
