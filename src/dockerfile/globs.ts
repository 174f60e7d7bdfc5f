// The patterns of `${X#pat}`, `${X%pat}` and `${X/pat/text}` with BuildKit's rules
// (convertShellPatternToRegex in frontend/dockerfile/shell/lex.go): `*` and `?` are wildcards,
// `\*`, `\?` and `\\` literal, `\}` and `\/` the bare character, any other escape an error, and
// `[` plain text (no bracket expressions). Go's `.` never matches a line break, so neither does
// a wildcard here. Matched by a state-set walk rather than a RegExp: a Dockerfile is untrusted
// text, and a backtracking match of `*a*a*a*b` could hang the editor. Characters are code
// points, as Go's runes are, so `?` takes a whole emoji.

type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string };

export type Glob = readonly GlobToken[];

export type ParsedGlob = { glob: Glob; error?: undefined } | { error: string; glob?: undefined };

export function parseGlob(pattern: string): ParsedGlob {
  const chars = Array.from(pattern);
  const tokens: GlobToken[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') tokens.push({ kind: 'star' });
    else if (ch === '?') tokens.push({ kind: 'any' });
    else if (ch !== '\\') tokens.push({ kind: 'char', ch });
    else {
      const escaped = chars[i + 1];
      // `\}` and `\/` only keep ${...} open; the character itself is read as usual next.
      if (escaped === '}' || escaped === '/') continue;
      if (escaped === undefined) return { error: "it ends in a lone '\\'" };
      if (escaped !== '*' && escaped !== '?' && escaped !== '\\') return { error: `invalid escape '\\${escaped}'` };
      tokens.push({ kind: 'char', ch: escaped });
      i++;
    }
  }
  return { glob: tokens };
}

/** reversePattern: the characters backwards, each `\x` pair kept in order, for matching a reversed value. */
export function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    pieces.push(ch === '\\' && i + 1 < chars.length ? ch + (chars[++i] ?? '') : ch);
  }
  return pieces.reverse().join('');
}

/** Every `end` such that the glob matches exactly `chars.slice(start, end)`, ascending. */
export function globMatchEnds(glob: Glob, chars: readonly string[], start: number): number[] {
  const ends: number[] = [];
  let states = closure(glob, [0]);
  for (let i = start; ; i++) {
    if (states.has(glob.length)) ends.push(i);
    const ch = chars[i];
    if (ch === undefined || states.size === 0) return ends;
    const next: number[] = [];
    for (const state of states) {
      const token = glob[state];
      if (token?.kind === 'star' && ch !== '\n') next.push(state);
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
  if (token.kind === 'any') return ch !== '\n';
  return token.kind === 'char' && token.ch === ch;
}
