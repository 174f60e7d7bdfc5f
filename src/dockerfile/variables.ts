// ARG expansion as BuildKit does it for FROM and its --platform, under the defaults: a
// --build-arg may override any ARG, and we cannot know it. Every expanded character keeps the
// document offset it was written at, and every lookup is recorded, so a pin can be placed (and
// refused) by where the text comes from rather than by what it looks like.

import { type TextSpan } from './types';
import { substitute } from './substitute';
import { type VariablePiece, type WordPiece } from './words';

/** BuildKit sets these from the build's platforms; a Dockerfile cannot know their values. */
export const AUTOMATIC_PLATFORM_ARGS: ReadonlySet<string> = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);

/** One ARG declaration. */
export interface Binding {
  name: string;
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
  /** Document offset of the `${` whose pattern caused `error`, when one did. */
  errorAt?: number;
}

/** The ARGs before the first FROM; a name nobody declared is unset, as an ARG without a default is. */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  get(name: string): Binding | undefined {
    return this.bindings.get(name);
  }

  declare(binding: Binding): void {
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
  if (into.error === undefined && part.error !== undefined) {
    into.error = part.error;
    into.errorAt = part.errorAt;
  }
}

function expandVariable(document: string, piece: VariablePiece, scope: Scope, owner: Binding | undefined): Expansion {
  const automatic = AUTOMATIC_PLATFORM_ARGS.has(piece.name);
  const binding = automatic ? undefined : scope.get(piece.name);
  const value = binding?.value;
  const word = expandWord(document, piece.word ?? [], scope, owner);
  const replacement = expandWord(document, piece.replacement ?? [], scope, owner);
  // A word the defaults leave out still counts as a use: a --build-arg may bring it in.
  const reads = [...(binding ? [binding, ...(value?.reads ?? [])] : []), ...word.reads, ...replacement.reads];
  // BuildKit reads the word whichever way the value goes, so its errors stop the build either way.
  const failed = [word, replacement].find((part) => part.error !== undefined);
  if (failed) return { ...EMPTY, error: failed.error, errorAt: failed.errorAt, reads };
  if (PATTERN_OPERATORS.has(piece.modifier ?? '')) return substitution(document, piece, automatic ? undefined : value, word, replacement, reads);
  const unresolved: Expansion = { ...EMPTY, unresolved: [piece.name], reads };
  if (automatic) return unresolved;
  if (value && (value.unresolved.length > 0 || value.error !== undefined)) return { ...EMPTY, unresolved: value.unresolved, error: value.error, errorAt: value.errorAt, reads };
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
    default:
      // `?`: unset stops BuildKit, but a --build-arg may set it.
      return value ? withReads(value) : unresolved;
  }
}

const PATTERN_OPERATORS: ReadonlySet<string> = new Set(['#', '##', '%', '%%', '/', '//']);

/** A pattern BuildKit rejects fails the build whatever the value is, so it is checked before the value is asked for. */
function substitution(document: string, piece: VariablePiece, value: Expansion | undefined, pattern: Expansion, replacement: Expansion, reads: Binding[]): Expansion {
  const unknownPattern = [pattern, replacement].find((part) => part.unresolved.length > 0);
  if (unknownPattern) return { ...EMPTY, unresolved: unknownPattern.unresolved, reads };
  const written = document.slice(piece.start, piece.end);
  const modifier = piece.modifier ?? '';
  // The lexer reads `##` and `%%` as one operator; BuildKit strips the second character from the pattern.
  const operator = modifier.startsWith('/') ? modifier : modifier.charAt(0);
  const patternText = modifier.length === 2 && operator !== '//' ? operator + pattern.text : pattern.text;
  const checked = substitute(operator, { text: '', origins: [] }, patternText, replacement);
  if ('error' in checked) {
    const reason = `BuildKit rejects the pattern "${pattern.text}" in ${written} (${checked.error}); in a pattern, escape only *, ?, \\, } and /`;
    return { ...EMPTY, error: reason, errorAt: piece.start, reads };
  }
  if (value === undefined || value.unresolved.length > 0 || value.error !== undefined) {
    return { ...EMPTY, unresolved: value?.unresolved.length ? value.unresolved : [piece.name], error: value?.error, errorAt: value?.errorAt, reads };
  }
  const length = value.text.length;
  if (length > MAX_PATTERN_SUBJECT) return { ...EMPTY, error: `${piece.name} is too long (${length} characters) for a pattern substitution`, reads };
  const result = substitute(operator, value, patternText, replacement);
  if ('error' in result) return { ...EMPTY, error: result.error, errorAt: piece.start, reads };
  return { ...EMPTY, ...result, unresolved: [], reads, openEnd: written };
}

/** Pattern substitutions walk the value once per start position: keep that walk short. */
const MAX_PATTERN_SUBJECT = 1024;
