// Dockerfiles -> the images they name: every FROM and every COPY --from=<image>, with the
// exact place of the image text, its ARG expansion, the --platform value and the stage.
// Pure text logic over dockerfile-ast; no `vscode` import. The pieces: imageSites.ts walks the
// instructions, words.ts and variables.ts expand the text as BuildKit does while remembering
// where each character was written, pinTarget.ts decides where a digest may go.
//
// Choices, where the brief left room (BuildKit's frontend/dockerfile2llb decides the rest):
// - COPY --from names a stage when it matches any stage of the file, later ones too, or is a
//   number: BuildKit resolves those before it treats the rest as images. A FROM matches only
//   earlier stages (and, as asked, their index), case-insensitively.
// - Under the defaults an ARG without a value is unset: `$X` is unresolved (a --build-arg is
//   expected), `${X:-d}` is d, `${X:+alt}` is empty. The automatic platform ARGs are always
//   unresolved, and so is a name a stage never declared (its base image's ENV may set it).
// - `${X:-default}` with X unset takes the pin inside the default; `${X:+alt}` with X set
//   inside the alternative. Either way the pin only applies when that branch is taken.
// - A pin never goes into a stage's ARG or ENV (RUN sees them), nor into a global ARG that any
//   other FROM, --platform or stage redeclaration uses differently.
// - `FROM` without an image is an 'invalid' entry (an empty span after the instruction), so the
//   lens can say so; `RUN --mount=from=...` and ONBUILD instructions are not images of this build.

import { type ImageReference } from '../registry/reference';
import { walkDockerfile } from './imageSites';
import { choosePinTarget } from './pinTarget';
import { detectEol } from './sourceText';

/** UTF-16 offsets into the document text, end exclusive (what TextDocument.positionAt takes). */
export interface TextSpan {
  start: number;
  end: number;
}

/** Where a pin edit goes, or why there is none. */
export type PinTarget =
  /** The image text itself: `FROM nginx:1.27` -> insert after `1.27`. */
  | { kind: 'image'; span: TextSpan }
  /**
   * An ARG's default value before the first FROM (`ARG BASE=nginx:1.27` for `FROM ${BASE}`
   * or `ARG TAG=1.27` for `FROM nginx:${TAG}`): the span of the value text as written,
   * without quotes.
   */
  | { kind: 'arg'; name: string; line: number; span: TextSpan }
  /** No safe edit; `reason` is one sentence for the lens/hover ("BASE is also used by ..."). */
  | { kind: 'none'; reason: string };

export type ImageKind =
  /** A reference to pin or check. */
  | 'image'
  /** `FROM scratch`: nothing to pin. */
  | 'scratch'
  /** An earlier stage, by name (case-insensitive) or index: nothing to pin. */
  | 'stage'
  /** A variable without a value remains: never pinned, the lens says which. */
  | 'unresolved'
  /** The expanded text is not a valid reference: `referenceError` says why. */
  | 'invalid';

export interface DockerfileImage {
  site: 'from' | 'copy-from';
  kind: ImageKind;
  /** Index of the stage: the FROM's own for 'from', the stage holding the COPY for 'copy-from'. */
  stageIndex: number;
  /** The FROM's `AS name` (as written) for 'from'. */
  stageName?: string;
  /** 0-based line of the instruction's keyword: where the lens goes. */
  line: number;
  /** The image text exactly as written (may hold variables and line continuations). */
  text: string;
  span: TextSpan;
  /** The text after ARG expansion; undefined while `unresolved` is not empty. */
  expanded?: string;
  /** Names of variables with no value (`GO_VERSION` for `golang:${GO_VERSION}` with `ARG GO_VERSION`). */
  unresolved: string[];
  /** `--platform=...` of the FROM, as written and expanded (`$BUILDPLATFORM` stays unresolved). */
  platform?: { text: string; expanded?: string; unresolved: string[] };
  /** The expanded text, parsed by the one reference parser (kind 'image' only). */
  reference?: ImageReference;
  /** Why the expanded text is not a reference (kind 'invalid' only): ReferenceError's message. */
  referenceError?: string;
  /** Where pin/unpin/update edits go (kind 'image' only; 'none' otherwise with a reason). */
  pinTarget: PinTarget;
}

export interface ParsedDockerfile {
  images: DockerfileImage[];
  /** '\r\n' when the file uses CRLF line endings, else '\n'. */
  eol: '\n' | '\r\n';
}

/** Every image a Dockerfile names, in document order. Never throws: bad input gives 'invalid' entries or none. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const { sites, inheritingArgs } = walkDockerfile(text);
  const images = sites.map((site): DockerfileImage => ({ ...site.image, pinTarget: choosePinTarget(site, sites, inheritingArgs) }));
  return { images, eol: detectEol(text) };
}

/** `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*`, `*.containerfile`, `Containerfile.*` (base name, case-insensitive). */
export function isDockerfileName(fileName: string): boolean {
  const name = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  // BuildKit reads `<Dockerfile name>.dockerignore` next to a Dockerfile: an ignore file, not a Dockerfile.
  if (name.endsWith('.dockerignore')) return false;
  return ['dockerfile', 'containerfile'].some(
    (kind) => name === kind || name.startsWith(`${kind}.`) || (name.endsWith(`.${kind}`) && name.length > kind.length + 1),
  );
}
