// Shell globs (`*`, `?`, `[a-z]`, `[!x]`, `\*`) for `${X#glob}`, `${X%glob}` and `${X/glob/text}`,
// matched by a state-set walk rather than a RegExp: a Dockerfile is untrusted text, and a
// backtracking match of `*a*a*a*b` could hang the editor.

type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string } | { kind: 'class'; negated: boolean; members: string };

export type Glob = readonly GlobToken[];

export function parseGlob(pattern: string): Glob {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    const close = ch === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (ch === '*') tokens.push({ kind: 'star' });
    else if (ch === '?') tokens.push({ kind: 'any' });
    else if (close > 0) {
      const members = pattern.slice(i + 1, close);
      const negated = members.startsWith('!') || members.startsWith('^');
      tokens.push({ kind: 'class', negated, members: negated ? members.slice(1) : members });
      i = close;
    } else if (ch === '\\' && i + 1 < pattern.length) tokens.push({ kind: 'char', ch: pattern.charAt(++i) });
    else tokens.push({ kind: 'char', ch });
  }
  return tokens;
}

/** The same glob matching the reversed text: for suffixes. */
export function reverseGlob(glob: Glob): Glob {
  return [...glob].reverse();
}

/** Every `end` such that the glob matches exactly `text.slice(start, end)`, ascending. */
export function globMatchEnds(glob: Glob, text: string, start: number): number[] {
  const ends: number[] = [];
  let states = closure(glob, [0]);
  for (let i = start; ; i++) {
    if (states.has(glob.length)) ends.push(i);
    if (i >= text.length || states.size === 0) return ends;
    const ch = text.charAt(i);
    const next: number[] = [];
    for (const state of states) {
      const token = glob[state];
      if (token?.kind === 'star') next.push(state);
      else if (token && matchesChar(token, ch)) next.push(state + 1);
    }
    states = closure(glob, next);
  }
}

/** A star may also match nothing. */
function closure(glob: Glob, states: readonly number[]): Set<number> {
  const result = new Set<number>();
  for (let state of states) {
    result.add(state);
    while (glob[state]?.kind === 'star') result.add(++state);
  }
  return result;
}

function matchesChar(token: GlobToken, ch: string): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.ch === ch;
    case 'class':
      return inClass(token.members, ch) !== token.negated;
    default:
      return false;
  }
}

function inClass(members: string, ch: string): boolean {
  for (let i = 0; i < members.length; i++) {
    const from = members.charAt(i);
    const to = members.charAt(i + 2);
    if (members.charAt(i + 1) === '-' && to !== '') {
      if (ch >= from && ch <= to) return true;
      i += 2;
    } else if (from === ch) return true;
  }
  return false;
}
