// The images every suite can rely on: both builders' histories, several tags per image, a
// dangling image, an image held by a container, and (given a registry) a multi-platform index.
import * as path from 'node:path';
import { BASE_IMAGE, importBusyboxBase } from './busyboxBase';
import { type TestEngine } from './engine';
import { pushMultiPlatformIndex, type IndexFixture } from './ociIndex';
import { type TestRegistry } from './registry';

export type { IndexFixture } from './ociIndex';

/** Build context of the fixture Dockerfiles (hello.txt is COPY'd from here). */
export const FIXTURE_DIR = path.join(__dirname, 'fixtures');
export const CLASSIC_DOCKERFILE = path.join(FIXTURE_DIR, 'classic.Dockerfile');
export const BUILDKIT_DOCKERFILE = path.join(FIXTURE_DIR, 'buildkit.Dockerfile');
export const IN_USE_CONTAINER_NAME = 'layerlens-inuse';

export interface BuiltImage {
  /** The tag it was built with. */
  ref: string;
  id: string;
  builder: 'classic' | 'buildkit';
  dockerfile: string;
  /** ref plus every extra tag put on the same image. */
  tags: string[];
}

export interface FixtureSet {
  base: string;
  baseId: string;
  classic: BuiltImage;
  buildkit: BuiltImage;
  /** Tags added on classic and buildkit beyond their build tags. */
  extraTags: string[];
  /** Lost its tag to a rebuild of formerRef. */
  dangling: { id: string; formerRef: string };
  /** Image of a created (not running) container, so it cannot be removed without force. */
  inUse: { ref: string; id: string; containerId: string; containerName: string };
  /** The classic image pushed by the engine itself (registry without auth only). */
  pushed?: { ref: string; digest: string };
  /** Multi-platform OCI index pushed over the distribution API (when a registry was given). */
  index?: IndexFixture;
}

const CLASSIC_REF = 'layerlens-test/classic:1';
const BUILDKIT_REF = 'layerlens-test/buildkit:1';
const DANGLING_REF = 'layerlens-test/dangling:1';
const IN_USE_REF = 'layerlens-test/inuse:1';
// Names with a registry port in them, as pushed images have; nothing is pushed under these.
const CLASSIC_EXTRA_TAGS = ['layerlens-test/app:1.0', 'layerlens-test/app:latest', 'localhost:5000/team/app:dev'];
const BUILDKIT_EXTRA_TAGS = ['layerlens-test/app:1.1', 'localhost:5000/team/app:1.1'];

export async function createFixtureImages(engine: TestEngine, registry?: TestRegistry): Promise<FixtureSet> {
  // The index needs only the registry, so it is pushed while the engine builds.
  const [index, local] = await Promise.all([
    registry ? pushMultiPlatformIndex(registry) : Promise.resolve(undefined),
    createLocalImages(engine),
  ]);
  const pushed = registry?.auth === 'none' ? await pushWithEngine(engine, registry, local.classic) : undefined;
  return { ...local, pushed, index };
}

async function createLocalImages(engine: TestEngine): Promise<Omit<FixtureSet, 'index' | 'pushed'>> {
  const baseId = await importBusyboxBase(engine, BASE_IMAGE);
  const [classic, buildkit, dangling, inUse] = await Promise.all([
    buildFixture(engine, CLASSIC_REF, CLASSIC_DOCKERFILE, 'classic'),
    buildFixture(engine, BUILDKIT_REF, BUILDKIT_DOCKERFILE, 'buildkit'),
    createDanglingImage(engine),
    createInUseImage(engine),
  ]);
  await Promise.all([
    ...CLASSIC_EXTRA_TAGS.map((tag) => tagImage(engine, classic.id, tag)),
    ...BUILDKIT_EXTRA_TAGS.map((tag) => tagImage(engine, buildkit.id, tag)),
  ]);
  classic.tags.push(...CLASSIC_EXTRA_TAGS);
  buildkit.tags.push(...BUILDKIT_EXTRA_TAGS);
  return {
    base: BASE_IMAGE,
    baseId,
    classic,
    buildkit,
    extraTags: [...CLASSIC_EXTRA_TAGS, ...BUILDKIT_EXTRA_TAGS],
    dangling,
    inUse,
  };
}

async function buildFixture(
  engine: TestEngine,
  ref: string,
  dockerfile: string,
  builder: BuiltImage['builder'],
): Promise<BuiltImage> {
  await dockerBuild(engine, builder, ['-t', ref, '-f', dockerfile, FIXTURE_DIR]);
  return { ref, id: await imageId(engine, ref), builder, dockerfile, tags: [ref] };
}

