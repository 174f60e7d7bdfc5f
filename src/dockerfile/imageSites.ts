// Dockerfiles -> the images they name (pinning/pinnable.ts adds the pins): every FROM and every
// COPY --from=<image>, with the exact place of the image text, its ARG expansion, the --platform value and the stage.
// Pure text logic over dockerfile-ast; no `vscode` import. The pieces: this file walks the
// instructions, words.ts, variables.ts, substitute.ts and globs.ts expand the text as BuildKit
// does while remembering where each character was written, pinning/ decides where a digest may go.
//
// Choices where BuildKit does not decide (its frontend/dockerfile2llb decides the rest):
// - COPY --from names a stage when it matches any stage of the file, later ones too, or is a
//   number: BuildKit resolves those before it treats the rest as images. A FROM matches only
//   earlier stages (by name, case-insensitively, or by index), as BuildKit does.
// - COPY --from is never expanded: BuildKit refuses any value its lexer would change
//   ("variable expansion is not supported for --from"), so that site is 'invalid' and says so.
// - Under the defaults an ARG without a value is unset: `$X` is unresolved (a --build-arg is
//   expected), `${X:-d}` is d, `${X:+alt}` is empty. The automatic platform ARGs are always
//   unresolved.
// - `${X:-default}` with X unset takes the pin inside the default; `${X:+alt}` with X set
//   inside the alternative. Either way the pin only applies when that branch is taken.
// - A pin never goes into a global ARG that any other FROM, --platform or stage redeclaration
//   uses differently (a stage's `ARG X` makes RUN see the digest).
// - `FROM` without an image is an 'invalid' entry (an empty span after the instruction), so the
//   lens can say so; `RUN --mount=from=...` and ONBUILD instructions are not images of this build.
//
// Walks a Dockerfile's instructions in order, as BuildKit evaluates them: the ARGs before the
// first FROM are the global scope of every FROM. COPY --from is never expanded: BuildKit refuses
// a value that expansion would change. Produces every image site with its expansion;
// pinTarget.ts decides the pins.

import { Arg, Copy, DockerfileParser, type Flag, From, type Instruction } from 'dockerfile-ast';
import { parseReference, ImageReferenceError } from '../image/reference';
import { type DockerfileImage, type TextSpan } from './types';
import { LineIndex, type LinePosition, quoteText } from './sourceText';
import { type Binding, type Expansion, expandWord, Scope } from './variables';
import { joinContinuations, lexWord, type SourceChar, splitWords, type WordPiece } from './words';


export interface ImageSite {
  image: DockerfileImage;
  /** undefined for a FROM without an image and a COPY --from BuildKit refuses. */
  expansion?: Expansion;
  platform?: Expansion;
}

export interface WalkedDockerfile {
  sites: ImageSite[];
  /** Stage ARGs without a value that take a global ARG's default (`ARG BASE` after FROM). */
  inheritingArgs: Binding[];
}

export function walkDockerfile(text: string): WalkedDockerfile {
  return new DockerfileWalker(text).walk();
}

