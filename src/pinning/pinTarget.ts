// Where the digest of one image goes: right after the last character of its expanded text,
// wherever that character is written — the image text itself, a `${X:-default}` inside it, or
// a global ARG's default. An ARG default is edited only when no other use of the ARG would
// change meaning: a pin must never break a build or pin another image to the wrong digest.

import { type ImageSite } from '../dockerfile/imageSites';
import { type TextSpan } from '../dockerfile/types';
import { quoteText } from '../dockerfile/sourceText';
import { type Binding, type Expansion, type Tail } from '../dockerfile/variables';

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

export function choosePinTarget(site: ImageSite, sites: readonly ImageSite[], inheritingArgs: readonly Binding[]): PinTarget {
  const { image, expansion } = site;
  if (image.kind !== 'image' || !expansion) return { kind: 'none', reason: notAnImageReason(site) };
  const tail = expansion.tail;
  if (!tail) {
    return none(`The image text ends in ${expansion.openEnd ?? 'nothing'}, whose value can change, so the digest has no fixed place; end the image text with its tag to pin it.`);
  }
  const digest = image.reference?.digest;
  if (digest !== undefined && !writtenAtTail(expansion, `@${digest}`, tail)) {
    return none(`The digest of ${quoteText(image.text)} is not written in one piece at its end, so Layerlens cannot replace it; write "@" and the digest together.`);
  }
  const binding = tail.binding;
  if (!binding) return { kind: 'image', span: tail.span };
  const blocker = sharedArgBlocker(site, tail, binding, sites, inheritingArgs);
  if (blocker !== undefined) return none(blocker);
  return { kind: 'arg', name: binding.name, line: binding.line, span: tail.span };
}

function none(reason: string): PinTarget {
  return { kind: 'none', reason };
}

/** The last characters of the expansion are exactly the last characters of the tail's text. */
function writtenAtTail(expansion: Expansion, suffix: string, tail: Tail): boolean {
  if (!expansion.text.endsWith(suffix) || tail.span.end - tail.span.start < suffix.length) return false;
  const origins = expansion.origins.slice(-suffix.length);
  return origins.every((origin, index) => origin === tail.span.end - suffix.length + index);
}

/** Why ARG `arg`'s default cannot take the digest, if some other use of it forbids that. */
function sharedArgBlocker(site: ImageSite, tail: Tail, arg: Binding, sites: readonly ImageSite[], inheritingArgs: readonly Binding[]): string | undefined {
  const uses = (expansion: Expansion | undefined): number => expansion?.reads.filter((read) => read === arg).length ?? 0;
  const name = `ARG ${arg.name}`;
  if (uses(site.expansion) !== 1) return `${name} appears more than once in ${where(site)}, so a digest in its default would land inside the image name.`;
  for (const redeclared of inheritingArgs) {
    const inherited = redeclared.inherits;
    if (inherited !== arg && !inherited?.value?.reads.includes(arg)) continue;
    const stageArg = redeclared.name === arg.name ? `${name} is redeclared` : `${name} is used by ARG ${redeclared.name}, redeclared`;
    return `${stageArg} in the stage on line ${redeclared.line + 1}, so that stage's RUN and LABEL steps would see the digest too.`;
  }
  for (const other of sites) {
    if (uses(other.platform) > 0) return `${name} is also used by the --platform of ${where(other)}, which a digest would break.`;
    if (other === site || uses(other.expansion) === 0) continue;
    const otherTail = other.expansion?.tail;
    if (uses(other.expansion) !== 1 || otherTail?.binding !== arg || otherTail.span.end !== tail.span.end) {
      return `${name} is also used by ${where(other)}, where a digest at the end of its default would break the image name.`;
    }
    if (other.image.expanded !== site.image.expanded) {
      return `${name} is also used by ${where(other)}, another image that cannot share one digest.`;
    }
    if (platformOf(other) !== platformOf(site)) {
      return `${name} is also used by ${where(other, 'whole')} for another platform, which may need another digest.`;
    }
  }
  return undefined;
}

function platformOf(site: ImageSite): string {
  const platform = site.image.platform;
  return platform?.expanded ?? platform?.text ?? '';
}

function notAnImageReason(site: ImageSite): string {
  const { image } = site;
  switch (image.kind) {
    case 'scratch':
      return 'scratch is the empty image; there is nothing to pin.';
    case 'stage':
      return `${quoteText(image.expanded ?? image.text)} is a build stage of this Dockerfile, not an image to pin.`;
    case 'unresolved':
      return `The image depends on ${image.unresolved.map((variable) => `\${${variable}}`).join(', ')}, which ${image.unresolved.length === 1 ? 'has' : 'have'} no value before the build, so the image is not known.`;
    default:
      return image.referenceError ?? `${quoteText(image.text)} is not an image reference.`;
  }
}

/** `whole`: with the FROM's --platform and stage name, where the image text alone would read like this line's. */
function where(site: ImageSite, form: 'image' | 'whole' = 'image'): string {
  const { image } = site;
  const instruction = image.site === 'copy-from' ? `COPY --from=${image.text}` : form === 'image' ? `FROM ${image.text}` : wholeFrom(image);
  return `${quoteText(instruction)} on line ${image.line + 1}`;
}

function wholeFrom(image: ImageSite['image']): string {
  const platform = image.platform ? `--platform=${image.platform.text} ` : '';
  const stage = image.stageName !== undefined ? ` AS ${image.stageName}` : '';
  return `FROM ${platform}${image.text}${stage}`;
}
