// A row of the Layers panel opened to its whole instruction, and closed again. The line clamp
// (CSS) keeps rows at most three lines tall; whether a row's instruction is cut off is measured
// only when the pointer or the focus comes to it, so painting the rows measures nothing.

import { type PanelRow } from '../views/layers/protocol';
import { el, icon, text } from './dom';
import { instructionSegments } from './instructionSegments';

/** Rows the user opened, by index; kept when the rows are drawn again. */
const expanded = new Set<number>();

/** A row drawn again (the Dockerfile was edited) opens as the user left it. */
export function restoreExpanded(element: HTMLElement, row: PanelRow): void {
  if (!expanded.has(row.index)) return;
  setExpanded(element, row, true);
  offerExpander(element, row);
}

/**
 * Shows "Show all" on a row whose instruction the line clamp cuts off (and "Show less" on an
 * opened one). Measured when the pointer or the focus comes to the row, never while painting:
 * one row's layout, and only then.
 */
export function offerExpander(element: HTMLElement, row: PanelRow): boolean {
  const open = expanded.has(row.index);
  const instruction = element.querySelector<HTMLElement>('.instruction')!;
  const cut = open || instruction.scrollHeight > instruction.clientHeight + 1 || instruction.scrollWidth > instruction.clientWidth + 1;
  let button = element.querySelector<HTMLButtonElement>('button.expand');
  if (!cut) {
    if (button) button.hidden = true;
    return false;
  }
  if (!button) {
    button = el('button', { className: 'expand' });
    // The row keeps the focus (one tab stop per row); Space on it does what this button does.
    button.tabIndex = -1;
    button.setAttribute('aria-controls', instruction.id);
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      toggleExpanded(element, row);
      element.focus({ preventScroll: true });
    });
    element.querySelector('.meta')!.append(button);
  }
  button.hidden = false;
  button.setAttribute('aria-expanded', String(open));
  button.replaceChildren(icon(open ? 'chevron-up' : 'chevron-down'), text(open ? 'Show less' : 'Show all'));
  return true;
}

export function toggleExpanded(element: HTMLElement, row: PanelRow, open = !expanded.has(row.index)): void {
  if (open === expanded.has(row.index) || (open && !offerExpander(element, row))) return;
  setExpanded(element, row, open);
  offerExpander(element, row);
}

/** Opened, the instruction is unclamped and drawn a command a line; its text stays the same. */
function setExpanded(element: HTMLElement, row: PanelRow, open: boolean): void {
  if (open) expanded.add(row.index);
  else expanded.delete(row.index);
  element.classList.toggle('expanded', open);
  const instruction = element.querySelector<HTMLElement>('.instruction')!;
  if (open && row.text && !instruction.querySelector('.segment')) {
    instruction.replaceChildren(...instructionSegments(row.text).map((segment) => el('span', { className: 'segment' }, [text(segment)])));
  }
}
