// ARG and ENV expansion as BuildKit does it for FROM and COPY --from, under the defaults: a
// --build-arg may override any ARG, and we cannot know it. Every expanded character keeps the
// document offset it was written at, and every lookup is recorded, so a pin can be placed (and
// refused) by where the text comes from rather than by what it looks like.

import { type TextSpan } from './types';
import { globMatchEnds, parseGlob, reverseGlob } from './globs';
import { type VariablePiece, type WordPiece } from './words';

/** BuildKit sets these from the build's platforms; a Dockerfile cannot know their values. */
export const AUTOMATIC_PLATFORM_ARGS: ReadonlySet<string> = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);

/** One ARG or ENV declaration. */
export interface Binding {
  name: string;
  instruction: 'ARG' | 'ENV';
  /** Declared before the first FROM. */
  global: boolean;
  /** 0-based line of the declared name. */
  line: number;
  /** undefined: declared without a value (and, for a stage ARG, no global one to take). */
  value?: Expansion;
  /** A stage's `ARG X` without a value takes the global X: that global declaration. */
  inherits?: Binding;
}

/** Where the last character of an expansion is written: the digest goes right after it. */
export interface Tail {
  /** The declaration whose value holds it; undefined: the expanded text itself. */
  binding?: Binding;
  /** From the start of the word holding that character up to and including it. */
  span: TextSpan;
}

export interface Expansion {
  text: string;
  /** Document offset of each UTF-16 code unit of `text`. */
  origins: number[];
  /** Variables whose value cannot be known; `text` means nothing while this is not empty. */
  unresolved: string[];
  /** Every declaration looked up, directly or through other values, once per lookup. */
  reads: Binding[];
  tail?: Tail;
  /** Without a tail: the source text of the part that leaves the end open, such as `${SUFFIX:+-dev}`. */
  openEnd?: string;
  /** The text cannot be expanded at all (BuildKit would stop), such as a missing "}". */
  error?: string;
}

export class Scope {
  private readonly bindings: Map<string, Binding>;

  /** `undeclared`: what a name nobody declared is worth; in a stage, the base image's ENV may hold it. */
  constructor(
    readonly undeclared: 'unset' | 'unknown',
    from?: Scope,
  ) {
    this.bindings = new Map(from?.bindings);
  }

  get(name: string): Binding | undefined {
    return this.bindings.get(name);
  }

  declare(binding: Binding): void {
    const previous = this.bindings.get(binding.name);
    // An ENV wins over an ARG of the same name, whichever comes later.
    if (binding.instruction === 'ARG' && previous?.instruction === 'ENV') return;
    this.bindings.set(binding.name, binding);
  }
}

const EMPTY: Expansion = { text: '', origins: [], unresolved: [], reads: [] };

/** Expands one lexed word; `owner` is the declaration whose value the word is, if any. */
export function expandWord(document: string, pieces: readonly WordPiece[], scope: Scope, owner?: Binding): Expansion {
  const first = pieces[0];
  const wordStart = first === undefined ? 0 : first.kind === 'literal' ? first.offset : first.start;
  const result: Expansion = { ...EMPTY, origins: [], unresolved: [], reads: [] };
  for (const piece of pieces) {
    if (piece.kind === 'literal') {
      append(result, { ...EMPTY, text: piece.ch, origins: [piece.offset] });
      result.tail = { binding: owner, span: { start: wordStart, end: piece.offset + 1 } };
      result.openEnd = undefined;
      continue;
    }
    const part = expandVariable(document, piece, scope, owner);
    append(result, part);
    result.tail = part.tail;
    result.openEnd = part.tail ? undefined : (part.openEnd ?? document.slice(piece.start, piece.end));
    // `ARG A=$A$A`, repeated, doubles at every step: stop long before memory runs out.
    if (result.text.length > MAX_EXPANDED_LENGTH || result.reads.length > MAX_READS) {
      return { ...EMPTY, error: `its value grows beyond ${MAX_EXPANDED_LENGTH} characters or ${MAX_READS} variable uses` };
    }
  }
  return result;
}

const MAX_EXPANDED_LENGTH = 8192;
const MAX_READS = 4096;

