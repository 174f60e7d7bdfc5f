// Properties of parse + pin over random Dockerfiles (from a grammar of instructions, flags, ARGs,
// comments, continuations, heredocs, escape directives, CRLF and garbage), mutated fixtures and
// plain noise: parsing never throws; every span covers its text; pinning every pinnable image
// and unpinning what was not pinned gives back the original byte for byte; pinning twice changes
// nothing; a re-parse of the pinned text finds the same images, with the digests on them.
// A failure names its seed: `PROPERTY_SEED=<seed> npx tsx --test test/unit/dockerfileProperties.test.ts`;
// PROPERTY_SCALE=20 runs twenty times as many inputs.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type PinnableImage, parsePinnableDockerfile } from '../../../src/pinning/pinnable';
import { applyEdits, pinEdit, type TextEdit, unpinEdit } from '../../../src/pinning/pin';
import { errorText } from '../../../src/util/errors';

/** mulberry32: small, fast, good enough to explore inputs, and the same on every machine. */
function randomSource(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    int,
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

interface Random {
  int(below: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

const HEX = '0123456789abcdef';
const NAMES = ['nginx', 'alpine', 'library/ubuntu', 'ghcr.io/acme/app', 'localhost:5000/team/app', '[::1]:5000/x', 'registry.example.com:443/a/b/c', 'golang', 'node', 'gcr.io/distroless/static'];
const TAGS = ['', ':1.27', ':3.20', ':latest', ':v2.3.1-rc.1', ':20-bookworm-slim', ':1.22.5'];
const INVALID = ['Nginx', 'nginx:', 'x@sha256:abc', '::', 'a//b', '-x', 'UPPER/case:1', 'nginx:1.27@', 'http://x/y', '${', '$', '"', "'", '${X', '${:}', '${A:?}', '}'];
const ARG_NAMES = ['BASE', 'TAG', 'REG', 'VERSION', 'IMAGE', 'SUFFIX', 'TARGETARCH'];
const STAGE_NAMES = ['build', 'Builder', 'deps', 'final', 'test'];
const GARBAGE = ['🐳', 'é', 'ß', '\u0000', '\t', '"', "'", '$', '{', '}', '\\', '`', '#', '=', '@', ':', '/', ' ', 'FROM', 'ARG', 'COPY', '--from=', '<<EOF', '\r', '\n', '\uD83D', 'x'];

function digestFrom(random: Random): string {
  return 'sha256:' + Array.from({ length: 64 }, () => random.pick([...HEX])).join('');
}

/** A valid reference, sometimes pinned. */
function reference(random: Random): string {
  return random.pick(NAMES) + random.pick(TAGS) + (random.chance(0.2) ? `@${digestFrom(random)}` : '');
}

function argValue(random: Random, declared: readonly string[]): string {
  const other = declared.length > 0 ? random.pick(declared) : 'UNSET';
  return random.pick([
    reference(random),
    random.pick(TAGS).slice(1) || '1.0',
    `"${reference(random)}"`,
    `'${reference(random)}'`,
    `${random.pick(NAMES)}:\${${other}}`,
    `\${${other}}`,
    `\${${other}}/app:1`,
    '',
    random.pick(['ghcr.io/acme', 'docker.io', 'localhost:5000']),
  ]);
}

/** The image of a FROM or COPY --from, in the many ways Dockerfiles write one. */
function imageText(random: Random, args: readonly string[], stages: readonly string[]): string {
  const arg = args.length > 0 && random.chance(0.8) ? random.pick(args) : random.pick(ARG_NAMES);
  const forms = [
    () => reference(random),
    () => reference(random),
    () => `\${${arg}}`,
    () => `$${arg}`,
    () => `${random.pick(NAMES)}:\${${arg}}`,
    () => `\${${arg}}-slim`,
    () => `\${${arg}}/app${random.pick(TAGS)}`,
    () => `\${${arg}:-${reference(random)}}`,
    () => `\${${arg}-${reference(random)}}`,
    () => `${random.pick(NAMES)}:1\${${arg}:+-dev}`,
    () => `\${${arg}%.*}${random.pick(TAGS)}`,
    () => (stages.length > 0 ? randomCase(random, random.pick(stages)) : 'scratch'),
    () => String(random.int(4)),
    () => randomCase(random, 'scratch'),
    () => `"${reference(random)}"`,
    () => random.pick(INVALID),
  ];
  return random.pick(forms)();
}

function randomCase(random: Random, text: string): string {
  return [...text].map((ch) => (random.chance(0.3) ? ch.toUpperCase() : random.chance(0.3) ? ch.toLowerCase() : ch)).join('');
}

/** A random Dockerfile from a grammar of the instructions that matter here, and some that do not. */
function generateDockerfile(random: Random): string {
  const eol = random.pick(['\n', '\n', '\r\n', '\r\n', '\r']);
  const escape = random.chance(0.15) ? '`' : '\\';
  const lines: string[] = [];
  if (escape === '`') lines.push('# escape=`');
  else if (random.chance(0.1)) lines.push('# escape=\\');
  if (random.chance(0.3)) lines.push('# syntax=docker/dockerfile:1.7');
  /** Joins tokens with spaces, or with a line continuation (sometimes with a comment line inside). */
  const instruction = (...tokens: string[]): string =>
    tokens.reduce((line, token) => {
      if (!random.chance(0.15)) return `${line} ${token}`;
      const comment = random.chance(0.3) ? `${eol}  # between${eol.repeat(random.int(2))}` : '';
      return `${line} ${escape}${eol}${comment}${' '.repeat(random.int(4))}${token}`;
    });
  const keyword = (name: string): string => (random.chance(0.2) ? name.toLowerCase() : name);

  const globals: string[] = [];
  for (let i = random.int(4); i > 0; i--) {
    const name = random.pick(ARG_NAMES);
    const declarations = [random.chance(0.2) ? name : `${name}=${argValue(random, globals)}`];
    if (random.chance(0.2)) declarations.push(`${random.pick(ARG_NAMES)}=${argValue(random, [...globals, name])}`);
    lines.push(instruction(keyword('ARG'), ...declarations));
    globals.push(name);
  }
  const stages: string[] = [];
  for (let stage = 1 + random.int(4); stage > 0; stage--) {
    const platform = random.pick(['', '--platform=$BUILDPLATFORM', '--platform=linux/amd64', '--platform=${TARGETPLATFORM}', `--platform=\${${random.pick(ARG_NAMES)}}`]);
    const name = random.chance(0.6) ? random.pick(STAGE_NAMES) : undefined;
    const tokens = [keyword('FROM'), ...(platform ? [platform] : []), imageText(random, globals, stages)];
    if (name) tokens.push(random.pick(['AS', 'as', 'As']), name);
    lines.push(instruction(...tokens));
    if (name) stages.push(name);
    for (let body = random.int(6); body > 0; body--) lines.push(bodyInstruction(random, instruction, keyword, eol, globals, stages));
  }
  for (let noise = random.chance(0.2) ? 1 + random.int(3) : 0; noise > 0; noise--) {
    lines.splice(random.int(lines.length + 1), 0, Array.from({ length: 1 + random.int(12) }, () => random.pick(GARBAGE)).join(''));
  }
  return lines.join(eol) + (random.chance(0.8) ? eol : '');
}

function bodyInstruction(random: Random, instruction: (...tokens: string[]) => string, keyword: (name: string) => string, eol: string, globals: readonly string[], stages: readonly string[]): string {
  switch (random.int(9)) {
    case 0:
      return instruction(keyword('COPY'), `--from=${imageText(random, globals, stages)}`, '/src', '/dst');
    case 1:
      return instruction(keyword('COPY'), '--chown=1000:1000', `--from=${imageText(random, globals, stages)}`, '/a', '/b');
    case 2:
      return instruction(keyword('ARG'), random.chance(0.5) ? random.pick(ARG_NAMES) : `${random.pick(ARG_NAMES)}=${argValue(random, globals)}`);
    case 3:
      return instruction(keyword('ENV'), `${random.pick(ARG_NAMES)}=${argValue(random, globals)}`);
    case 4:
      return [`${keyword('RUN')} <<EOF`, `FROM ${reference(random)}`, `COPY --from=${reference(random)} /a /b`, 'EOF'].join(eol);
    case 5:
      return `# FROM ${reference(random)}`;
    case 6:
      return '';
    case 7:
      return instruction(keyword('RUN'), 'echo', '$BASE', '&&', 'make');
    default:
      return instruction(keyword('LABEL'), `org.opencontainers.image.base.name="${reference(random)}"`);
  }
}

function mutate(random: Random, text: string): string {
  let result = text;
  for (let count = 1 + random.int(5); count > 0; count--) {
    const at = random.int(result.length + 1);
    const length = 1 + random.int(12);
    const kind = random.int(3);
    if (kind === 0) result = result.slice(0, at) + result.slice(at + length);
    else if (kind === 1) result = result.slice(0, at) + Array.from({ length: 1 + random.int(4) }, () => random.pick(GARBAGE)).join('') + result.slice(at);
    else result = result.slice(0, at) + result.slice(random.int(result.length + 1)).slice(0, length) + result.slice(at);
  }
  return result;
}

function noise(random: Random): string {
  return Array.from({ length: random.int(80) }, () => (random.chance(0.5) ? random.pick(GARBAGE) : String.fromCharCode(random.int(0x3000)))).join('');
}

/** One digest per repository and tag (as a registry would give): shared pins agree, different images differ. */
function digestFor(image: PinnableImage): string {
  const reference = image.reference;
  const name = reference ? `${reference.domain}/${reference.path}:${reference.tag ?? 'latest'}` : '';
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  return 'sha256:' + hash.toString(16).padStart(8, '0').repeat(8);
}

const pinnable = (image: PinnableImage): boolean => image.kind === 'image' && image.pinTarget.kind !== 'none';

function checkSpans(text: string, images: readonly PinnableImage[]): void {
  for (const image of images) {
    assert.equal(text.slice(image.span.start, image.span.end), image.text);
    assert.ok(image.span.start <= image.span.end && image.span.end <= text.length);
    const target = image.pinTarget;
    if (target.kind !== 'none') assert.ok(target.span.start < target.span.end && target.span.end <= text.length, 'pin target inside the text');
    if (target.kind === 'image') assert.ok(target.span.start >= image.span.start && target.span.end <= image.span.end, 'image target inside the image text');
    assert.equal(image.kind === 'image', image.reference !== undefined);
  }
}

/** Pins every pinnable image, re-parses, pins again, then restores the original: the round trip must be exact. */
function checkPinRoundTrip(text: string): void {
  const { images } = parsePinnableDockerfile(text);
  checkSpans(text, images);
  const pinned = applyEdits(text, images.filter(pinnable).map((image) => pinEdit(text, image, digestFor(image))));
  const reparsed = parsePinnableDockerfile(pinned).images;
  checkSpans(pinned, reparsed);
  assert.equal(reparsed.length, images.length, 'the pinned text has the same images');
  images.forEach((before, index) => {
    const after = reparsed[index];
    assert.ok(after);
    assert.equal(after.kind, before.kind, `image ${index} keeps its kind`);
    if (pinnable(before)) {
      assert.equal(after.reference?.digest, digestFor(before), `image ${index} carries its digest`);
      assert.equal(after.pinTarget.kind, before.pinTarget.kind, `image ${index} keeps its pin target`);
    } else {
      assert.equal(after.expanded, before.expanded, `image ${index}, not pinned, is unchanged`);
    }
  });

  const again = applyEdits(pinned, reparsed.filter(pinnable).map((image) => pinEdit(pinned, image, digestFor(image))));
  assert.equal(again, pinned, 'pinning twice with the same digests changes nothing');

  // Back: unpin what was not pinned, give the pinned ones their old digest back.
  const restore = reparsed.flatMap((image, index): TextEdit[] => {
    const before = images[index];
    if (!before || !pinnable(before)) return [];
    const oldDigest = before.reference?.digest;
    const edit = oldDigest !== undefined ? pinEdit(pinned, image, oldDigest) : unpinEdit(pinned, image);
    assert.ok(edit, `image ${index} can be unpinned`);
    return [edit];
  });
  // An untagged image was pinned with the `:latest` it pulls; that tag stays.
  const latest = images.filter((image) => pinnable(image) && image.reference?.tag === undefined && image.reference?.digest === undefined);
  const expected = applyEdits(text, latest.map((image): TextEdit => {
    const end = image.pinTarget.kind === 'none' ? 0 : image.pinTarget.span.end;
    return { span: { start: end, end }, newText: ':latest' };
  }));
  assert.equal(applyEdits(pinned, restore), expected, 'pin then unpin gives back the original');
}

/** Runs `check` on `count` generated inputs; a failure names the seed and the input. */
function forEachSeed(count: number, firstSeed: number, generate: (random: Random) => string, check: (text: string) => void): void {
  const only = process.env.PROPERTY_SEED;
  const runs = count * Number(process.env.PROPERTY_SCALE ?? '1');
  const seeds = only !== undefined ? [Number(only)] : Array.from({ length: runs }, (_, index) => firstSeed + index);
  for (const seed of seeds) {
    const text = generate(randomSource(seed));
    try {
      check(text);
    } catch (error) {
      const message = errorText(error);
      assert.fail(`seed ${seed}: ${message}\ninput: ${JSON.stringify(text)}`);
    }
  }
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'dockerfiles');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.Dockerfile')).map((name) => readFileSync(join(FIXTURES, name), 'utf8'));

describe('Dockerfile parsing and pinning properties', () => {
  test('generated Dockerfiles: parse never throws, pin/unpin round trips (2000 files)', () => {
    forEachSeed(2000, 1, generateDockerfile, checkPinRoundTrip);
  });

  test('mutated fixtures, also with CRLF: parse never throws, pin/unpin round trips (1200 files)', () => {
    const mutatedFixture = (random: Random): string => {
      const original = random.pick(fixtures);
      return mutate(random, random.chance(0.3) ? original.replace(/\n/g, '\r\n') : original);
    };
    forEachSeed(1200, 100_000, mutatedFixture, checkPinRoundTrip);
  });

  test('noise: parse never throws (1500 strings)', () => {
    forEachSeed(1500, 200_000, noise, (text) => checkSpans(text, parsePinnableDockerfile(text).images));
  });

  test('the generator reaches the interesting cases', () => {
    const kinds = new Map<string, number>();
    const random = randomSource(7);
    for (let i = 0; i < 400; i++) {
      for (const image of parsePinnableDockerfile(generateDockerfile(random)).images) {
        const key = `${image.kind}/${image.pinTarget.kind}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      }
    }
    for (const key of ['image/image', 'image/arg', 'image/none', 'stage/none', 'scratch/none', 'unresolved/none', 'invalid/none']) {
      assert.ok((kinds.get(key) ?? 0) >= 5, `${key}: ${kinds.get(key) ?? 0} in ${JSON.stringify([...kinds])}`);
    }
  });
});
