// A Dockerfile -> the history entries its target stage should have left, one step per
// instruction (FROM excepted), each able to say whether a cleaned history entry is its own.
// Variables are expanded as the builders do (ENV, LABEL, COPY, WORKDIR, ...); a value the file
// and the history cannot tell (an ARG no RUN shows, an ENV of the base image) matches anything.
// Pure text logic over dockerfile-ast; no `vscode` import.

import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { LineIndex } from '../dockerfile/sourceText';
import { joinContinuations, splitWords, type SourceChar } from '../dockerfile/words';
import { parseExposedPorts, parseHealthcheckTest, type HistoryInstruction } from './historyText';
import { commandMatcher, healthcheckTest, jsonStrings, normalizedBody, runMatcher, sameTokens } from './stepMatchers';
import { escapeRegExp, joinKnown, joinValues, normalize, normalizePath, normalizePathValue, processWord, valueMatcher, type Env, type Lookup, type Value } from './stepValues';

export interface DockerfileStep {
  keyword: string;
  /** 0-based lines of the whole instruction (continuations and heredoc bodies included). */
  startLine: number;
  endLine: number;
  stageIndex: number;
  /** BuildKit writes no history for it (ONBUILD): its absence says nothing. */
  optional: boolean;
  matches(instruction: HistoryInstruction): boolean;
}

export interface DockerfileStage {
  index: number;
  /** `AS name`, lower-cased as the builders compare them. */
  name?: string;
  fromLine: number;
  /** The FROM image text as written. */
  image: string;
  instructions: Instruction[];
}

export interface ParsedStages {
  text: string;
  lines: LineIndex;
  dockerfile: Dockerfile;
  escape: string;
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: DockerfileStage[];
}

export interface DockerfileTarget {
  stageIndex: number;
  /** Steps of the target stage, preceded by those of the stages it is built FROM. */
  steps: DockerfileStep[];
  /** The image the chain starts FROM, expanded; undefined for `scratch` or a value nobody can tell. */
  baseReference?: string;
  /** 0-based line of that FROM. */
  baseFromLine: number;
}

export function parseDockerfileStages(text: string): ParsedStages {
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const globalArgs: Instruction[] = [];
  const stages: DockerfileStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((arg) => arg.getValue());
      const asIndex = args.findIndex((arg) => arg.toLowerCase() === 'as');
      stages.push({
        index: stages.length,
        name: asIndex >= 0 ? args[asIndex + 1]?.toLowerCase() : undefined,
        fromLine: instruction.getRange().start.line,
        image: args[0] ?? '',
        instructions: [],
      });
    } else if (stages.length) {
      stages[stages.length - 1]!.instructions.push(instruction);
    } else if (keyword === 'ARG') {
      globalArgs.push(instruction);
    }
  }
  return { text, lines: new LineIndex(text), dockerfile, escape, globalArgs, stages };
}

export interface TargetOptions {
  /** Stage index or `AS` name; default the last stage. */
  stage?: number | string;
  /** Build argument values the history shows (RUN's `|N A=1` prefix). */
  buildArgs?: ReadonlyMap<string, string>;
}

export interface StageChain {
  target: DockerfileStage;
  /** The target and the stages it is built FROM, oldest first. */
  chain: DockerfileStage[];
  /** The image the chain starts FROM, expanded; undefined for `scratch` or a value nobody can tell. */
  baseReference?: string;
  baseFromLine: number;
}

/** Which stage is built, and which stages it stands on; no steps. */
export function resolveStageChain(parsed: ParsedStages, options: TargetOptions = {}): StageChain | undefined {
  const { stages, escape } = parsed;
  const target = typeof options.stage === 'string' ? stages.find((stage) => stage.name === (options.stage as string).toLowerCase()) : stages[options.stage ?? stages.length - 1];
  if (!target) return undefined;
  const globals = globalDefaults(parsed.globalArgs, options.buildArgs ?? new Map<string, string>(), escape);
  const chain: DockerfileStage[] = [target];
  for (let stage = parentStage(target, stages, globals, escape); stage && !chain.includes(stage); stage = parentStage(stage, stages, globals, escape)) chain.unshift(stage);
  const root = chain[0]!;
  const baseImage = joinKnown(processWord(root.image, globals, escape));
  return { target, chain, baseReference: baseImage && baseImage.toLowerCase() !== 'scratch' ? baseImage : undefined, baseFromLine: root.fromLine };
}

