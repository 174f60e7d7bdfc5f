// A FROM line's image as parsePinnableDockerfile gives it, built by hand for the pin-status tests
// (the parser has its own tests): `text` is already expanded.
import { type PinnableImage } from '../../../src/pinning/pinnable';
import { parseReference } from '../../../src/image/reference';

export function handmadeFromImage(text: string, extra: Partial<PinnableImage> = {}): PinnableImage {
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
