// Every local image's layer chain in one trie, built once per set of images: which other images
// hold a layer at the same chain position (what sharing on disk means: same diff_ids below it
// too), and which local image is the longest strict prefix of another (its base). Pure logic.

import { parseReference, withDefaultTag, formatReference, type ImageReference } from '../image/reference';
import { shortImageId } from '../util/format';

export interface LocalImageLayers {
  /** `sha256:<64 hex>` */
  id: string;
  repoTags: readonly string[];
  repoDigests?: readonly string[];
  /** Milliseconds since the epoch. */
  created?: number;
  /** RootFS.Layers, bottom first. */
  diffIds: readonly string[];
  /** Entries in the image's history, when read: a child built FROM it starts with that many. */
  historyLength?: number;
}

interface ChainNode {
  children?: Map<string, ChainNode>;
  /** Images whose chain passes through (or ends at) this node. */
  through: LocalImageLayers[];
  /** Images whose chain ends exactly here. */
  ending?: LocalImageLayers[];
}

/** The other local images with the same chain up to and including one layer. */
export class SharedLayer {
  private list: readonly LocalImageLayers[] | undefined;

  constructor(
    private readonly through: readonly LocalImageLayers[],
    private readonly excluded: LocalImageLayers | undefined,
  ) {}

  get count(): number {
    return this.through.length - (this.excluded ? 1 : 0);
  }

  /** Listed on first use only: a base layer can be shared by thousands of images. */
  get images(): readonly LocalImageLayers[] {
    this.list ??= this.excluded ? this.through.filter((image) => image !== this.excluded) : this.through;
    return this.list;
  }
}

export interface BaseImageMatch {
  image: LocalImageLayers;
  /** How many of the image's layers are the base's. */
  layerCount: number;
  /** The name to show: the tag the Dockerfile's FROM names, else the image's first tag, else its short ID. */
  name: string;
  /** Matched through the Dockerfile's FROM reference, not only by layers. */
  viaFrom: boolean;
}

export class LocalLayerIndex {
  private readonly root: ChainNode = { through: [] };
  private readonly byId = new Map<string, LocalImageLayers>();
  readonly images: readonly LocalImageLayers[];

  private constructor(images: readonly LocalImageLayers[]) {
    this.images = images;
    for (const image of images) {
      this.byId.set(image.id, image);
      let node = this.root;
      for (const diffId of image.diffIds) {
        node.children ??= new Map();
        let child = node.children.get(diffId);
        if (!child) {
          child = { through: [] };
          node.children.set(diffId, child);
        }
        child.through.push(image);
        node = child;
      }
      (node.ending ??= []).push(image);
    }
  }

  static build(images: readonly LocalImageLayers[]): LocalLayerIndex {
    return new LocalLayerIndex(images);
  }

  /** Per layer of `diffIds`: the other images (not `selfId`) sharing the chain up to it. */
  sharing(diffIds: readonly string[], selfId?: string): SharedLayer[] {
    // The image itself, when indexed, passes through every node of its chain: left out by identity.
    const self = selfId === undefined ? undefined : this.byId.get(selfId);
    let selfDepth = 0;
    while (self && selfDepth < Math.min(self.diffIds.length, diffIds.length) && self.diffIds[selfDepth] === diffIds[selfDepth]) selfDepth++;
    const result: SharedLayer[] = [];
    let node: ChainNode | undefined = this.root;
    diffIds.forEach((diffId, index) => {
      node = node?.children?.get(diffId);
      result.push(new SharedLayer(node?.through ?? [], index < selfDepth ? self : undefined));
    });
    return result;
  }

  /**
   * The local image the layers were built FROM: an image whose whole chain is a strict prefix.
   * One the FROM reference names wins; else the longest tagged one; else the longest.
   */
  findBase(diffIds: readonly string[], selfId?: string, fromReference?: string): BaseImageMatch | undefined {
    const wanted = fromReference ? normalizedReference(fromReference) : undefined;
    let longestTagged: { image: LocalImageLayers; depth: number } | undefined;
    let longest: { image: LocalImageLayers; depth: number } | undefined;
    let named: { image: LocalImageLayers; depth: number; name: string } | undefined;
    let node: ChainNode | undefined = this.root;
    for (let depth = 1; depth < diffIds.length; depth++) {
      node = node?.children?.get(diffIds[depth - 1]!);
      if (!node) break;
      for (const image of node.ending ?? []) {
        if (image.id === selfId) continue;
        if (wanted) {
          const name = namesReference(image, wanted);
          if (name) named = { image, depth, name };
        }
        if (image.repoTags.length && (!longestTagged || preferred(image, longestTagged.image))) longestTagged = { image, depth };
        longest = { image, depth };
      }
    }
    if (named) return { image: named.image, layerCount: named.depth, name: named.name, viaFrom: true };
    const pick = longestTagged ?? longest;
    if (!pick) return undefined;
    return { image: pick.image, layerCount: pick.depth, name: pick.image.repoTags[0] ?? shortImageId(pick.image.id), viaFrom: false };
  }
}

// Deeper always wins (the walk goes down); at the same depth, the most recent image.
function preferred(candidate: LocalImageLayers, current: LocalImageLayers): boolean {
  return candidate.diffIds.length > current.diffIds.length || (candidate.created ?? 0) >= (current.created ?? 0);
}

function normalizedReference(text: string): ImageReference | undefined {
  try {
    return withDefaultTag(parseReference(text));
  } catch {
    return undefined;
  }
}

/** The tag or digest reference of `image` that `wanted` names, as the image lists it. */
function namesReference(image: LocalImageLayers, wanted: ImageReference): string | undefined {
  const full = formatReference(wanted);
  if (wanted.digest) {
    const repository = formatReference({ domain: wanted.domain, path: wanted.path });
    return image.repoDigests?.find((digest) => {
      const ref = normalizedReference(digest);
      return ref?.digest === wanted.digest && ref !== undefined && formatReference({ domain: ref.domain, path: ref.path }) === repository;
    });
  }
  return image.repoTags.find((tag) => {
    const ref = normalizedReference(tag);
    return ref !== undefined && formatReference(ref) === full;
  });
}
