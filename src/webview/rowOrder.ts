// Which rows the Layers panel shows, and in what order: the filter text and the sort-by-size
// toggle over the rows the host sent. Pure (no DOM), so it is unit-tested with node.

import { type PanelData, type PanelRow } from '../views/layers/protocol';

export interface RowViewOptions {
  filter: string;
  sortBySize: boolean;
}

/**
 * In build order, the base image's rows are grouped (collapsed under "from <base>") and the
 * image's own rows follow; sorted by size, all rows form one list, largest first (ties keep
 * build order), so the biggest layer is at the top whichever image made it.
 */
export type RowView = { grouped: true; base: PanelRow[]; own: PanelRow[]; shown: number } | { grouped: false; rows: PanelRow[]; shown: number };

export function rowView(data: PanelData, options: RowViewOptions): RowView {
  const query = normalize(options.filter);
  const matching = query ? data.rows.filter((row) => rowMatches(row, query)) : data.rows;
  if (options.sortBySize) {
    const rows = [...matching].sort((a, b) => (b.size ?? -1) - (a.size ?? -1) || a.index - b.index);
    return { grouped: false, rows, shown: rows.length };
  }
  const baseCount = data.base?.rowCount ?? 0;
  const base = matching.filter((row) => row.index < baseCount);
  const own = matching.filter((row) => row.index >= baseCount);
  return { grouped: true, base, own, shown: matching.length };
}

/** Case-insensitive; every word of the query must appear in the row's text, keyword, layer ID, line or shared names. */
export function rowMatches(row: PanelRow, query: string): boolean {
  const haystack = normalize(
    [row.keyword, row.text, row.raw, row.diffId ?? '', row.kind === 'metadata' ? 'metadata only' : '', row.line ? `line ${row.line.start}` : '', ...row.sharedNames].join('\n'),
  );
  return normalize(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
