// What the Dockerfile modules say about a file's images: shared by the walk (imageSites.ts),
// the expansion (variables.ts) and the modules above (pinning, layers), so none of them
// imports the parser's entry point for a type.

import { type ImageReference } from '../image/reference';

/** UTF-16 offsets into the document text, end exclusive (what TextDocument.positionAt takes). */
export interface TextSpan {
  start: number;
  end: number;
}

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
  /** Why the expanded text is not a reference (kind 'invalid' only): ImageReferenceError's message. */
  referenceError?: string;
}