export function dockerfileTarget(parsed: ParsedStages, options: TargetOptions = {}): DockerfileTarget | undefined {
  const resolved = resolveStageChain(parsed, options);
  if (!resolved) return undefined;
  const buildArgs = options.buildArgs ?? new Map<string, string>();
  const state: StepState = { env: new Map(), workdir: [], shell: undefined, escape: parsed.escape };
  const steps: DockerfileStep[] = [];
  for (const stage of resolved.chain) {
    // ARGs are per stage; ENV, WORKDIR and SHELL carry into a stage built FROM this one.
    const args: Env = new Map();
    for (const instruction of stage.instructions) steps.push(makeStep(parsed, instruction, stage.index, state, args, buildArgs));
  }
  return { stageIndex: resolved.target.index, steps, baseReference: resolved.baseReference, baseFromLine: resolved.baseFromLine };
}

function parentStage(stage: DockerfileStage, stages: readonly DockerfileStage[], globals: Env, escape: string): DockerfileStage | undefined {
  const image = joinKnown(processWord(stage.image, globals, escape))?.toLowerCase();
  if (image === undefined) return undefined;
  const earlier = stages.slice(0, stage.index);
  return earlier.find((candidate) => candidate.name === image) ?? (/^\d+$/.test(image) ? earlier[Number(image)] : undefined);
}

interface StepState {
  env: Env;
  /** The working directory; [] before any WORKDIR (the base image's is unknown). */
  workdir: Value;
  /** The SHELL in force, when the file sets one. */
  shell: string[] | undefined;
  escape: string;
}

function makeStep(parsed: ParsedStages, instruction: Instruction, stageIndex: number, state: StepState, args: Env, buildArgs: ReadonlyMap<string, string>): DockerfileStep {
  const keyword = instruction.getKeyword();
  const range = instruction.getRange();
  const step = { keyword, startLine: range.start.line, endLine: range.end.line, stageIndex, optional: keyword === 'ONBUILD' };
  // ENV beats ARG, as in the builders. Values are expanded now, so a live view will do.
  const scope: Lookup = { get: (name) => state.env.get(name) ?? args.get(name) };
  const { content, words: rawWords } = instructionText(parsed, instruction);
  const words = (): Value[] => (jsonStrings(content) ?? rawWords).map((word) => processWord(word, scope, state.escape));
  let matches: (instruction: HistoryInstruction) => boolean;
  switch (keyword) {
    case 'RUN':
      matches = runMatcher(instruction, content, state.shell);
      break;
    case 'COPY':
    case 'ADD': {
      const all = words();
      const sources = valueMatcher(joinValues(all, ' '));
      const dest = valueMatcher(all[all.length - 1] ?? []);
      matches = (entry) => {
        if (entry.builder === 'classic') {
          const recordedDest = /^\S+ in (.*)$/s.exec(entry.body)?.[1];
          return recordedDest !== undefined && dest(normalize(recordedDest));
        }
        return sources(normalizedBody(entry).replace(/^(?:--\S+ )*/, ''));
      };
      break;
    }
    case 'ENV':
    case 'LABEL': {
      const pairs = properties(instruction).map(([name, raw]) => [name, raw === undefined ? [] : processWord(raw, scope, state.escape)] as const);
      const expected = valueMatcher(joinValues(pairs.map(([name, value]) => [`${name}=`, ...value]), ' '));
      matches = (entry) => expected(normalizedBody(entry));
      if (keyword === 'ENV') for (const [name, value] of pairs) state.env.set(name, value);
      break;
    }
    case 'ARG': {
      const names = declareArgs(instruction, args, buildArgs);
      const patterns = names.map((name) => new RegExp(`(?:^| )${escapeRegExp(name)}(?:=| |$)`));
      matches = (entry) => patterns.length > 0 && patterns.every((pattern) => pattern.test(entry.body));
      break;
    }
    case 'WORKDIR': {
      const [word = []] = words();
      const first = word[0];
      // Relative to the WORKDIR in force, the base image's (unknown) when the file set none.
      const resolved: Value = first === null || first?.startsWith('/') ? word : state.workdir.length ? [...state.workdir, '/', ...word] : [null, '/', ...word];
      const normalized = normalizePathValue(resolved);
      state.workdir = normalized;
      const expected = valueMatcher(normalized);
      matches = (entry) => expected(normalize(normalizePath(entry.body)));
      break;
    }
    case 'EXPOSE': {
      const all = words();
      const literal = all.every((value) => value.every((segment) => segment !== null));
      const expected = literal ? parseExposedPorts(all.map((value) => value.join('')).join(' '))?.join(' ') : undefined;
      matches = (entry) => (literal ? parseExposedPorts(entry.body)?.join(' ') === expected && expected !== undefined : true);
      break;
    }
    case 'VOLUME': {
      const list = jsonStrings(content) ?? rawWords;
      const expected = valueMatcher(joinValues(list.map((word) => processWord(word, scope, state.escape)), ' '));
      matches = (entry) => expected(normalizedBody(entry).replace(/^\[(.*)\]$/s, '$1'));
      break;
    }
    case 'CMD':
    case 'ENTRYPOINT':
      matches = commandMatcher(content, state.shell);
      break;
    case 'HEALTHCHECK': {
      const test = content.trim();
      const expected = /^NONE$/i.test(test) ? ['NONE'] : healthcheckTest(test.replace(/^CMD\s+/i, ''));
      matches = (entry) => sameTokens(parseHealthcheckTest(entry.body), expected);
      break;
    }
    case 'SHELL': {
      const shell = jsonStrings(content);
      if (shell) state.shell = shell;
      matches = (entry) => shell !== undefined && normalize(entry.body.replace(/^\[(.*)\]$/s, '$1')) === normalize(shell.join(' '));
      break;
    }
    case 'USER':
    case 'STOPSIGNAL':
    case 'MAINTAINER': {
      const expected = valueMatcher(joinValues(words(), ' '));
      matches = (entry) => expected(normalizedBody(entry));
      break;
    }
    case 'ONBUILD': {
      const expected = normalize(content);
      matches = (entry) => normalizedBody(entry) === expected;
      break;
    }
    default:
      matches = () => false;
  }
  return { ...step, matches: (entry) => entry.keyword === keyword && matches(entry) };
}

