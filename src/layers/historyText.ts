// An image history entry's `created_by` -> the instruction behind it, for both builders.
// Classic builder: `/bin/sh -c #(nop)  ENV A=1`, `|1 A=x /bin/sh -c make`, `/bin/sh -c #(nop) COPY file:<hex> in /app `.
// BuildKit: `ENV A=1`, `RUN |1 A=x /bin/sh -c make # buildkit`, `COPY src /app # buildkit`, comment
// `buildkit.dockerfile.v0`; entries it invents for layers without history carry `buildkit.exporter.image.v0`.
// Pure text logic; no `vscode` import.

export const BUILDKIT_HISTORY_COMMENT = 'buildkit.dockerfile.v0';
export const BUILDKIT_PADDING_COMMENT = 'buildkit.exporter.image.v0';
const BUILDKIT_SUFFIX = /\s#\s?buildkit$/;
const CLASSIC_NOP = /^([^#\n]*?)\s#\(nop\)\s+/;
const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL',
  'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
/** Instructions that only change the image config: never a layer, whichever builder. */
const METADATA_KEYWORDS = new Set(['ARG', 'CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME']);
/**
 * Where a RUN's command starts after an ARG prefix: a shell (absolute path, cmd or powershell)
 * and its options, the last of them the one that takes the command (`-c`, `-ec`, `/C`, `-Command`).
 */
export const SHELL_START = /^(?:\/\S+|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)(?: (?:-[\w-]*|\/[A-Za-z]|pipefail)){0,4}? (?:-[a-z]*c|\/[Cc]|-[Cc]ommand) /;
const SHELL_AFTER_SPACE = new RegExp(` (?=${SHELL_START.source.slice(1)})`);
const DEFAULT_SHELL_PREFIX = /^(?:\/bin\/sh -c|cmd \/S \/C) /;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*=/;

export type HistoryBuilder = 'classic' | 'buildkit' | 'unknown';

/**
 * What the history text says about the entry's `empty_layer` flag: `metadata` (never a layer),
 * `layer` (always one, possibly empty), `either` (the text alone cannot tell).
 */
export type LayerRule = 'layer' | 'metadata' | 'either';

export interface HistoryInstruction {
  /** `created_by` exactly as recorded: the tooltip. */
  raw: string;
  comment: string;
  builder: HistoryBuilder;
  /** RUN, COPY, ENV, ...; '' when the entry names no instruction (`docker import`, some tools). */
  keyword: string;
  /** For display: `RUN apk add curl`, `CMD ["sh"]`, `COPY file:0123456789ab in /app`; '' when nothing is recorded. */
  text: string;
  /**
   * The instruction's arguments as recorded, without keyword, build-arg prefix and `# buildkit`;
   * a RUN keeps its shell (`/bin/sh -c make`). What the Dockerfile matching compares.
   */
  body: string;
  /** Build arguments of the `|N A=1 B=2` prefix (RUN only), in recorded order. */
  buildArgs: ReadonlyArray<readonly [name: string, value: string]>;
  /** Invented by BuildKit for a layer that had no history entry: its position means nothing. */
  padding: boolean;
  layerRule: LayerRule;
}

export interface HistoryTextInput {
  createdBy: string;
  comment?: string;
}

/**
 * Cleans every entry of one history. Done together because a build argument whose value holds
 * spaces can only be cut where another entry of the same image shows where its value ends.
 */
export function cleanHistory(entries: readonly HistoryTextInput[]): HistoryInstruction[] {
  const known: KnownArgs = { values: new Map(), unanchored: false };
  const first = entries.map((entry) => cleanHistoryEntry(entry.createdBy, entry.comment ?? '', known));
  if (!known.unanchored) return first;
  // Second pass: prefixes that had no shell to anchor on, cut with the values seen elsewhere.
  return entries.map((entry, index) => (first[index]!.buildArgs.length > 0 ? cleanHistoryEntry(entry.createdBy, entry.comment ?? '', known) : first[index]!));
}

/** Build-argument values read where a shell marked their end, and whether some value had no such mark. */
export interface KnownArgs {
  values: Map<string, string>;
  unanchored: boolean;
}

/** One entry; `knownArgs` collects anchored build-argument values and is used for unanchored ones. */
export function cleanHistoryEntry(createdBy: string, comment = '', knownArgs: KnownArgs = { values: new Map(), unanchored: false }): HistoryInstruction {
  const base = { raw: createdBy, comment, buildArgs: [] as Array<readonly [string, string]>, padding: false };
  const trimmed = createdBy.trim();
  if (comment === BUILDKIT_PADDING_COMMENT) {
    const keyword = firstKeyword(trimmed);
    return { ...base, builder: 'buildkit', keyword, text: trimmed, body: keyword ? afterKeyword(trimmed) : trimmed, padding: true, layerRule: 'layer' };
  }
  if (trimmed === '') return { ...base, builder: 'unknown', keyword: '', text: '', body: '', layerRule: 'either' };

  const nop = CLASSIC_NOP.exec(trimmed);
  if (nop) {
    const rest = trimmed.slice(nop[0].length).trim();
    const keyword = firstKeyword(rest) || rest.split(/\s/, 1)[0]!.toUpperCase();
    const body = afterKeyword(rest);
    const layerRule: LayerRule = keyword === 'COPY' || keyword === 'ADD' || keyword === 'WORKDIR' || !METADATA_KEYWORDS.has(keyword) ? 'either' : 'metadata';
    return { ...base, builder: 'classic', keyword, text: displayText(keyword, body), body, layerRule };
  }

  const buildkitSuffix = BUILDKIT_SUFFIX.test(trimmed);
  const buildkit = buildkitSuffix || comment === BUILDKIT_HISTORY_COMMENT;
  const text = buildkitSuffix ? trimmed.replace(BUILDKIT_SUFFIX, '').trimEnd() : trimmed;
  const keyword = firstKeyword(text);
  if (keyword) {
    const args = afterKeyword(text);
    if (keyword === 'RUN') {
      const { buildArgs, command } = splitBuildArgs(args, knownArgs);
      return { ...base, builder: buildkit ? 'buildkit' : 'unknown', keyword, text: displayText(keyword, command), body: command, buildArgs, layerRule: runRule(buildkitSuffix) };
    }
    const layerRule: LayerRule = METADATA_KEYWORDS.has(keyword) ? 'metadata' : keyword === 'WORKDIR' || !buildkitSuffix ? 'either' : 'layer';
    return { ...base, builder: buildkit ? 'buildkit' : 'unknown', keyword, text: displayText(keyword, args), body: args, layerRule };
  }
  // The classic builder's RUN (and `docker commit`'s command): the container's command line.
  const { buildArgs, command } = splitBuildArgs(text, knownArgs);
  return { ...base, builder: buildkit ? 'buildkit' : 'classic', keyword: 'RUN', text: displayText('RUN', command), body: command, buildArgs, layerRule: 'either' };
}

function runRule(buildkitSuffix: boolean): LayerRule {
  // BuildKit commits every RUN as a layer, an empty one included; other tools may not.
  return buildkitSuffix ? 'layer' : 'either';
}

function firstKeyword(text: string): string {
  const word = /^([A-Za-z]+)(?:\s|$)/.exec(text)?.[1];
  return word && word === word.toUpperCase() && KEYWORDS.has(word) ? word : '';
}

function afterKeyword(text: string): string {
  return text.replace(/^\S+\s*/, '').trim();
}

/**
 * `|2 A=1 B=x y /bin/sh -c cmd` -> [[A, 1], [B, x y]] and `/bin/sh -c cmd`. Values may hold
 * spaces: a value ends where the next `NAME=` starts, the last one where a shell starts, else
 * where a value seen in another entry ends, else at the first space.
 */
export function splitBuildArgs(text: string, knownArgs: KnownArgs = { values: new Map(), unanchored: false }): { buildArgs: Array<readonly [string, string]>; command: string } {
  const header = /^\|(\d+) /.exec(text);
  if (!header) return { buildArgs: [], command: text };
  const count = Number(header[1]);
  let rest = text.slice(header[0].length);
  const buildArgs: Array<readonly [string, string]> = [];
  for (let n = 0; n < count; n++) {
    const name = ARG_NAME.exec(rest)?.[0];
    if (!name) return { buildArgs: [], command: text };
    rest = rest.slice(name.length);
    const key = name.slice(0, -1);
    const last = n === count - 1;
    let end = -1;
    if (!last) {
      end = rest.search(/ [A-Za-z_][A-Za-z0-9_]*=/);
    } else {
      end = rest.search(SHELL_AFTER_SPACE);
      if (end >= 0) knownArgs.values.set(key, rest.slice(0, end));
      else {
        knownArgs.unanchored = true;
        const known = knownArgs.values.get(key);
        end = known !== undefined && rest.startsWith(`${known} `) ? known.length : rest.indexOf(' ');
      }
    }
    if (end < 0) return { buildArgs: [], command: text };
    buildArgs.push([key, rest.slice(0, end)]);
    rest = rest.slice(end + 1);
  }
  return { buildArgs, command: rest };
}

function displayText(keyword: string, body: string): string {
  switch (keyword) {
    case 'RUN':
      return `RUN ${body.replace(DEFAULT_SHELL_PREFIX, '')}`;
    case 'COPY':
    case 'ADD':
      // Classic: `file:<64 hex> in /dest`; the hash tells nothing to a reader.
      return `${keyword} ${body.replace(/\b((?:file|dir|multi):[0-9a-f]{12})[0-9a-f]{52}\b/g, '$1')}`.trimEnd();
    case 'EXPOSE': {
      const ports = parseExposedPorts(body);
      return `EXPOSE ${ports ? ports.join(' ') : body}`;
    }
    case 'HEALTHCHECK': {
      const test = parseHealthcheckTest(body);
      if (!test) return `HEALTHCHECK ${body}`;
      if (test[0] === 'NONE') return 'HEALTHCHECK NONE';
      return `HEALTHCHECK CMD ${test[0] === 'CMD-SHELL' ? test.slice(1).join(' ') : JSON.stringify(test.slice(1))}`;
    }
    default:
      return body ? `${keyword} ${body}` : keyword;
  }
}

/** `map[8080/tcp:{} 53/udp:{}]` (BuildKit) or `8080 53/udp` (classic) -> sorted `port/proto` list. */
export function parseExposedPorts(body: string): string[] | undefined {
  const map = /^map\[(.*)\]$/.exec(body.trim());
  const items = map ? [...map[1]!.matchAll(/(\S+?):\{\}/g)].map((match) => match[1]!) : body.trim().split(/\s+/).filter(Boolean);
  if (!items.length || items.some((item) => !/^\d+(?:-\d+)?(?:\/\w+)?$/.test(item))) return undefined;
  return [...new Set(items.map((item) => (item.includes('/') ? item.toLowerCase() : `${item}/tcp`)))].sort();
}

/** `&{["CMD-SHELL" "cat /x"] "30s" "0s" "0s" '\x00'}` -> ["CMD-SHELL", "cat /x"]. */
export function parseHealthcheckTest(body: string): string[] | undefined {
  const list = /^&\{(\[.*?\])\s/.exec(body.trim() + ' ')?.[1];
  return list ? parseGoStringList(list) : undefined;
}

/** Go's `%q` of a []string: `["a" "b c"]` -> ["a", "b c"]; undefined when the text is not one. */
export function parseGoStringList(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  const inner = trimmed.slice(1, -1).trim();
  const items: string[] = [];
  let at = 0;
  while (at < inner.length) {
    if (inner[at] === ' ') {
      at++;
      continue;
    }
    if (inner[at] !== '"') return undefined;
    let end = at + 1;
    while (end < inner.length && inner[end] !== '"') end += inner[end] === '\\' ? 2 : 1;
    if (end >= inner.length) return undefined;
    items.push(unquoteGo(inner.slice(at + 1, end)));
    at = end + 1;
  }
  return items;
}

function unquoteGo(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[abfnrtv\\"'])/g, (_, escape: string) => {
    switch (escape[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      default:
        return escape;
    }
  });
}
