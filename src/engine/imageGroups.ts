// Local images grouped the way the tree shows them: by repository, each tag a child, and
// images with neither tag nor digest under "Dangling".

import { familiarRepositoryName, parseReference, repositoryName } from '../image/reference';
import { compareTagsNewestFirst } from '../image/tagOrder';
import { type LocalImage } from './images';

export interface TaggedImage {
  /** The reference as the engine reports it: `nginx:1.27`. */
  reference: string;
  /** Familiar form: `nginx:1.27`, also for Podman's `docker.io/library/nginx:1.27`. */
  familiar: string;
  tag: string;
  image: LocalImage;
}

export interface DigestOnlyImage {
  /** `nginx@sha256:...` */
  reference: string;
  digest: string;
  image: LocalImage;
}

export interface RepositoryGroup {
  /** `docker.io/library/nginx`: the key, stable across engines. */
  repository: string;
  /** `nginx`: what the tree shows. */
  label: string;
  tags: TaggedImage[];
  /** Images of this repository known only by digest (pulled by digest, or whose tag moved). */
  untagged: DigestOnlyImage[];
}

export interface ImageGroups {
  repositories: RepositoryGroup[];
  dangling: LocalImage[];
  imageCount: number;
}

export function groupImages(images: readonly LocalImage[]): ImageGroups {
  const byRepository = new Map<string, RepositoryGroup>();
  const dangling: LocalImage[] = [];
  const groupFor = (name: string): RepositoryGroup => {
    const { repository, label } = repositoryKey(name);
    let group = byRepository.get(repository);
    if (!group) {
      group = { repository, label, tags: [], untagged: [] };
      byRepository.set(repository, group);
    }
    return group;
  };

  for (const image of images) {
    const taggedRepositories = new Set<string>();
    for (const reference of image.repoTags) {
      const colon = reference.lastIndexOf(':');
      if (colon <= reference.lastIndexOf('/')) continue;
      const name = reference.slice(0, colon);
      const tag = reference.slice(colon + 1);
      const group = groupFor(name);
      taggedRepositories.add(group.repository);
      group.tags.push({ reference, familiar: `${group.label}:${tag}`, tag, image });
    }
    for (const reference of image.repoDigests) {
      const at = reference.indexOf('@');
      if (at <= 0) continue;
      const group = groupFor(reference.slice(0, at));
      if (taggedRepositories.has(group.repository)) continue;
      group.untagged.push({ reference, digest: reference.slice(at + 1), image });
    }
    if (image.repoTags.length === 0 && image.repoDigests.length === 0) dangling.push(image);
  }

  const repositories = [...byRepository.values()].sort((a, b) => compareText(a.label, b.label));
  for (const group of repositories) {
    group.tags.sort(compareTags);
    group.untagged.sort((a, b) => b.image.created - a.image.created);
  }
  dangling.sort((a, b) => b.created - a.created);
  return { repositories, dangling, imageCount: images.length };
}

const keyCache = new Map<string, { repository: string; label: string }>();

function repositoryKey(name: string): { repository: string; label: string } {
  let key = keyCache.get(name);
  if (!key) {
    try {
      const ref = parseReference(name);
      key = { repository: repositoryName(ref), label: familiarRepositoryName(ref) };
    } catch {
      // The engine accepted this name; show it as it is rather than hide the image.
      key = { repository: name, label: name };
    }
    if (keyCache.size > 50_000) keyCache.clear();
    keyCache.set(name, key);
  }
  return key;
}

/** The Registries view's order (newest version first), so a repository reads alike in both views. */
function compareTags(a: TaggedImage, b: TaggedImage): number {
  return compareTagsNewestFirst(a.tag, b.tag);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/** The tag with this reference, in the engine's form or the familiar one. */
export function findTag(groups: ImageGroups, reference: string): TaggedImage | undefined {
  for (const group of groups.repositories) {
    const found = group.tags.find((tag) => tag.reference === reference || tag.familiar === reference);
    if (found) return found;
  }
  return undefined;
}

/**
 * The registry digest of an image in a reference's repository (`sha256:...`), from its
 * RepoDigests; undefined for an image that was never pushed to or pulled from there.
 */
export function registryDigest(image: LocalImage, reference: string): string | undefined {
  const at = reference.indexOf('@');
  if (at > 0) return reference.slice(at + 1);
  const colon = reference.lastIndexOf(':');
  const name = colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
  const repository = repositoryKey(name).repository;
  for (const entry of image.repoDigests) {
    const entryAt = entry.indexOf('@');
    if (entryAt > 0 && repositoryKey(entry.slice(0, entryAt)).repository === repository) return entry.slice(entryAt + 1);
  }
  return undefined;
}
