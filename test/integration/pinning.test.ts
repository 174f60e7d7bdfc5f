// Pinning against real registries and a real engine: the digest the resolver reads is the one
// `docker push` printed; a retag shows as 'moved' and a deleted manifest as gone; the OCI index
// gives its own digest or one platform's; the token registry with credentials; and the engine's
// GET /distribution as the fallback when this machine cannot reach the registry but the engine can.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClients, type DockerClients } from '../../src/engine/client';
import { parseDockerHost } from '../../src/engine/connection';
import { inspectDistribution } from '../../src/engine/distribution';
import { EngineError } from '../../src/engine/errors';
import { type PinnableImage } from '../../src/pinning/pinnable';
import { pinStatus } from '../../src/pinning/pinStatus';
import { RegistryClient } from '../../src/registry/client';
import { engineAuthHeader, type RegistryCredential } from '../../src/dockerConfig/credentials';
import { DigestResolveError, DigestResolver, type DigestResolverOptions } from '../../src/registry/digestResolver';
import { parseReference } from '../../src/image/reference';
import { pushTinyImage, registryAuthHeader, startTestEnvironment, type TestEnvironment, type TestRegistry } from '../env';
import { freeLoopbackPort } from '../env/ports';
import { handmadeFromImage } from '../unit/dockerfile/handmadeImage';

let env: TestEnvironment;
let clients: DockerClients;

before(async () => {
  env = await startTestEnvironment();
  clients = await createDockerClients(parseDockerHost(env.engine.dockerHost, 'setting'));
});

after(async () => {
  await env?.stop();
});

function credentialOf(registry: TestRegistry): RegistryCredential {
  return { username: registry.username, password: registry.password };
}

function registryClient(host: string, credential?: RegistryCredential, fetchImpl?: typeof fetch): RegistryClient {
  return new RegistryClient({ host, getCredential: () => Promise.resolve(credential), fetch: fetchImpl, timeoutMs: 10_000, retries: 1, backoffMs: 20, userAgent: 'layerlens-test' });
}

/** One client per host, with the right credentials for the basic and token registries. */
function resolverWithCredentials(extra: Partial<DigestResolverOptions> = {}): DigestResolver {
  const credentials = new Map<string, RegistryCredential>([
    [env.basicRegistry.host, credentialOf(env.basicRegistry)],
    [env.tokenRegistry.host, credentialOf(env.tokenRegistry)],
  ]);
  const made = new Map<string, RegistryClient>();
  return new DigestResolver({
    clientFor: (host) => {
      let client = made.get(host);
      if (!client) made.set(host, (client = registryClient(host, credentials.get(host))));
      return client;
    },
    ...extra,
  });
}

function fromImage(text: string, platform?: string): PinnableImage {
  return handmadeFromImage(text, platform === undefined ? {} : { platform: { text: platform, expanded: platform, unresolved: [] } });
}

/** `docker push` through the engine; the digest it printed ("1: digest: sha256:... size: N"). */
async function dockerPush(source: string, reference: string): Promise<string> {
  await env.engine.docker(['tag', source, reference]);
  const output = await env.engine.docker(['push', reference]);
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
  assert.ok(digest, `docker push printed a digest: ${output}`);
  return digest;
}

