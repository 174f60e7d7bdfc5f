// A FROM line's image as parseDockerfile gives it, built by hand for the pin-status tests
// (the parser has its own tests): `text` is already expanded.
import { type DockerfileImage } from '../../src/dockerfile/parse';
import { parseReference } from '../../src/registry/reference';

export function handmadeFromImage(text: string, extra: Partial<DockerfileImage> = {}): DockerfileImage {
  return {
    site: 'from',
    kind: 'image',
    stageIndex: 0,
    line: 0,
    text,
    span: { start: 5, end: 5 + text.length },
    expanded: text,
    unresolved: [],
    reference: parseReference(text),
    pinTarget: { kind: 'image', span: { start: 5, end: 5 + text.length } },
    ...extra,
  };
}
