// The shell-word rules BuildKit applies to FROM images, flag values and ARG/ENV values
// (moby/buildkit frontend/dockerfile/shell/lex.go), kept with the document offset of every
// character, so an expanded reference can be traced back to the text that wrote it.

import { isLineBreak } from './sourceText';

/** One UTF-16 code unit of an instruction, line continuations removed. */
export interface SourceChar {
  ch: string;
  offset: number;
}

export type WordPiece = LiteralPiece | VariablePiece;

export interface LiteralPiece {
  kind: 'literal';
  ch: string;
  offset: number;
}

export interface VariablePiece {
  kind: 'variable';
  name: string;
  /** `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`; undefined for `$X` and `${X}`. */
  modifier?: string;
  /** The word after the modifier: default, alternative, message or pattern. */
  word?: WordPiece[];
  /** The replacement of `${X/pattern/replacement}`. */
  replacement?: WordPiece[];
  /** Offsets of `$` and just after the closing `}` (or the name). */
  start: number;
  end: number;
}

export type LexedWord = { pieces: WordPiece[]; error?: undefined } | { error: string; pieces?: undefined };

/**
 * The characters of [start, end) as the Dockerfile parser joins them: an escape character
 * followed by spaces and a line break continues the line, and the comment and blank lines
 * right after a continuation are dropped.
 */
export function joinContinuations(text: string, start: number, end: number, escape: string): SourceChar[] {
  const chars: SourceChar[] = [];
  let i = start;
  while (i < end) {
    const ch = text.charAt(i);
    const next = ch === escape ? continuationEnd(text, i + 1) : -1;
    if (next >= 0) {
      i = skipCommentAndBlankLines(text, next);
      continue;
    }
    chars.push({ ch, offset: i });
    i++;
  }
  return chars;
}

function continuationEnd(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === '\r') return text[i + 1] === '\n' ? i + 2 : i + 1;
  if (text[i] === '\n') return i + 1;
  return -1;
}

function skipCommentAndBlankLines(text: string, lineStart: number): number {
  let start = lineStart;
  while (start < text.length) {
    let i = start;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i < text.length && text[i] !== '#' && !isLineBreak(text.charCodeAt(i))) return start;
    while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
    start = text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
  }
  return start;
}

/** Splits on white space outside quotes, as BuildKit's parseWords does for ARG and ENV; quotes and escapes stay in the words. */
export function splitWords(chars: readonly SourceChar[], escape: string): SourceChar[][] {
  const words: SourceChar[][] = [];
  let word: SourceChar[] = [];
  let quote: string | undefined;
  for (let k = 0; k < chars.length; k++) {
    const char = chars[k];
    if (char === undefined) break;
    if (quote === undefined && /\s/.test(char.ch)) {
      if (word.length > 0) words.push(word);
      word = [];
      continue;
    }
    word.push(char);
    const escaped = chars[k + 1];
    if (char.ch === escape && quote !== "'" && escaped !== undefined) {
      word.push(escaped);
      k++;
    } else if (quote === undefined && (char.ch === '"' || char.ch === "'")) {
      quote = char.ch;
    } else if (char.ch === quote) {
      quote = undefined;
    }
  }
  if (word.length > 0) words.push(word);
  return words;
}

/** Quotes, escapes and `$` substitutions of one word; white space inside it is literal. */
export function lexWord(chars: readonly SourceChar[], escape: string): LexedWord {
  try {
    const lexer = new WordLexer(chars, escape);
    return { pieces: lexer.readUntil(undefined) };
  } catch (error) {
    if (error instanceof WordSyntaxError) return { error: error.message };
    throw error;
  }
}

class WordSyntaxError extends Error {}

class WordLexer {
  private position = 0;

  constructor(
    private readonly chars: readonly SourceChar[],
    private readonly escape: string,
  ) {}

  /** processStopOn: up to (and past) one of `stops`, or to the end when `stops` is undefined. */
  readUntil(stops: string | undefined): WordPiece[] {
    const pieces: WordPiece[] = [];
    for (let char = this.peek(); char !== undefined; char = this.peek()) {
      if (stops?.includes(char.ch)) return pieces;
      if (char.ch === "'") this.readSingleQuoted(pieces);
      else if (char.ch === '"') this.readDoubleQuoted(pieces);
      else if (char.ch === '$') pieces.push(this.readDollar());
      else {
        this.position++;
        const literal = char.ch === this.escape ? this.next() : char;
        if (literal === undefined) break;
        pieces.push({ kind: 'literal', ch: literal.ch, offset: literal.offset });
      }
    }
    if (stops !== undefined) throw new WordSyntaxError(`a "${stops.charAt(stops.length - 1)}" is missing`);
    return pieces;
  }