function append(into: Expansion, part: Expansion): void {
  into.text += part.text;
  into.origins.push(...part.origins);
  for (const name of part.unresolved) if (!into.unresolved.includes(name)) into.unresolved.push(name);
  into.reads.push(...part.reads);
  into.error ??= part.error;
}

function expandVariable(document: string, piece: VariablePiece, scope: Scope, owner: Binding | undefined): Expansion {
  const automatic = AUTOMATIC_PLATFORM_ARGS.has(piece.name);
  const binding = automatic ? undefined : scope.get(piece.name);
  const value = binding?.value;
  const word = expandWord(document, piece.word ?? [], scope, owner);
  const replacement = expandWord(document, piece.replacement ?? [], scope, owner);
  // A word the defaults leave out still counts as a use: a --build-arg may bring it in.
  const reads = [...(binding ? [binding, ...(value?.reads ?? [])] : []), ...word.reads, ...replacement.reads];
  const unresolved: Expansion = { ...EMPTY, unresolved: [piece.name], reads };
  if (automatic || (binding === undefined && scope.undeclared === 'unknown')) return unresolved;
  if (value && (value.unresolved.length > 0 || value.error !== undefined)) return { ...EMPTY, unresolved: value.unresolved, error: value.error, reads };
  const withReads = (expansion: Expansion): Expansion => ({ ...expansion, reads });
  const nonEmpty = value !== undefined && value.text !== '';
  switch (piece.modifier) {
    case undefined:
      return value ? withReads(value) : unresolved;
    case ':-':
      return nonEmpty ? withReads(value) : withReads(word);
    case '-':
      return value ? withReads(value) : withReads(word);
    case ':+':
      return nonEmpty ? withReads(word) : withReads(EMPTY);
    case '+':
      return value ? withReads(word) : withReads(EMPTY);
    case ':?':
      return nonEmpty ? withReads(value) : unresolved;
    case '?':
      return value ? withReads(value) : unresolved;
    default:
      return value ? removeOrReplace(document, piece, value, word, replacement, reads) : unresolved;
  }
}

/** `${X#glob}`, `${X##glob}`, `${X%glob}`, `${X%%glob}`, `${X/glob/text}`, `${X//glob/text}`. */
function removeOrReplace(document: string, piece: VariablePiece, value: Expansion, pattern: Expansion, replacement: Expansion, reads: Binding[]): Expansion {
  const failed = [pattern, replacement].find((part) => part.unresolved.length > 0 || part.error !== undefined);
  if (failed) return { ...EMPTY, unresolved: failed.unresolved, error: failed.error, reads };
  const result: Expansion = { ...EMPTY, origins: [], unresolved: [], reads, openEnd: document.slice(piece.start, piece.end) };
  const keep = (start: number, end: number): void => {
    result.text += value.text.slice(start, end);
    result.origins.push(...value.origins.slice(start, end));
  };
  const length = value.text.length;
  if (length > MAX_PATTERN_SUBJECT) return { ...EMPTY, error: `${piece.name} is too long (${length} characters) for a pattern substitution`, reads };
  const modifier = piece.modifier ?? '';
  const glob = parseGlob(pattern.text);
  if (modifier.startsWith('/')) {
    let done = 0;
    for (let start = 0; start < length; start++) {
      const end = globMatchEnds(glob, value.text, start).at(-1);
      if (end === undefined || end === start) continue;
      keep(done, start);
      result.text += replacement.text;
      result.origins.push(...replacement.origins);
      done = end;
      start = end - 1;
      if (modifier !== '//') break;
    }
    keep(done, length);
    return result;
  }
  if (modifier.startsWith('#')) {
    const prefixEnds = globMatchEnds(glob, value.text, 0);
    keep((modifier === '#' ? prefixEnds[0] : prefixEnds.at(-1)) ?? 0, length);
  } else {
    const reversed = value.text.split('').reverse().join('');
    const suffixLengths = globMatchEnds(reverseGlob(glob), reversed, 0);
    keep(0, length - ((modifier === '%' ? suffixLengths[0] : suffixLengths.at(-1)) ?? 0));
  }
  return result;
}

/** Pattern substitutions walk the value once per start position: keep that walk short. */
const MAX_PATTERN_SUBJECT = 1024;
