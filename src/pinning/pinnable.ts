// A Dockerfile's images with where each one's digest would go: the parse (dockerfile/) plus
// the pin target (pinTarget.ts) of every site, which needs the whole file's sites to decide.

import { walkDockerfile } from '../dockerfile/imageSites';
import { detectEol } from '../dockerfile/sourceText';
import { type DockerfileImage } from '../dockerfile/types';
import { choosePinTarget, type PinTarget } from './pinTarget';

export interface PinnableImage extends DockerfileImage {
  /** Where pin/unpin/update edits go (kind 'image' only; 'none' otherwise with a reason). */
  pinTarget: PinTarget;
}

export interface PinnableDockerfile {
  images: PinnableImage[];
  /** '\r\n' when the file uses CRLF line endings, else '\n'. */
  eol: '\n' | '\r\n';
}

/** Every image a Dockerfile names, in document order, with its pin target. Never throws. */
export function parsePinnableDockerfile(text: string): PinnableDockerfile {
  const { sites, inheritingArgs } = walkDockerfile(text);
  return { images: sites.map((site): PinnableImage => ({ ...site.image, pinTarget: choosePinTarget(site, sites, inheritingArgs) })), eol: detectEol(text) };
}
