// Tags newest version first: semantic versions (with or without a leading v, with
// pre-releases after their release) above everything else, the rest in natural order.

const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

interface Version {
  parts: [number, number, number];
  pre?: string;
}

/** Parsed once per tag: a sort compares each tag many times, and refreshes sort the same tags again. */
const versionCache = new Map<string, Version | null>();
const VERSION_CACHE_MAX = 50_000;

function parseVersion(tag: string): Version | undefined {
  const cached = versionCache.get(tag);
  if (cached !== undefined) return cached ?? undefined;
  const match = SEMVER.exec(tag);
  const version = match ? { parts: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] as [number, number, number], pre: match[4] } : undefined;
  if (versionCache.size >= VERSION_CACHE_MAX) versionCache.clear();
  versionCache.set(tag, version ?? null);
  return version;
}

/** For Array.sort: newest version first, then the tags that are not versions. */
export function compareTagsNewestFirst(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va && vb) {
    for (let i = 0; i < 3; i++) {
      const diff = vb.parts[i]! - va.parts[i]!;
      if (diff !== 0) return diff;
    }
    if (va.pre === undefined || vb.pre === undefined) return va.pre === vb.pre ? collator.compare(b, a) : va.pre === undefined ? -1 : 1;
    return collator.compare(vb.pre, va.pre);
  }
  if (va || vb) return va ? -1 : 1;
  if (a === 'latest' || b === 'latest') return a === b ? 0 : a === 'latest' ? -1 : 1;
  return collator.compare(b, a);
}