class DockerfileWalker {
  private readonly lines: LineIndex;
  private readonly instructions: Instruction[];
  private readonly escape: string;
  private readonly globalScope = new Scope();
  private stageCount = 0;
  /** Lowercased `AS` names of all stages, by index. */
  private readonly stageNames: (string | undefined)[];
  private readonly sites: ImageSite[] = [];
  private readonly inheritingArgs: Binding[] = [];

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
    const dockerfile = DockerfileParser.parse(text);
    this.escape = dockerfile.getEscapeCharacter();
    this.instructions = dockerfile.getInstructions();
    this.stageNames = this.instructions.filter((instruction) => instruction instanceof From).map((from) => from.getBuildStage()?.toLowerCase());
  }

  walk(): WalkedDockerfile {
    for (const instruction of this.instructions) {
      const inStage = this.stageCount > 0;
      if (instruction instanceof From) this.readFrom(instruction);
      else if (instruction instanceof Arg) this.declare(instruction, inStage);
      else if (instruction instanceof Copy && inStage) this.readCopyFrom(instruction);
    }
    return { sites: this.sites, inheritingArgs: this.inheritingArgs };
  }

  private readFrom(from: From): void {
    const stageIndex = this.stageCount++;
    const line = from.getInstructionRange().start.line;
    const range = from.getImageRange();
    const platformFlag = flagNamed(from, 'platform');
    const platform = platformFlag ? this.expandFlag(platformFlag, this.globalScope) : undefined;
    const stageName = from.getBuildStage() ?? undefined;
    const base: Pick<DockerfileImage, 'site' | 'stageIndex' | 'stageName' | 'line' | 'platform'> = { site: 'from', stageIndex, line };
    if (stageName !== undefined) base.stageName = stageName;
    if (platform) base.platform = describePlatform(platform.text, platform.expansion);
    if (!range) {
      const end = this.lines.offsetAt(from.getRange().end);
      const referenceError = 'FROM names no image; write one, as in FROM alpine:3.20.';
      this.sites.push({ image: { ...base, kind: 'invalid', text: '', span: { start: end, end }, unresolved: [], referenceError }, platform: platform?.expansion });
      return;
    }
    const span = this.spanOf(range);
    const expansion = this.expand(span, this.globalScope);
    const baseStage = expansion.unresolved.length === 0 && expansion.error === undefined ? this.earlierStage(expansion.text, stageIndex) : undefined;
    const image = this.describe(base, span, expansion, baseStage !== undefined ? 'stage' : undefined);
    this.sites.push({ image, expansion, platform: platform?.expansion });
  }

  /**
   * BuildKit's toCommand lexes the flag's value (quotes and `\` escapes already taken by the
   * instruction parser) with no variables at all, and refuses the value when that changes it.
   */
  private readCopyFrom(copy: Copy): void {
    const flag = flagNamed(copy, 'from');
    const range = flag?.getValueRange();
    if (!flag || !range || flag.getValue() === '') return;
    const span = this.spanOf(range);
    const value = builderFlagValue(joinContinuations(this.text, span.start, span.end, this.escape));
    const lexed = lexWord(value, this.escape);
    const base = { site: 'copy-from' as const, stageIndex: this.stageCount - 1, line: copy.getInstructionRange().start.line };
    if (lexed.error !== undefined) {
      this.sites.push({ image: this.describe(base, span, failedExpansion(lexed.error), undefined) });
      return;
    }
    const text = this.text.slice(span.start, span.end);
    if (changedByLexing(lexed.pieces, value)) {
      this.sites.push({ image: { ...base, kind: 'invalid', text, span, unresolved: [], referenceError: refusedCopyFrom(text, lexed.pieces) } });
      return;
    }
    const expansion = expandWord(this.text, lexed.pieces, new Scope());
    const lower = expansion.text.toLowerCase();
    // BuildKit looks COPY --from up among all stages, later ones too, and takes numbers as indexes.
    const namesStage = /^[+-]?[0-9]+$/.test(lower) || this.stageNames.includes(lower);
    this.sites.push({ image: this.describe(base, span, expansion, namesStage ? 'stage' : undefined), expansion });
  }

  /** An earlier stage named by `name` (case-insensitive) or by its index. */
  private earlierStage(name: string, before: number): number | undefined {
    const lower = name.toLowerCase();
    const byName = this.stageNames.slice(0, before).lastIndexOf(lower);
    if (byName >= 0) return byName;
    return /^[0-9]+$/.test(name) && Number(name) < before ? Number(name) : undefined;
  }

  private describe(base: Pick<DockerfileImage, 'site' | 'stageIndex' | 'line'>, span: TextSpan, expansion: Expansion, stage: 'stage' | undefined): DockerfileImage {
    const text = this.text.slice(span.start, span.end);
    const common = { ...base, text, span, unresolved: expansion.unresolved };
    if (expansion.error !== undefined) {
      const where = expansion.errorAt === undefined ? '' : ` on line ${this.lines.lineAt(expansion.errorAt) + 1}`;
      return { ...common, kind: 'invalid', referenceError: `The image text ${quoteText(text)} cannot be expanded${where}: ${expansion.error}.` };
    }
    if (expansion.unresolved.length > 0) return { ...common, kind: 'unresolved' };
    const expanded = expansion.text;
    if (stage) return { ...common, kind: 'stage', expanded };
    if (expanded.toLowerCase() === 'scratch') return { ...common, kind: 'scratch', expanded };
    try {
      return { ...common, kind: 'image', expanded, reference: parseReference(expanded) };
    } catch (error) {
      if (!(error instanceof ImageReferenceError)) throw error;
      return { ...common, kind: 'invalid', expanded, referenceError: error.message };
    }
  }

  /** Global ARGs make the scope of every FROM; a stage's ARG matters only when it takes a global one (RUN then sees it). */
  private declare(instruction: Instruction, inStage: boolean): void {
    const range = instruction.getArgumentsRange();
    if (!range) return;
    const span = this.spanOf(range);
    const chars = joinContinuations(this.text, span.start, span.end, this.escape);
    for (const { name, nameOffset, value } of declarations(chars, this.escape)) {
      // The line of the name, which a continued `ARG A=1 \ B=2` puts below the keyword.
      const binding: Binding = { name, line: this.lines.lineAt(nameOffset) };
      if (inStage) {
        const inherited = value ? undefined : this.globalScope.get(name);
        if (inherited) this.inheritingArgs.push({ ...binding, inherits: inherited });
        continue;
      }
      if (value) {
        const lexed = lexWord(value, this.escape);
        binding.value = lexed.error !== undefined ? failedExpansion(lexed.error) : expandWord(this.text, lexed.pieces, this.globalScope, binding);
      }
      this.globalScope.declare(binding);
    }
  }

  private expandFlag(flag: Flag, scope: Scope): { text: string; expansion: Expansion } | undefined {
    const range = flag.getValueRange();
    if (!range) return undefined;
    const span = this.spanOf(range);
    return { text: this.text.slice(span.start, span.end), expansion: this.expand(span, scope) };
  }

  private expand(span: TextSpan, scope: Scope): Expansion {
    const lexed = lexWord(joinContinuations(this.text, span.start, span.end, this.escape), this.escape);
    return lexed.error !== undefined ? failedExpansion(lexed.error) : expandWord(this.text, lexed.pieces, scope);
  }

  private spanOf(range: { start: LinePosition; end: LinePosition }): TextSpan {
    const start = this.lines.offsetAt(range.start);
    return { start, end: Math.max(start, this.lines.offsetAt(range.end)) };
  }
}