async function deleteManifest(registry: TestRegistry, repository: string, digest: string): Promise<void> {
  const auth = await registryAuthHeader(registry, `repository:${repository}:delete`);
  const response = await fetch(`${registry.url}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: auth });
  await response.arrayBuffer();
  assert.equal(response.status, 202, `DELETE of ${repository}@${digest}`);
}

describe('the plain registry, pushed by the engine', () => {
  test('the fixture team/app:1.0: the digest resolveTag reads is the one docker push gave', async () => {
    const pushed = env.fixtures.pushed;
    assert.ok(pushed);
    const tag = await resolverWithCredentials().resolveTag(parseReference(pushed.ref));
    assert.deepEqual([tag.digest, tag.kind, tag.source], [pushed.digest, 'image', 'registry']);
  });

  test('pushed, retagged, deleted: current, then moved (old digest still there), then moved (gone)', async () => {
    const reference = `${env.registry.host}/pin/retag:1`;
    const first = await dockerPush(env.fixtures.classic.ref, reference);
    const resolver = resolverWithCredentials();

    const unpinned = await pinStatus(fromImage(reference), resolver, {});
    assert.ok(unpinned.kind === 'unpinned', JSON.stringify(unpinned));
    assert.deepEqual([unpinned.choice.kind, unpinned.choice.digest], ['image', first]);
    const pinned = fromImage(`${reference}@${first}`);
    assert.equal((await pinStatus(pinned, resolver, {})).kind, 'current');

    // Another image pushed to the same tag: the pin no longer follows it.
    const second = await dockerPush(env.fixtures.buildkit.ref, reference);
    assert.notEqual(second, first);
    assert.equal((await pinStatus(pinned, resolver, {})).kind, 'current', 'cached for the ttl: no second request');
    resolver.forget(parseReference(reference));
    const moved = await pinStatus(pinned, resolver, {});
    assert.deepEqual(moved.kind === 'moved' && [moved.pinned, moved.choice.digest, moved.pinnedStillExists], [first, second, true]);

    await deleteManifest(env.registry, 'pin/retag', first);
    resolver.forget(parseReference(reference));
    const gone = await pinStatus(pinned, resolver, {});
    assert.deepEqual(gone.kind === 'moved' && [gone.choice.digest, gone.pinnedStillExists], [second, false]);
    assert.deepEqual(await pinStatus(fromImage(`${env.registry.host}/pin/retag@${first}`), resolver, {}), { kind: 'digest-only', pinned: first, exists: false });
    assert.deepEqual(await pinStatus(fromImage(`${env.registry.host}/pin/retag@${second}`), resolver, {}), { kind: 'digest-only', pinned: second, exists: true });
  });

  test('a tag that does not exist: said so, and the engine is not asked', async () => {
    const asked: string[] = [];
    const resolver = resolverWithCredentials({ engineDistribution: (reference) => (asked.push(reference), Promise.reject(new Error('not expected'))) });
    const result = await pinStatus(fromImage(`${env.registry.host}/team/app:9.99`), resolver, {});
    assert.deepEqual(result, {
      kind: 'error',
      message: `${env.registry.host}/team/app:9.99 is not in ${env.registry.host}: the tag does not exist. Check the tag (the Registries view lists a repository's tags) and the repository name.`,
    });
    assert.deepEqual(asked, []);
  });
});

describe('the OCI index fixture (multi/platform:1)', () => {
  test('the index digest by default; the platform\'s own digest with a pin platform or a literal --platform', async () => {
    const index = env.fixtures.index;
    assert.ok(index);
    const resolver = resolverWithCredentials();
    const arm64 = index.manifests.find((m) => m.platform === 'linux/arm64');
    const amd64 = index.manifests.find((m) => m.platform === 'linux/amd64');
    assert.ok(arm64 && amd64);

    const byDefault = await pinStatus(fromImage(index.reference), resolver, {});
    assert.deepEqual(byDefault.kind === 'unpinned' && [byDefault.choice.kind, byDefault.choice.digest, byDefault.choice.tag.kind], ['index', index.digest, 'index']);
    const option = await pinStatus(fromImage(index.reference), resolver, { platform: 'linux/arm64' });
    assert.deepEqual(option.kind === 'unpinned' && [option.choice.kind, option.choice.digest, option.choice.platform], ['platform', arm64.digest, 'linux/arm64']);
    const literal = await pinStatus(fromImage(index.reference, 'linux/amd64'), resolver, { platform: 'linux/arm64' });
    assert.deepEqual(literal.kind === 'unpinned' && [literal.choice.kind, literal.choice.digest], ['platform', amd64.digest]);
    const missing = await pinStatus(fromImage(index.reference, 'linux/s390x'), resolver, {});
    assert.deepEqual(missing, { kind: 'error', message: `${index.reference} has no linux/s390x image: its index holds linux/amd64, linux/arm64. Change --platform to one of those.` });

    const platformPin = await pinStatus(fromImage(`${index.reference}@${arm64.digest}`), resolver, {});
    assert.deepEqual(platformPin.kind === 'current' && [platformPin.choice.kind, platformPin.choice.platform], ['platform', 'linux/arm64']);
  });
});

describe('registries with auth', () => {
  test('the token registry, with credentials: the digest pushed', async () => {
    const pushed = await pushTinyImage(env.tokenRegistry, 'secure/base', '3.19');
    const tag = await resolverWithCredentials().resolveTag(parseReference(`${env.tokenRegistry.host}/secure/base:3.19`));
    assert.deepEqual([tag.digest, tag.kind, tag.source], [pushed.digest, 'image', 'registry']);
  });

  test('the basic registry, with credentials: the digest pushed; without them and no engine: the login hint', async () => {
    const pushed = await pushTinyImage(env.basicRegistry, 'private/base', '1');
    const reference = parseReference(`${env.basicRegistry.host}/private/base:1`);
    assert.equal((await resolverWithCredentials().resolveTag(reference)).digest, pushed.digest);
    const anonymous = new DigestResolver({ clientFor: (host) => registryClient(host) });
    await assert.rejects(anonymous.resolveTag(reference), /authentication failed: .*docker login/);
  });

  test('inspectDistribution sends X-Registry-Auth: the basic registry answers with it, and says 401 without it', async () => {
    const pushed = await pushTinyImage(env.basicRegistry, 'private/engine', '1');
    const reference = `${env.basicRegistry.host}/private/engine:1`;
    const auth = engineAuthHeader(credentialOf(env.basicRegistry), env.basicRegistry.host);
    const answer = await inspectDistribution(clients.calls, reference, auth);
    assert.equal(answer.digest, pushed.digest);
    await assert.rejects(inspectDistribution(clients.calls, reference), (error: unknown) => {
      assert.ok(error instanceof EngineError, String(error));
      assert.match(error.message, new RegExp(`^The engine cannot resolve ${reference.replace(/[.]/g, '\\.')}: .*(401|[Uu]nauthorized|no basic auth).*Log in`));
      return true;
    });
  });
});

