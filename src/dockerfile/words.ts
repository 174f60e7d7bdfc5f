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
  /** The word after the modifier: default, alternative, message or pattern (a pattern keeps its escapes). */
  word?: WordPiece[];
  /** The replacement of `${X/pattern/replacement}`, which keeps its escapes too. */
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

function literalOf(char: SourceChar): LiteralPiece {
  return { kind: 'literal', ch: char.ch, offset: char.offset };
}

class WordLexer {
  private position = 0;
  private raw = false;

  constructor(
    private readonly chars: readonly SourceChar[],
    private readonly escape: string,
  ) {}

  /**
   * processStopOn: up to (not past) `stop`, or to the end when `stop` is undefined. `raw`: escapes
   * stay in the text, as BuildKit keeps them for a pattern to read (and in a replacement).
   */
  readUntil(stop: string | undefined, raw = false): WordPiece[] {
    const outer = this.raw;
    this.raw = raw;
    try {
      return this.readPieces(stop);
    } finally {
      this.raw = outer;
    }
  }

  private readPieces(stop: string | undefined): WordPiece[] {
    const pieces: WordPiece[] = [];
    for (let char = this.peek(); char !== undefined; char = this.peek()) {
      if (char.ch === stop) return pieces;
      if (char.ch === "'") this.readSingleQuoted(pieces);
      else if (char.ch === '"') this.readDoubleQuoted(pieces);
      else if (char.ch === '$') pieces.push(this.readDollar());
      else {
        this.position++;
        if (char.ch === this.escape && this.raw) pieces.push(literalOf(char));
        const literal = char.ch === this.escape ? this.next() : char;
        if (literal === undefined) break;
        pieces.push(literalOf(literal));
      }
    }
    if (stop !== undefined) throw new WordSyntaxError(`a "${stop}" is missing`);
    return pieces;
  }

  private readSingleQuoted(pieces: WordPiece[]): void {
    this.position++;
    for (let char = this.next(); char?.ch !== "'"; char = this.next()) {
      if (char === undefined) throw new WordSyntaxError('a closing single quote is missing');
      pieces.push(literalOf(char));
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
      // Raw, the escape is written, then the escaped character or (before any other) the escape again.
      if (char.ch === this.escape && this.raw) pieces.push(literalOf(char));
      if (char.ch === this.escape && escaped !== undefined && (escaped.ch === '"' || escaped.ch === '$' || escaped.ch === this.escape)) {
        literal = escaped;
        this.position++;
      } else if (char.ch === this.escape && escaped === undefined) {
        continue;
      }
      pieces.push(literalOf(literal));
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
      const word = this.readUntil('}', true);
      this.position++;
      return { kind: 'variable', name, modifier, word, start, end: this.endOffset() };
    }
    if (modifier === '/') {
      if (this.peek()?.ch === '/') modifier += this.next()?.ch ?? '';
      // BuildKit needs both slashes: `${X/a}` runs on to a later "/", and `${X//a}` is `//` with pattern "a}...".
      const word = this.readUntil('/', true);
      this.position++;
      const replacement = this.readUntil('}', true);
      this.position++;
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
