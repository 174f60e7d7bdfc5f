// Local images through the Engine API, returned as our own models.

import type Dockerode from 'dockerode';

export interface ContainerUse {
  id: string;
  /** The container's name without the leading slash. */
  name: string;
  state: string;
}

export interface LocalImage {
  /** `sha256:<64 hex>` */
  id: string;
  /** As the engine reports them: `nginx:1.27`, `localhost:5000/app:1`, `docker.io/library/x:y` (Podman). */
  repoTags: string[];
  repoDigests: string[];
  /** Milliseconds since the epoch. */
  created: number;
  size: number;
  labels: Record<string, string>;
  /** Containers (running or not) created from this image. */
  containers: ContainerUse[];
}

interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: number;
  Size: number;
  Labels?: Record<string, string> | null;
}

interface ContainerSummary {
  Id: string;
  Names?: string[] | null;
  ImageID?: string;
  State?: string;
}

const NO_TAG = '<none>:<none>';
const NO_DIGEST = '<none>@<none>';

export type ContainerUseKind = 'running' | 'stopped' | 'none';

/** Whether any container of the image runs; a created, exited or paused one only holds the image. */
export function containerUseKind(containers: readonly ContainerUse[]): ContainerUseKind {
  if (containers.some((container) => container.state === 'running')) return 'running';
  return containers.length ? 'stopped' : 'none';
}

/** What a row says of the image's containers: `running`, `used by a stopped container`, or nothing. */
export function containerUseText(containers: readonly ContainerUse[]): string | undefined {
  const kind = containerUseKind(containers);
  if (kind === 'running') return 'running';
  if (kind === 'stopped') return containers.length === 1 ? 'used by a stopped container' : `used by ${containers.length} stopped containers`;
  return undefined;
}

/** RepoTags without the engine's `<none>:<none>` placeholder. */
export function realTags(tags: readonly string[] | null | undefined): string[] {
  return (tags ?? []).filter((tag) => tag !== NO_TAG);
}

/** RepoDigests without the engine's `<none>@<none>` placeholder. */
export function realDigests(digests: readonly string[] | null | undefined): string[] {
  return (digests ?? []).filter((digest) => digest !== NO_DIGEST);
}

/** GET /images/json and GET /containers/json?all=1, side by side: one round trip of latency. */
export async function listLocalImages(docker: Dockerode): Promise<LocalImage[]> {
  const [images, containers] = await Promise.all([
    docker.listImages() as Promise<ImageSummary[]>,
    docker.listContainers({ all: true }) as Promise<ContainerSummary[]>,
  ]);
  return toLocalImages(images, containers);
}

export function toLocalImages(images: ImageSummary[], containers: ContainerSummary[]): LocalImage[] {
  const usage = new Map<string, ContainerUse[]>();
  for (const container of containers) {
    if (!container.ImageID) continue;
    const list = usage.get(container.ImageID) ?? [];
    list.push({ id: container.Id, name: (container.Names?.[0] ?? container.Id.slice(0, 12)).replace(/^\//, ''), state: container.State ?? 'unknown' });
    usage.set(container.ImageID, list);
  }
  return images.map((image) => ({
    id: image.Id,
    repoTags: realTags(image.RepoTags),
    repoDigests: realDigests(image.RepoDigests),
    created: image.Created * 1000,
    size: image.Size,
    labels: image.Labels ?? {},
    containers: usage.get(image.Id) ?? [],
  }));
}

/** The full `docker image inspect` document. */
export async function inspectImage(docker: Dockerode, nameOrId: string): Promise<Record<string, unknown>> {
  return (await docker.getImage(nameOrId).inspect()) as unknown as Record<string, unknown>;
}

export interface RemovedImage {
  untagged: string[];
  deleted: string[];
}

/**
 * DELETE /images/{name}: for a tag, removes that tag (and the image when it was the last
 * reference), as `docker rmi name:tag` does; for an ID, the image.
 */
export async function removeImage(docker: Dockerode, nameOrId: string, options: { force?: boolean } = {}): Promise<RemovedImage> {
  const result = (await docker.getImage(nameOrId).remove({ force: options.force ?? false, noprune: false })) as Array<{ Untagged?: string; Deleted?: string }> | undefined;
  return summarizeRemoval(result ?? []);
}

export interface PruneResult extends RemovedImage {
  spaceReclaimed: number;
}

/** POST /images/prune?filters={"dangling":["true"]}: images with neither tag nor digest, not used by containers. */
export async function pruneDanglingImages(docker: Dockerode): Promise<PruneResult> {
  const result = (await docker.pruneImages({ filters: { dangling: ['true'] } })) as { ImagesDeleted?: Array<{ Untagged?: string; Deleted?: string }> | null; SpaceReclaimed?: number };
  return { ...summarizeRemoval(result.ImagesDeleted ?? []), spaceReclaimed: result.SpaceReclaimed ?? 0 };
}

function summarizeRemoval(items: Array<{ Untagged?: string; Deleted?: string }>): RemovedImage {
  return {
    untagged: items.flatMap((item) => (item.Untagged ? [item.Untagged] : [])),
    deleted: items.flatMap((item) => (item.Deleted ? [item.Deleted] : [])),
  };
}

/** POST /images/{source}/tag: gives the image another name (`docker tag`). */
export async function tagImage(docker: Dockerode, source: string, target: { repository: string; tag: string }): Promise<void> {
  await docker.getImage(source).tag({ repo: target.repository, tag: target.tag });
}

/** POST /auth: the engine checks credentials against the registry, as `docker login` does. */
export async function checkRegistryLogin(docker: Dockerode, login: { username: string; password: string; serveraddress: string }): Promise<string | undefined> {
  const result = (await docker.checkAuth(login)) as { Status?: string; IdentityToken?: string };
  return result.IdentityToken || undefined;
}
