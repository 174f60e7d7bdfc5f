// What Enter in a multi-select pick means, without VS Code: the ticked rows, else the
// highlighted one (so Enter never does nothing while a row is highlighted), else nothing.
// A multi-select pick highlights no row by itself, so the pick highlights the first row the
// typed text matches (firstMatch), as a single pick does.

export function acceptedItems<T>(selected: readonly T[], active: readonly T[]): readonly T[] {
  if (selected.length) return selected;
  return active.slice(0, 1);
}

export interface MatchableItem {
  label: string;
  description?: string;
  detail?: string;
}

/**
 * The first item whose label, description or detail holds the typed text (case-insensitive,
 * as VS Code's pick filter matches contiguous text); the first item when nothing is typed.
 */
export function firstMatch<T extends MatchableItem>(items: readonly T[], value: string): T | undefined {
  const needle = value.trim().toLowerCase();
  if (!needle) return items[0];
  return items.find((item) => [item.label, item.description, item.detail].some((text) => text?.toLowerCase().includes(needle)));
}
