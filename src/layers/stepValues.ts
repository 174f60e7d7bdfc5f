// Dockerfile values as the builders expand them, with the parts nobody can tell (an ARG a
// --build-arg may have set, an ENV of the base image) kept as "anything" for matching.
// Pure text logic; no `vscode` import.

import * as path from 'node:path';
import { lexWord, type VariablePiece, type WordPiece } from '../dockerfile/words';

/** A literal piece of text, or a value nobody can tell (matches any text). */
export type Segment = string | null;
export type Value = Segment[];
export type Env = Map<string, Value>;
/** Where variables are looked up. */
export interface Lookup {
  get(name: string): Value | undefined;
}

/**
 * One word as BuildKit's shell lexer reads it (words.ts): quotes removed, escapes applied,
 * variables expanded; a variable nobody can tell, or a pattern substitution, matches anything.
 */
export function processWord(word: string, env: Lookup, escape = '\\'): Value {
  const lexed = lexWord([...word].map((ch, offset) => ({ ch, offset })), escape);
  return lexed.pieces ? evaluatePieces(lexed.pieces, env) : [word];
}

function evaluatePieces(pieces: readonly WordPiece[], env: Lookup): Value {
  const out: Value = [];
  let literal = '';
  for (const piece of pieces) {
    if (piece.kind === 'literal') {
      literal += piece.ch;
      continue;
    }
    if (literal) out.push(literal);
    literal = '';
    out.push(...expandVariable(piece, env));
  }
  if (literal) out.push(literal);
  return out;
}

function expandVariable(piece: VariablePiece, env: Lookup): Value {
  const value = env.get(piece.name);
  const known = value !== undefined && value.every((segment) => segment !== null);
  const text = known ? value.join('') : undefined;
  const word = (): Value => evaluatePieces(piece.word ?? [], env);
  switch (piece.modifier) {
    case undefined:
      return value ?? [null];
    case ':-':
    case '-':
      if (!known) return [null];
      return text !== '' || piece.modifier === '-' ? [text!] : word();
    case ':+':
    case '+':
      if (!known) return [null];
      return text !== '' || piece.modifier === '+' ? word() : [];
    default:
      return [null];
  }
}

export function joinValues(values: ReadonlyArray<Value>, separator: string): Value {
  return values.flatMap((value, index) => (index ? [separator, ...value] : value));
}

export function joinKnown(value: Value): string | undefined {
  return value.every((segment) => segment !== null) ? value.join('') : undefined;
}

export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function normalizePath(text: string): string {
  const normalized = path.posix.normalize(text.trim());
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

export function normalizePathValue(value: Value): Value {
  if (value.every((segment) => segment !== null)) return [normalizePath(value.join(''))];
  return value.map((segment) => (segment === null ? null : segment.replace(/\/{2,}/g, '/')));
}

/**
 * A test for "this normalized text (white-space runs as one space) is what `value` expands to",
 * unknown parts matching anything. Built once per step, run once per entry.
 */
export function valueMatcher(value: Value): (normalizedText: string) => boolean {
  if (value.every((segment) => segment !== null)) {
    const expected = normalize(value.join(''));
    return (text) => text === expected;
  }
  const pattern = new RegExp(`^${value.map((segment) => (segment === null ? '[\\s\\S]*?' : escapeRegExp(segment.replace(/\s+/g, ' ')))).join('').trim()}$`);
  return (text) => pattern.test(text);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
