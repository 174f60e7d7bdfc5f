// `${X#pat}`, `${X##pat}`, `${X%pat}`, `${X%%pat}`, `${X/pat/text}` and `${X//pat/text}` on an
// expansion, as BuildKit computes them with Go's regexp (trimPrefix, trimSuffix and
// ReplaceAllString in frontend/dockerfile/shell/lex.go): the leftmost match, the longest there
// for `/` (greedy stars), an empty pattern matching at the start, and `$` in the text of `//`
// read as Go's template ($$, $0 for the match). Every character keeps its document offset.

import { type Glob, globMatchEnds, parseGlob, reversePattern } from './globs';

/** The parts of an Expansion (variables.ts) a substitution reads and writes. */
export interface Text {
  text: string;
  /** Document offset of each UTF-16 code unit of `text`. */
  origins: number[];
}

export type Substituted = Text | { error: string };

/** `operator` is `#`, `%`, `/` or `//`; a doubled `#` or `%` is already in `pattern` as BuildKit reads it. */
export function substitute(operator: string, value: Text, pattern: string, replacement: Text): Substituted {
  let greedy = false;
  if ((operator === '#' || operator === '%') && pattern.startsWith(operator)) {
    greedy = true;
    pattern = pattern.slice(1);
  }
  // BuildKit parses the reversed pattern for `%`, so that is the one whose escapes must hold.
  const parsed = parseGlob(operator === '%' ? reversePattern(pattern) : pattern);
  if (parsed.error !== undefined) return { error: parsed.error };
  const subject = new CodePoints(value);
  if (operator === '#' || operator === '%') {
    const chars = operator === '#' ? subject.chars : [...subject.chars].reverse();
    const ends = globMatchEnds(parsed.glob, chars, 0);
    const cut = (greedy ? ends.at(-1) : ends[0]) ?? 0;
    return operator === '#' ? subject.slice(cut, chars.length) : subject.slice(0, chars.length - cut);
  }
  return operator === '//' ? replaceAll(parsed.glob, subject, replacement) : replaceFirst(parsed.glob, subject, replacement);
}

function replaceFirst(glob: Glob, subject: CodePoints, replacement: Text): Text {
  const match = leftmostMatch(glob, subject.chars, 0);
  if (match === undefined) return subject.slice(0, subject.chars.length);
  return join([subject.slice(0, match.start), replacement, subject.slice(match.end, subject.chars.length)]);
}

/** Go's replaceAll: no empty match right after a match, and every step advances. */
function replaceAll(glob: Glob, subject: CodePoints, replacement: Text): Text {
  const parts: Text[] = [];
  let searchFrom = 0;
  let lastEnd = 0;
  while (searchFrom <= subject.chars.length) {
    const match = leftmostMatch(glob, subject.chars, searchFrom);
    if (match === undefined) break;
    parts.push(subject.slice(lastEnd, match.start));
    if (match.end > lastEnd || match.start === 0) parts.push(expandTemplate(replacement, subject.slice(match.start, match.end)));
    lastEnd = match.end;
    searchFrom = match.end > searchFrom ? match.end : searchFrom + 1;
  }
  parts.push(subject.slice(lastEnd, subject.chars.length));
  return join(parts);
}

/** With only greedy stars, Go's leftmost-first match is the longest at the leftmost start. */
function leftmostMatch(glob: Glob, chars: readonly string[], from: number): { start: number; end: number } | undefined {
  for (let start = from; start <= chars.length; start++) {
    const end = globMatchEnds(glob, chars, start).at(-1);
    if (end !== undefined) return { start, end };
  }
  return undefined;
}

/** Go's Regexp.Expand with no groups: `$$` is `$`, `$0` and `${0}` the match, other names nothing, a lone `$` itself. */
function expandTemplate(template: Text, match: Text): Text {
  const parts: Text[] = [];
  const { text } = template;
  let done = 0;
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', done)) {
    parts.push(sliceText(template, done, i));
    if (text[i + 1] === '$') {
      parts.push(sliceText(template, i, i + 1));
      done = i + 2;
      continue;
    }
    const name = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(text.slice(i + 1));
    if (!name) {
      parts.push(sliceText(template, i, i + 1));
      done = i + 1;
      continue;
    }
    if ((name[1] ?? name[2]) === '0') parts.push(match);
    done = i + 1 + name[0].length;
  }
  parts.push(sliceText(template, done, text.length));
  return join(parts);
}

function sliceText(text: Text, start: number, end: number): Text {
  return { text: text.text.slice(start, end), origins: text.origins.slice(start, end) };
}

function join(parts: readonly Text[]): Text {
  return { text: parts.map((part) => part.text).join(''), origins: parts.flatMap((part) => part.origins) };
}

/** A value as code points, sliced back into UTF-16 text with its origins. */
class CodePoints {
  readonly chars: string[];
  private readonly unitStarts: number[] = [0];

  constructor(private readonly value: Text) {
    this.chars = Array.from(value.text);
    for (const ch of this.chars) this.unitStarts.push((this.unitStarts.at(-1) ?? 0) + ch.length);
  }

  slice(start: number, end: number): Text {
    return sliceText(this.value, this.unitStarts[start] ?? 0, this.unitStarts[end] ?? this.value.text.length);
  }
}