/** Builds, then rebuilds a changed Dockerfile under the same tag: the first image loses its tag. */
async function createDanglingImage(engine: TestEngine): Promise<FixtureSet['dangling']> {
  const dockerfile = (generation: number) =>
    `FROM ${BASE_IMAGE}\nRUN echo generation-${generation} > /generation\nLABEL org.layerlens.generation="${generation}"\n`;
  await dockerBuild(engine, 'buildkit', ['-t', DANGLING_REF, '-'], dockerfile(1));
  const firstId = await imageId(engine, DANGLING_REF);
  await dockerBuild(engine, 'buildkit', ['-t', DANGLING_REF, '-'], dockerfile(2));
  const danglingIds = (await engine.docker(['images', '--filter', 'dangling=true', '--quiet', '--no-trunc'])).split('\n');
  if (!danglingIds.includes(firstId)) {
    throw new Error(`rebuilding ${DANGLING_REF} did not leave ${firstId} dangling; dangling: ${danglingIds.join(', ')}`);
  }
  return { id: firstId, formerRef: DANGLING_REF };
}

async function createInUseImage(engine: TestEngine): Promise<FixtureSet['inUse']> {
  await dockerBuild(engine, 'buildkit', ['-t', IN_USE_REF, '-'], `FROM ${BASE_IMAGE}\nRUN echo in-use > /marker\nCMD ["sh"]\n`);
  const id = await imageId(engine, IN_USE_REF);
  // --network=none: the engine runs without a bridge, so the default network does not exist.
  const containerId = await engine.docker(['create', '--network=none', '--name', IN_USE_CONTAINER_NAME, IN_USE_REF]);
  return { ref: IN_USE_REF, id, containerId, containerName: IN_USE_CONTAINER_NAME };
}

/** The classic and BuildKit images as team/app:1.0 and :1.1, pushed by the engine (logged in first when the registry wants credentials). */
export async function pushFixturesWithEngine(engine: TestEngine, registry: TestRegistry, fixtures: Pick<FixtureSet, 'classic' | 'buildkit'>): Promise<{ ref: string; digest: string }[]> {
  if (registry.username && registry.password) {
    await engine.docker(['login', '--username', registry.username, '--password-stdin', registry.host], { input: registry.password });
  }
  return Promise.all([pushWithEngine(engine, registry, fixtures.classic), pushWithEngine(engine, registry, fixtures.buildkit, 'team/app:1.1')]);
}

async function pushWithEngine(engine: TestEngine, registry: TestRegistry, image: BuiltImage, path = 'team/app:1.0'): Promise<{ ref: string; digest: string }> {
  const ref = `${registry.host}/${path}`;
  await tagImage(engine, image.id, ref);
  image.tags.push(ref);
  // 127.0.0.0/8 registries are plain-HTTP "insecure" registries to dockerd without any flag.
  await engine.docker(['push', '--quiet', ref]);
  const inspect = await engine.api<{ RepoDigests?: string[] }>('GET', `/images/${encodeURIComponent(ref)}/json`);
  const repository = splitReference(ref).repo;
  const repoDigest = inspect.RepoDigests?.find((d) => d.startsWith(`${repository}@`));
  if (!repoDigest) throw new Error(`pushed ${ref} but the engine lists no repo digest for it`);
  return { ref, digest: repoDigest.slice(repoDigest.indexOf('@') + 1) };
}

/** Dockerfile text, when given, is read from stdin (no build context). */
async function dockerBuild(
  engine: TestEngine,
  builder: BuiltImage['builder'],
  args: string[],
  dockerfileText?: string,
): Promise<void> {
  // Without --network=none BuildKit fails with "network bridge not found": this engine has no bridge.
  const builderArgs = builder === 'buildkit' ? ['--network=none'] : [];
  await engine.docker(['build', '--quiet', ...builderArgs, ...args], {
    input: dockerfileText,
    env: { DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' },
  });
}

export async function imageId(engine: TestEngine, ref: string): Promise<string> {
  const image = await engine.api<{ Id: string }>('GET', `/images/${encodeURIComponent(ref)}/json`);
  return image.Id;
}

/** Tags through the engine API (POST /images/{name}/tag), much faster than spawning `docker tag`. */
export async function tagImage(engine: TestEngine, source: string, target: string): Promise<void> {
  const { repo, tag } = splitReference(target);
  const query = new URLSearchParams({ repo, tag });
  await engine.api('POST', `/images/${encodeURIComponent(source)}/tag?${query.toString()}`);
}

/** "localhost:5000/team/app:dev" -> {repo: "localhost:5000/team/app", tag: "dev"}; the tag defaults to "latest". */
export function splitReference(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}
