// Which of an image's names a Dockerfile's "Layers of" lens shows. An image built from a file
// often carries several tags (retagged for a registry, `latest` beside a version); the lens
// names the one the file suggests: its name (`classic.Dockerfile`, `Dockerfile.api`) or its
// folder (`services/api/Dockerfile`) matching the repository's last path part or the tag; else
// the newest image's plainest name (no registry host), newest version first. No `vscode` import.

import { parseReference } from '../image/reference';
import { compareTagsNewestFirst } from '../image/tagOrder';

export interface NamedImage {
  id: string;
  repoTags: readonly string[];
}

/** Folders too generic to name an image. */
const GENERIC_FOLDERS = new Set(['', '.', 'docker', 'dockerfiles', 'build', 'src', 'deploy', 'ci', '.devcontainer']);

/** The words a Dockerfile's path suggests, strongest first: the file's own word, then its folder. */
export function nameHints(dockerfilePath: string): string[] {
  const parts = dockerfilePath.replace(/\\/g, '/').split('/').filter(Boolean);
  const file = (parts.at(-1) ?? '').toLowerCase();
  const folder = (parts.at(-2) ?? '').toLowerCase();
  const hints: string[] = [];
  const own = /^(.+)\.dockerfile$/.exec(file)?.[1] ?? /^dockerfile[.-](.+)$/.exec(file)?.[1];
  if (own) hints.push(own);
  if (!GENERIC_FOLDERS.has(folder)) hints.push(folder);
  return [...new Set(hints)];
}

interface Candidate {
  id: string;
  reference: string;
  lastPart: string;
  tag: string;
  hasHost: boolean;
  imageRank: number;
}

function candidates(images: readonly NamedImage[]): Candidate[] {
  return images.flatMap((image, imageRank) =>
    image.repoTags.flatMap((reference) => {
      try {
        const ref = parseReference(reference);
        if (ref.tag === undefined) return [];
        // Docker Hub names are the plainest; Podman spells them out (`docker.io/library/x`).
        const hasHost = ref.domain !== 'docker.io';
        return [{ id: image.id, reference, lastPart: ref.path.split('/').at(-1)!, tag: ref.tag.toLowerCase(), hasHost, imageRank }];
      } catch {
        return [];
      }
    }),
  );
}

/** How well a name fits the hints: the strongest hint first, the repository's last part before the tag. */
function hintScore(candidate: Candidate, hints: readonly string[]): number {
  let best = 0;
  hints.forEach((hint, index) => {
    const weight = (hints.length - index) * 10;
    if (candidate.lastPart === hint) best = Math.max(best, weight + 3);
    else if (candidate.tag === hint) best = Math.max(best, weight + 2);
    else if (candidate.lastPart.includes(hint) || hint.includes(candidate.lastPart)) best = Math.max(best, weight + 1);
  });
  return best;
}

/**
 * The image and tag to name, among images that match the file equally well (newest first);
 * undefined when none of them has a tag.
 */
export function nameForDockerfile(images: readonly NamedImage[], dockerfilePath: string | undefined): { id: string; name: string } | undefined {
  const hints = dockerfilePath ? nameHints(dockerfilePath) : [];
  const ranked = candidates(images)
    .map((candidate) => ({ candidate, score: hintScore(candidate, hints) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.candidate.imageRank - b.candidate.imageRank ||
        Number(a.candidate.hasHost) - Number(b.candidate.hasHost) ||
        compareTagsNewestFirst(a.candidate.tag, b.candidate.tag) ||
        a.candidate.reference.localeCompare(b.candidate.reference),
    );
  const best = ranked[0]?.candidate;
  return best ? { id: best.id, name: best.reference } : undefined;
}