/** dockerfile-ast's getFromFlag and getPlatformFlag find a flag only when it is the only one. */
function flagNamed(instruction: From | Copy, name: string): Flag | undefined {
  return instruction.getFlags().find((flag) => flag.getName() === name);
}

function failedExpansion(error: string): Expansion {
  return { text: '', origins: [], unresolved: [], reads: [], error };
}

/** The instruction parser's extractBuilderFlags: quotes dropped, `\x` is x (always a backslash, whatever the escape directive). */
function builderFlagValue(chars: readonly SourceChar[]): SourceChar[] {
  const value: SourceChar[] = [];
  let quote: string | undefined;
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k]?.ch;
    if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = undefined;
    else if (ch === '\\') {
      const escaped = chars[++k];
      if (escaped) value.push(escaped);
    } else {
      const char = chars[k];
      if (char) value.push(char);
    }
  }
  return value;
}

/** Lexing only ever drops characters (quotes, escapes, `$NAME`), so one piece per character means nothing changed. */
function changedByLexing(pieces: readonly WordPiece[], chars: readonly SourceChar[]): boolean {
  return pieces.length !== chars.length || pieces.some((piece) => piece.kind === 'variable');
}

function refusedCopyFrom(text: string, pieces: readonly WordPiece[]): string {
  const variable = pieces.find((piece) => piece.kind === 'variable');
  const what = variable ? `uses \${${variable.name}}` : 'has quotes or escapes left to expand';
  const next = variable ? `name the image in a stage (FROM ${text} AS ${variable.name.toLowerCase()}, its ARGs before the first FROM) and copy --from that stage` : 'write the image name plainly';
  return `${quoteText(`COPY --from=${text}`)} ${what}, and BuildKit refuses to build it ("variable expansion is not supported for --from"); ${next}.`;
}

/** `NAME=value` words of an ARG. */
function declarations(chars: SourceChar[], escape: string): { name: string; nameOffset: number; value?: SourceChar[] }[] {
  const words = splitWords(chars, escape);
  const joined = (word: SourceChar[]): string => word.map((char) => char.ch).join('');
  return words.flatMap((word) => {
    const equals = word.findIndex((char) => char.ch === '=');
    const name = joined(equals < 0 ? word : word.slice(0, equals));
    const nameOffset = word[0]?.offset ?? 0;
    if (name === '') return [];
    return equals < 0 ? [{ name, nameOffset }] : [{ name, nameOffset, value: word.slice(equals + 1) }];
  });
}

function describePlatform(text: string, expansion: Expansion): NonNullable<DockerfileImage['platform']> {
  const resolved = expansion.unresolved.length === 0 && expansion.error === undefined;
  return resolved ? { text, expanded: expansion.text, unresolved: [] } : { text, unresolved: expansion.unresolved };
}
