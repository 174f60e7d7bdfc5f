// Paging of /v2/_catalog and /v2/<name>/tags/list: follow `Link: <...>; rel="next"` (RFC 8288),
// else ask for `last=<final item>` when a page came back full. Registries that ignore `n`
// (distribution 2.8.2's tags/list sends every tag, no Link) and ones that repeat a page end the
// walk instead of looping: a page that brings nothing new, or a URL seen before, stops it.

/** The target of the first `rel="next"` link in a Link header, as written (maybe relative). */
export function parseLinkNext(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const link = /<([^>]*)>([^<]*)/g;
  for (let match = link.exec(header); match; match = link.exec(header)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (values.includes('next')) return match[1];
  }
  return undefined;
}

export interface Page {
  items: readonly string[];
  /** The response's Link header. */
  link: string | null;
}

export interface PagingOptions {
  /** First page's URL, with `n` set. */
  first: URL;
  pageSize: number;
  fetchPage(url: URL): Promise<Page>;
  /** Throws: a next link pointed to another origin. */
  refuseOrigin(next: URL): never;
  /** Hard bound on pages (default 100,000). */
  maxPages?: number;
}

/** Yields every item once, page by page. */
export async function* paginate(options: PagingOptions): AsyncGenerator<string, void, undefined> {
  const { first, pageSize } = options;
  const maxPages = options.maxPages ?? 100_000;
  const seenItems = new Set<string>();
  const seenUrls = new Set<string>([first.href]);
  let url = first;
  for (let page = 0; page < maxPages; page++) {
    const { items, link } = await options.fetchPage(url);
    let fresh = 0;
    for (const item of items) {
      if (seenItems.has(item)) continue;
      seenItems.add(item);
      fresh++;
      yield item;
    }
    if (fresh === 0) return;
    const next = nextPageUrl(url, link, items, pageSize);
    if (next === undefined) return;
    if (next.origin !== first.origin) options.refuseOrigin(next);
    if (seenUrls.has(next.href)) return;
    seenUrls.add(next.href);
    url = next;
  }
}

/** The next page: the Link header's target, else `last=` after a page of exactly `n`, else none. */
export function nextPageUrl(current: URL, link: string | null, items: readonly string[], pageSize: number): URL | undefined {
  const target = parseLinkNext(link);
  if (target !== undefined) return new URL(target, current);
  const last = items[items.length - 1];
  // Fewer than asked: the end. More than asked: the registry ignores `n` and sent everything.
  if (items.length !== pageSize || last === undefined) return undefined;
  const next = new URL(current);
  next.searchParams.set('n', String(pageSize));
  next.searchParams.set('last', last);
  return next;
}
