// Walks a Dockerfile's instructions in order, as BuildKit evaluates them: the ARGs before the
// first FROM are the global scope of every FROM; each stage then has its own ARGs and ENVs for
// its COPY --from. Produces every image site with its expansion; pinTarget.ts decides the pins.

import { Arg, Copy, DockerfileParser, Env, type Flag, From, type Instruction } from 'dockerfile-ast';
import { parseReference, ImageReferenceError } from '../image/reference';
import { type DockerfileImage, type TextSpan } from './types';
import { LineIndex, type LinePosition, quoteText } from './sourceText';
import { type Binding, type Expansion, expandWord, Scope } from './variables';
import { joinContinuations, lexWord, type SourceChar, splitWords } from './words';


export interface ImageSite {
  image: DockerfileImage;
  /** undefined for a FROM without an image. */
  expansion?: Expansion;
  platform?: Expansion;
}

export interface WalkedDockerfile {
  sites: ImageSite[];
  /** Stage ARGs without a value that take a global ARG's default (`ARG BASE` after FROM). */
  inheritingArgs: Binding[];
}

interface Stage {
  scope: Scope;
}

export function walkDockerfile(text: string): WalkedDockerfile {
  return new DockerfileWalker(text).walk();
}

class DockerfileWalker {
  private readonly lines: LineIndex;
  private readonly instructions: Instruction[];
  private readonly escape: string;
  private readonly globalScope = new Scope('unset');
  private readonly stages: Stage[] = [];
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
      const stage = this.stages.at(-1);
      if (instruction instanceof From) this.readFrom(instruction);
      else if (instruction instanceof Arg) this.declare(instruction, 'ARG', stage);
      else if (instruction instanceof Env && stage) this.declare(instruction, 'ENV', stage);
      else if (instruction instanceof Copy && stage) this.readCopyFrom(instruction, stage);
    }
    return { sites: this.sites, inheritingArgs: this.inheritingArgs };
  }

  private readFrom(from: From): void {
    const stageIndex = this.stages.length;
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
      this.stages.push({ scope: new Scope('unknown') });
      return;
    }
    const span = this.spanOf(range);
    const expansion = this.expand(span, this.globalScope);
    const baseStage = expansion.unresolved.length === 0 && expansion.error === undefined ? this.earlierStage(expansion.text, stageIndex) : undefined;
    const image = this.describe(base, span, expansion, baseStage !== undefined ? 'stage' : undefined);
    this.sites.push({ image, expansion, platform: platform?.expansion });
    // A stage built on an earlier stage starts with that stage's ARGs and ENVs.
    this.stages.push({ scope: new Scope('unknown', baseStage === undefined ? undefined : this.stages[baseStage]?.scope) });
  }

  private readCopyFrom(copy: Copy, stage: Stage): void {
    const flag = flagNamed(copy, 'from');
    const range = flag?.getValueRange();
    if (!flag || !range || flag.getValue() === '') return;
    const span = this.spanOf(range);
    const expansion = this.expand(span, stage.scope);
    const value = expansion.text.toLowerCase();
    // BuildKit looks COPY --from up among all stages, later ones too, and takes numbers as indexes.
    const namesStage = /^[+-]?[0-9]+$/.test(value) || this.stageNames.includes(value);
    const resolved = expansion.unresolved.length === 0 && expansion.error === undefined;
    const base = { site: 'copy-from' as const, stageIndex: this.stages.length - 1, line: copy.getInstructionRange().start.line };
    this.sites.push({ image: this.describe(base, span, expansion, resolved && namesStage ? 'stage' : undefined), expansion });
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
      return { ...common, kind: 'invalid', referenceError: `The image text ${quoteText(text)} cannot be expanded: ${expansion.error}.` };
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

  private declare(instruction: Instruction, keyword: 'ARG' | 'ENV', stage: Stage | undefined): void {
    const range = instruction.getArgumentsRange();
    if (!range) return;
    const span = this.spanOf(range);
    const chars = joinContinuations(this.text, span.start, span.end, this.escape);
    const scope = stage?.scope ?? this.globalScope;
    for (const { name, nameOffset, value } of declarations(chars, this.escape, keyword)) {
      // The line of the name, which a continued `ARG A=1 \ B=2` puts below the keyword.
      const binding: Binding = { name, instruction: keyword, global: stage === undefined, line: this.lines.lineAt(nameOffset) };
      const inherited = keyword === 'ARG' && stage && !value ? this.globalScope.get(name) : undefined;
      if (inherited) {
        binding.inherits = inherited;
        if (inherited.value) binding.value = { ...inherited.value, reads: [inherited, ...inherited.value.reads] };
        this.inheritingArgs.push(binding);
      } else if (value) {
        const lexed = lexWord(value, this.escape);
        binding.value = lexed.error !== undefined
          ? { text: '', origins: [], unresolved: [], reads: [], error: lexed.error }
          : expandWord(this.text, lexed.pieces, scope, binding);
      }
      scope.declare(binding);
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
    if (lexed.error !== undefined) return { text: '', origins: [], unresolved: [], reads: [], error: lexed.error };
    return expandWord(this.text, lexed.pieces, scope);
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

/** `NAME=value` words (ARG, ENV) or ENV's legacy `NAME value with spaces`. */
function declarations(chars: SourceChar[], escape: string, keyword: 'ARG' | 'ENV'): { name: string; nameOffset: number; value?: SourceChar[] }[] {
  const words = splitWords(chars, escape);
  const first = words[0];
  if (!first) return [];
  const joined = (word: SourceChar[]): string => word.map((char) => char.ch).join('');
  if (keyword === 'ENV' && !first.some((char) => char.ch === '=')) {
    const lastOfName = first.at(-1);
    const value = lastOfName ? chars.slice(chars.indexOf(lastOfName) + 1) : [];
    while (value[0] && /\s/.test(value[0].ch)) value.shift();
    return value.length > 0 ? [{ name: joined(first), nameOffset: first[0]?.offset ?? 0, value }] : [];
  }
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