  private readSingleQuoted(pieces: WordPiece[]): void {
    this.position++;
    for (let char = this.next(); char?.ch !== "'"; char = this.next()) {
      if (char === undefined) throw new WordSyntaxError('a closing single quote is missing');
      pieces.push({ kind: 'literal', ch: char.ch, offset: char.offset });
    }
  }

  private readDoubleQuoted(pieces: WordPiece[]): void {
    this.position++;
    for (let char = this.peek(); char?.ch !== '"'; char = this.peek()) {
      if (char === undefined) throw new WordSyntaxError('a closing double quote is missing');
      if (char.ch === '$') {
        pieces.push(this.readDollar());
        continue;
      }
      this.position++;
      let literal = char;
      const escaped = this.peek();
      if (char.ch === this.escape && escaped !== undefined && (escaped.ch === '"' || escaped.ch === '$' || escaped.ch === this.escape)) {
        literal = escaped;
        this.position++;
      } else if (char.ch === this.escape && escaped === undefined) {
        continue;
      }
      pieces.push({ kind: 'literal', ch: literal.ch, offset: literal.offset });
    }
    this.position++;
  }

  private readDollar(): WordPiece {
    const dollar = this.next();
    const start = dollar?.offset ?? 0;
    const literalDollar: LiteralPiece = { kind: 'literal', ch: '$', offset: start };
    if (this.peek()?.ch !== '{') {
      const name = this.readName();
      return name === '' ? literalDollar : { kind: 'variable', name, start, end: this.endOffset() };
    }
    this.position++;
    const first = this.peek()?.ch;
    if (first === undefined) throw new WordSyntaxError('a "}" is missing');
    if (first === '{' || first === '}' || first === ':') throw new WordSyntaxError('bad substitution');
    const name = this.readName();
    const operator = this.next()?.ch;
    if (operator === undefined) throw new WordSyntaxError('a "}" is missing');
    if (operator === '}') return { kind: 'variable', name, start, end: this.endOffset() };
    let modifier = operator;
    if (operator === ':') modifier += this.next()?.ch ?? '';
    if (['-', '+', '?', ':-', ':+', ':?'].includes(modifier)) {
      const word = this.readUntil('}');
      this.position++;
      return { kind: 'variable', name, modifier, word, start, end: this.endOffset() };
    }
    if (modifier === '#' || modifier === '%') {
      if (this.peek()?.ch === modifier) modifier += this.next()?.ch ?? '';
      const word = this.readUntil('}');
      this.position++;
      return { kind: 'variable', name, modifier, word, start, end: this.endOffset() };
    }
    if (modifier === '/') {
      if (this.peek()?.ch === '/') modifier += this.next()?.ch ?? '';
      const word = this.readUntil('/}');
      let replacement: WordPiece[] = [];
      if (this.next()?.ch === '/') {
        replacement = this.readUntil('}');
        this.position++;
      }
      return { kind: 'variable', name, modifier, word, replacement, start, end: this.endOffset() };
    }
    throw new WordSyntaxError(`unsupported modifier (${modifier}) in substitution`);
  }

  /** processName: letters, digits and "_"; a run of digits; or one special parameter. */
  private readName(): string {
    const first = this.peek()?.ch;
    if (first === undefined) return '';
    if (/[0-9]/.test(first)) {
      let digits = '';
      while (/^[0-9]$/.test(this.peek()?.ch ?? '')) digits += this.next()?.ch ?? '';
      return digits;
    }
    if ('@*#?-$!'.includes(first)) {
      this.position++;
      return first;
    }
    let name = '';
    while (/^[\p{L}\p{N}_]$/u.test(this.peek()?.ch ?? '')) name += this.next()?.ch ?? '';
    return name;
  }

  private peek(): SourceChar | undefined {
    return this.chars[this.position];
  }

  private next(): SourceChar | undefined {
    return this.chars[this.position++];
  }

  /** The offset just after the last character read. */
  private endOffset(): number {
    const last = this.chars[Math.min(this.position, this.chars.length) - 1];
    return last === undefined ? 0 : last.offset + 1;
  }
}
