// A list that draws only the rows on screen (and a few either side), so that 200,000 rows
// scroll like 20. It scrolls with the page (no nested scroll box): its height is the rows'
// total, and a pool of row elements is moved to where the window shows them. One tab stop; the
// active row is named by aria-activedescendant, and the keyboard moves it: Up, Down, Page Up,
// Page Down, Home, End, and whatever `onKey` adds (Left and Right in a tree, Enter).

import { el } from './dom';

const OVERSCAN = 8;

export interface VirtualListOptions {
  /** Fixed row height in CSS pixels (the stylesheet draws rows at this height). */
  rowHeight: number;
  role: 'tree' | 'listbox';
  label: string;
  /** Fills a pooled row element for item `index` (its content only: position and focus state are set here). */
  render(index: number, element: HTMLElement): void;
  /** A key on the active row; return true when handled. */
  onKey?(index: number, event: KeyboardEvent): boolean;
  /** A click on a row (it became the active one first). */
  onClick?(index: number, event: MouseEvent): void;
  onDoubleClick?(index: number, event: MouseEvent): void;
  /** The active row changed. */
  onActive?(index: number): void;
}

export class VirtualList {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private count = 0;
  private activeIndex = -1;
  private frame = 0;
  private readonly idPrefix = `vrow-${Math.random().toString(36).slice(2, 8)}-`;

  constructor(private readonly options: VirtualListOptions) {
    this.body = el('div', { className: 'vlist-body' });
    this.element = el('div', { className: 'vlist', role: options.role, ariaLabel: options.label }, [this.body]);
    this.element.tabIndex = 0;
    this.element.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.element.addEventListener('focus', () => {
      if (this.activeIndex < 0 && this.count) this.setActive(0, false);
    });
    this.body.addEventListener('click', (event) => {
      const index = this.indexOf(event.target);
      if (index === undefined) return;
      this.setActive(index, false);
      this.element.focus({ preventScroll: true });
      this.options.onClick?.(index, event);
    });
    this.body.addEventListener('dblclick', (event) => {
      const index = this.indexOf(event.target);
      if (index !== undefined) this.options.onDoubleClick?.(index, event);
    });
    window.addEventListener('scroll', () => this.schedule(), { passive: true });
    window.addEventListener('resize', () => this.schedule());
  }

  get active(): number {
    return this.activeIndex;
  }

  get size(): number {
    return this.count;
  }

  /** New rows: `active` is the row to make active (kept in range). */
  setCount(count: number, active = this.activeIndex): void {
    this.count = count;
    this.body.style.height = `${count * this.options.rowHeight}px`;
    this.activeIndex = count ? Math.max(0, Math.min(count - 1, active)) : -1;
    this.draw();
  }

  /** Draws the rows on screen again (their data changed). */
  refresh(): void {
    this.draw();
  }

  /** Makes a row the active one and scrolls it into view. */
  setActive(index: number, scroll = true): void {
    if (!this.count) return;
    const clamped = Math.max(0, Math.min(this.count - 1, index));
    const changed = clamped !== this.activeIndex;
    this.activeIndex = clamped;
    if (scroll) this.scrollIntoView(clamped);
    this.draw();
    if (changed) this.options.onActive?.(clamped);
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  /** The rows on screen, first to last (the pool's order is not the rows'). */
  visibleRange(): { first: number; last: number } {
    const top = this.element.getBoundingClientRect().top;
    const height = this.options.rowHeight;
    const first = Math.max(0, Math.floor(-top / height));
    const last = Math.min(this.count - 1, Math.ceil((window.innerHeight - top) / height));
    return { first, last };
  }

  private scrollIntoView(index: number): void {
    const top = this.element.getBoundingClientRect().top + window.scrollY;
    const rowTop = top + index * this.options.rowHeight;
    const rowBottom = rowTop + this.options.rowHeight;
    // Leave room for the sticky toolbar above the list.
    const sticky = this.stickyOffset();
    if (rowTop < window.scrollY + sticky) window.scrollTo(0, rowTop - sticky);
    else if (rowBottom > window.scrollY + window.innerHeight) window.scrollTo(0, rowBottom - window.innerHeight);
  }

  private stickyOffset(): number {
    const toolbar = this.element.parentElement?.querySelector<HTMLElement>('.sticky');
    return toolbar ? toolbar.getBoundingClientRect().height : 0;
  }

  private schedule(): void {
    if (this.frame || !this.element.isConnected) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.element.isConnected || this.element.offsetParent === null) {
      // Hidden (another view): drawn when shown.
      this.recycle(0);
      return;
    }
    const { first, last } = this.visibleRange();
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(this.count - 1, last + OVERSCAN);
    const needed = to >= from ? to - from + 1 : 0;
    this.recycle(needed);
    let activeShown = false;
    for (let i = 0; i < needed; i++) {
      const index = from + i;
      const row = this.pool[i]!;
      row.replaceChildren();
      row.className = 'vrow';
      this.options.render(index, row);
      row.classList.add('vrow');
      row.dataset.index = String(index);
      row.id = `${this.idPrefix}${index}`;
      row.style.transform = `translateY(${index * this.options.rowHeight}px)`;
      const active = index === this.activeIndex;
      row.classList.toggle('active', active);
      row.setAttribute('aria-selected', String(active));
      if (active) activeShown = true;
    }
    if (activeShown) this.element.setAttribute('aria-activedescendant', `${this.idPrefix}${this.activeIndex}`);
    else this.element.removeAttribute('aria-activedescendant');
  }

  /** Keeps `needed` pooled rows in the list, hiding the rest. */
  private recycle(needed: number): void {
    while (this.pool.length < needed) {
      const row = el('div', { className: 'vrow', role: this.options.role === 'tree' ? 'treeitem' : 'option' });
      this.pool.push(row);
      this.body.append(row);
    }
    for (let i = 0; i < this.pool.length; i++) this.pool[i]!.hidden = i >= needed;
  }

  private indexOf(target: EventTarget | null): number | undefined {
    const row = target instanceof Element ? target.closest<HTMLElement>('.vrow') : null;
    if (!row || row.hidden) return undefined;
    const index = Number(row.dataset.index);
    return Number.isInteger(index) && index < this.count ? index : undefined;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.count) return;
    const index = this.activeIndex < 0 ? 0 : this.activeIndex;
    if (this.options.onKey?.(index, event)) {
      event.preventDefault();
      return;
    }
    const page = Math.max(1, Math.floor((window.innerHeight - this.stickyOffset()) / this.options.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: this.count - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.setActive(to);
  }
}