describe('the engine fallback', () => {
  // The realistic case: the engine runs where the registry is reachable (a remote DOCKER_HOST on
  // the build network, a VM with the company's registry routes) and this machine cannot reach
  // it. Here the registry client's connections go to a closed loopback port (as a dead proxy on
  // this machine would), while the engine, on its own network path, reaches the registry.
  async function unreachableFetch(): Promise<typeof fetch> {
    const closed = await freeLoopbackPort();
    return (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      url.host = `127.0.0.1:${closed}`;
      return fetch(url, init);
    };
  }

  test('connection refused here, the engine answers: its digest, source engine', async () => {
    const deadEnd = await unreachableFetch();
    const asked: string[] = [];
    const resolver = new DigestResolver({
      clientFor: (host) => registryClient(host, undefined, deadEnd),
      engineDistribution: (reference, signal) => {
        asked.push(reference);
        return inspectDistribution(clients.calls, reference, undefined, signal);
      },
    });
    const pushed = env.fixtures.pushed;
    assert.ok(pushed);
    const tag = await resolver.resolveTag(parseReference(pushed.ref));
    assert.deepEqual([tag.digest, tag.kind, tag.source], [pushed.digest, 'image', 'engine']);
    assert.deepEqual(asked, [`${pushed.ref}`]);

    const index = env.fixtures.index;
    assert.ok(index);
    const status = await pinStatus(fromImage(index.reference), resolver, {});
    assert.deepEqual(status.kind === 'unpinned' && [status.choice.kind, status.choice.digest, status.choice.tag.source], ['index', index.digest, 'engine']);
    const withPlatform = await pinStatus(fromImage(index.reference), resolver, { platform: 'linux/arm64' });
    assert.ok(withPlatform.kind === 'error');
    assert.match(withPlatform.message, /came from the engine, which gives no per-platform digests, because the registry could not be asked directly \(connection refused \(http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);

    // Whether a pinned digest still exists, through the engine as well.
    const existing = await pinStatus(fromImage(`${env.registry.host}/team/app@${pushed.digest}`), resolver, {});
    assert.deepEqual(existing, { kind: 'digest-only', pinned: pushed.digest, exists: true });
    const gone = `sha256:${'0'.repeat(64)}`;
    const missing = await pinStatus(fromImage(`${env.registry.host}/team/app@${gone}`), resolver, {});
    assert.deepEqual(missing, { kind: 'digest-only', pinned: gone, exists: false });
  });

  test('the engine reaches the registry and it has no such tag: the tag does not exist', async () => {
    const deadEnd = await unreachableFetch();
    const resolver = new DigestResolver({
      clientFor: (host) => registryClient(host, undefined, deadEnd),
      engineDistribution: (reference, signal) => inspectDistribution(clients.calls, reference, undefined, signal),
    });
    const reference = `${env.registry.host}/team/app:9.99`;
    await assert.rejects(resolver.resolveTag(parseReference(reference)), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError, String(error));
      assert.equal(error.notFound, true);
      assert.match(error.message, /the tag does not exist, says the engine \(the registry could not be asked directly: connection refused \(http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
      return true;
    });
  });

  test('neither can (the registry is down for both): one short sentence leads; this machine\'s reason and the engine\'s are the details', async () => {
    const resolver = new DigestResolver({
      clientFor: (host) => registryClient(host),
      engineDistribution: (reference, signal) => inspectDistribution(clients.calls, reference, undefined, signal),
    });
    const reference = `127.0.0.1:${await freeLoopbackPort()}/team/app:1`;
    await assert.rejects(resolver.resolveTag(parseReference(reference)), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError, String(error));
      const host = reference.split('/')[0]!;
      assert.equal(error.message, `Cannot reach ${host}: connection refused. Check that the registry at ${host} is running and the port is right.`);
      assert.match(error.details ?? '', /^The registry: .*: connection refused \(.*ECONNREFUSED/);
      assert.match(error.details ?? '', new RegExp(`\\nThe engine: The engine cannot resolve ${reference.replace(/[.]/g, '\\.')}: .*connection refused`));
      console.log(`# ${error.message}\n# ${error.details}`);
      return true;
    });
  });
});