/**
 * Declares the ARGs of one instruction in `scope`; returns their names. A value a RUN of the
 * image shows is what the build used; any other may have come from --build-arg: unknown.
 */
function declareArgs(instruction: Instruction, scope: Env, buildArgs: ReadonlyMap<string, string>): string[] {
  const names: string[] = [];
  for (const [name] of properties(instruction)) {
    names.push(name);
    const seen = buildArgs.get(name);
    scope.set(name, seen !== undefined ? [seen] : [null]);
  }
  return names;
}

/** Global ARGs with their defaults: what FROM lines name when no --build-arg changed them. */
function globalDefaults(instructions: readonly Instruction[], buildArgs: ReadonlyMap<string, string>, escape: string): Env {
  const env: Env = new Map();
  for (const instruction of instructions) {
    for (const [name, raw] of properties(instruction)) {
      const seen = buildArgs.get(name);
      env.set(name, seen !== undefined ? [seen] : raw !== undefined ? processWord(raw, env, escape) : [null]);
    }
  }
  return env;
}

function properties(instruction: Instruction): Array<[string, string | undefined]> {
  const withProperties = instruction as Instruction & { getProperties?: () => Array<{ getName(): string; getUnescapedValue(): string | null }> };
  return (withProperties.getProperties?.() ?? []).map((property) => [property.getName(), property.getUnescapedValue() ?? undefined]);
}

/** Instructions whose leading `--name=value` words are flags, not arguments. */
const FLAGGED = new Set(['RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/**
 * The arguments of an instruction as the parser joins them (continuations and the comment
 * lines inside them removed, flags left out), and as words (quotes kept). Read from the text
 * with words.ts: dockerfile-ast's own getters re-scan the document on every call.
 */
function instructionText(parsed: ParsedStages, instruction: Instruction): { content: string; words: string[] } {
  const range = instruction.getRange();
  const chars = joinContinuations(parsed.text, parsed.lines.offsetAt(range.start), parsed.lines.offsetAt(range.end), parsed.escape);
  let at = 0;
  const skipSpace = (): void => {
    while (at < chars.length && /\s/.test(chars[at]!.ch)) at++;
  };
  const skipWord = (): void => {
    while (at < chars.length && !/\s/.test(chars[at]!.ch)) at++;
  };
  skipSpace();
  skipWord(); // the keyword
  skipSpace();
  if (FLAGGED.has(instruction.getKeyword())) {
    while (chars[at]?.ch === '-' && chars[at + 1]?.ch === '-') {
      skipWord();
      skipSpace();
    }
  }
  const rest: SourceChar[] = chars.slice(at);
  return { content: rest.map((char) => char.ch).join('').trimEnd(), words: splitWords(rest, parsed.escape).map((word) => word.map((char) => char.ch).join('')) };
}
