// DigestResolver over real RegistryClients whose fetch is a fake registry: one request per
// distinct reference, the TTL cache on an injected clock, the per-host limit, the engine
// fallback rules and the error texts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EngineDistribution } from '../../../src/image/distribution';
import { DigestResolveError, type DigestResolverOptions } from '../../../src/registry/digestResolver';
import { OCI_INDEX, OCI_MANIFEST } from '../../../src/registry/manifest';
import { parseReference } from '../../../src/image/reference';
import { FakeRegistries, imageManifest, indexOf, resolverFor } from './fakeRegistries';

function release(fake: FakeRegistries): () => void {
  let open!: () => void;
  fake.gate = new Promise<void>((resolve) => (open = resolve));
  return () => {
    fake.gate = undefined;
    open();
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const amd64 = imageManifest('amd64');
const arm64 = imageManifest('arm64');
const nginxIndex = indexOf([
  { platform: { os: 'linux', architecture: 'amd64' }, image: amd64 },
  { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, image: arm64 },
]);
const single = imageManifest('single');

function world(): FakeRegistries {
  const fake = new FakeRegistries();
  fake.put('nginx:1.27', nginxIndex);
  fake.putDigest('docker.io/library/nginx', amd64);
  fake.putDigest('docker.io/library/nginx', arm64);
  fake.put('ghcr.io/org/app:1', single);
  return fake;
}

describe('resolveTag', () => {
  test('a HEAD with every manifest type in Accept: index or image, from the registry', async () => {
    const fake = world();
    const resolver = resolverFor(fake);
    assert.deepEqual(await resolver.resolveTag(parseReference('nginx:1.27')), { digest: nginxIndex.digest, mediaType: OCI_INDEX, kind: 'index', source: 'registry' });
    assert.deepEqual(await resolver.resolveTag(parseReference('ghcr.io/org/app:1')), { digest: single.digest, mediaType: OCI_MANIFEST, kind: 'image', source: 'registry' });
    assert.deepEqual(fake.requests.map((r) => r.method), ['HEAD', 'HEAD']);
    for (const type of [OCI_INDEX, OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json']) {
      assert.ok(fake.requests[0]?.accept.includes(type), `Accept holds ${type}`);
    }
  });

  test('a digest in the reference is ignored; no tag means latest', async () => {
    const fake = world();
    fake.put('ghcr.io/org/app:latest', single);
    const resolver = resolverFor(fake);
    assert.equal((await resolver.resolveTag(parseReference(`nginx:1.27@${amd64.digest}`))).digest, nginxIndex.digest);
    assert.equal((await resolver.resolveTag(parseReference('ghcr.io/org/app'))).digest, single.digest);
    assert.deepEqual(fake.requests.map((r) => r.reference), ['1.27', 'latest']);
  });

  test('concurrent asks for one reference share one request', async () => {
    const fake = world();
    const resolver = resolverFor(fake);
    const open = release(fake);
    const asks = Array.from({ length: 10 }, () => resolver.resolveTag(parseReference('nginx:1.27')));
    asks.push(resolver.resolveTag(parseReference('docker.io/library/nginx:1.27')));
    await flush();
    open();
    const answers = await Promise.all(asks);
    assert.equal(fake.count(), 1);
    assert.ok(answers.every((answer) => answer.digest === nginxIndex.digest));
  });

  test('answers are kept for ttlMs on the injected clock, then asked again', async () => {
    const fake = world();
    let now = 1_000_000;
    const resolver = resolverFor(fake, { ttlMs: 60_000, now: () => now });
    await resolver.resolveTag(parseReference('nginx:1.27'));
    now += 59_999;
    await resolver.resolveTag(parseReference('nginx:1.27'));
    assert.equal(fake.count(), 1);
    now += 1;
    await resolver.resolveTag(parseReference('nginx:1.27'));
    assert.equal(fake.count(), 2);
  });

  test('the default ttl is 5 minutes', async () => {
    const fake = world();
    let now = 0;
    const resolver = resolverFor(fake, { now: () => now });
    await resolver.resolveTag(parseReference('nginx:1.27'));
    now = 5 * 60_000 - 1;
    await resolver.resolveTag(parseReference('nginx:1.27'));
    assert.equal(fake.count(), 1);
    now = 5 * 60_000;
    await resolver.resolveTag(parseReference('nginx:1.27'));
    assert.equal(fake.count(), 2);
  });

  test('failures are kept only errorTtlMs (default 10 s), and not at all with 0', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 500);
    let now = 0;
    const resolver = resolverFor(fake, { now: () => now });
    await assert.rejects(resolver.resolveTag(parseReference('nginx:1.27')));
    now = 9_999;
    await assert.rejects(resolver.resolveTag(parseReference('nginx:1.27')));
    assert.equal(fake.count(), 1);
    fake.behaviour.delete('docker.io');
    now = 10_000;
    assert.equal((await resolver.resolveTag(parseReference('nginx:1.27'))).digest, nginxIndex.digest);
    assert.equal(fake.count(), 2);

    const uncached = world();
    uncached.behaviour.set('docker.io', 500);
    const noErrorCache = resolverFor(uncached, { errorTtlMs: 0 });
    await assert.rejects(noErrorCache.resolveTag(parseReference('nginx:1.27')));
    await assert.rejects(noErrorCache.resolveTag(parseReference('nginx:1.27')));
    assert.equal(uncached.count(), 2);
  });

  test(`at most perHostConcurrency requests in flight per registry host, hosts independent`, async () => {
    const fake = new FakeRegistries();
    for (let i = 0; i < 10; i++) {
      fake.put(`registry-a.example/app:${i}`, imageManifest(`a${i}`));
      fake.put(`registry-b.example/app:${i}`, imageManifest(`b${i}`));
    }
    const resolver = resolverFor(fake);
    const open = release(fake);
    const asks = [];
    for (let i = 0; i < 10; i++) {
      asks.push(resolver.resolveTag(parseReference(`registry-a.example/app:${i}`)), resolver.resolveTag(parseReference(`registry-b.example/app:${i}`)));
    }
    await flush();
    assert.equal(fake.inFlight.get('registry-a.example'), 4);
    assert.equal(fake.inFlight.get('registry-b.example'), 4);
    open();
    await Promise.all(asks);
    assert.equal(fake.maxInFlight.get('registry-a.example'), 4);
    assert.equal(fake.maxInFlight.get('registry-b.example'), 4);
    assert.equal(fake.count(), 20);

    const two = new FakeRegistries();
    for (let i = 0; i < 5; i++) two.put(`registry-a.example/app:${i}`, imageManifest(`a${i}`));
    const narrow = resolverFor(two, { perHostConcurrency: 2 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => narrow.resolveTag(parseReference(`registry-a.example/app:${i}`))));
    assert.equal(two.maxInFlight.get('registry-a.example'), 2);
  });

  test('forget(ref) drops one repository, forget() every answer', async () => {
    const fake = world();
    const resolver = resolverFor(fake);
    const nginx = parseReference('nginx:1.27');
    const app = parseReference('ghcr.io/org/app:1');
    await Promise.all([resolver.resolveTag(nginx), resolver.resolveTag(app)]);
    resolver.forget(parseReference('nginx'));
    await Promise.all([resolver.resolveTag(nginx), resolver.resolveTag(app)]);
    assert.equal(fake.count((r) => r.repository === 'library/nginx'), 2);
    assert.equal(fake.count((r) => r.repository === 'org/app'), 1);
    resolver.forget();
    await Promise.all([resolver.resolveTag(nginx), resolver.resolveTag(app)]);
    assert.equal(fake.count(), 5);
  });
});

describe('cancellation', () => {
  test('one caller aborting does not disturb the others sharing the request', async () => {
    const fake = world();
    const resolver = resolverFor(fake);
    const open = release(fake);
    const controller = new AbortController();
    const cancelled = resolver.resolveTag(parseReference('nginx:1.27'), controller.signal);
    const kept = resolver.resolveTag(parseReference('nginx:1.27'), new AbortController().signal);
    await flush();
    controller.abort();
    await assert.rejects(cancelled, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    open();
    assert.equal((await kept).digest, nginxIndex.digest);
    await resolver.resolveTag(parseReference('nginx:1.27'));
    assert.equal(fake.count(), 1, 'the answer was cached for later asks');
  });

  test('a queued request whose callers all left is never sent, and the next ask starts afresh', async () => {
    const fake = new FakeRegistries();
    for (let i = 0; i < 5; i++) fake.put(`registry-a.example/app:${i}`, imageManifest(`a${i}`));
    const resolver = resolverFor(fake, { perHostConcurrency: 1 });
    const open = release(fake);
    const first = resolver.resolveTag(parseReference('registry-a.example/app:0'));
    const controller = new AbortController();
    const queued = resolver.resolveTag(parseReference('registry-a.example/app:1'), controller.signal);
    await flush();
    controller.abort();
    await assert.rejects(queued, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    open();
    await first;
    await flush();
    assert.deepEqual(fake.requests.map((r) => r.reference), ['0']);
    assert.ok((await resolver.resolveTag(parseReference('registry-a.example/app:1'))).digest.startsWith('sha256:'));
    assert.deepEqual(fake.requests.map((r) => r.reference), ['0', '1']);
  });

  test('an already aborted signal rejects without a request', async () => {
    const fake = world();
    await assert.rejects(resolverFor(fake).resolveTag(parseReference('nginx:1.27'), AbortSignal.abort()));
    assert.equal(fake.count(), 0);
  });
});

describe('the engine fallback', () => {
  function engineSpy(answer: EngineDistribution | Error): { calls: string[]; engineDistribution: DigestResolverOptions['engineDistribution'] } {
    const calls: string[] = [];
    return {
      calls,
      engineDistribution: (reference) => {
        calls.push(reference);
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    };
  }
  const engineIndex: EngineDistribution = { digest: nginxIndex.digest, mediaType: OCI_INDEX, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] };

  test('404: no fallback; the tag does not exist, said with the next step', async () => {
    const fake = world();
    const engine = engineSpy(engineIndex);
    const resolver = resolverFor(fake, { engineDistribution: engine.engineDistribution });
    await assert.rejects(resolver.resolveTag(parseReference('nginx:9.99')), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.equal(error.notFound, true);
      assert.match(error.message, /^nginx:9\.99 is not in docker\.io: the tag does not exist\. Check the tag/);
      return true;
    });
    assert.deepEqual(engine.calls, []);
  });

  for (const [name, behaviour] of [['connection refused', 'refused'], ['a TLS failure', 'tls'], ['401', 401], ['403', 403], ['429', 429]] as const) {
    test(`${name}: the engine answers, with its own credentials`, async () => {
      const fake = world();
      fake.behaviour.set('docker.io', behaviour);
      const engine = engineSpy(engineIndex);
      const resolver = resolverFor(fake, { engineDistribution: engine.engineDistribution });
      assert.deepEqual(await resolver.resolveTag(parseReference('nginx:1.27')), { digest: nginxIndex.digest, mediaType: OCI_INDEX, kind: 'index', source: 'engine' });
      assert.deepEqual(engine.calls, ['docker.io/library/nginx:1.27']);
    });
  }

  test('500: no fallback; the registry\'s own sentence', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 500);
    const engine = engineSpy(engineIndex);
    await assert.rejects(resolverFor(fake, { engineDistribution: engine.engineDistribution }).resolveTag(parseReference('nginx:1.27')), /library\/nginx:1\.27 on registry docker\.io: the registry answered 500/);
    assert.deepEqual(engine.calls, []);
  });

  test('no engine fallback configured: the registry\'s error', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 'refused');
    await assert.rejects(resolverFor(fake).resolveTag(parseReference('nginx:1.27')), /docker\.io: connection refused \(https:\/\/registry-1\.docker\.io: ECONNREFUSED/);
  });

  test('both fail: one short sentence (what failed, the next step); the registry\'s and the engine\'s words in the details', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 'refused');
    const engine = engineSpy(new Error('The engine cannot resolve docker.io/library/nginx:1.27: no such host. Check the network.'));
    await assert.rejects(resolverFor(fake, { engineDistribution: engine.engineDistribution }).resolveTag(parseReference('nginx:1.27')), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.equal(error.message, 'Cannot reach docker.io: connection refused. Check that the registry at docker.io is running and the port is right.');
      assert.match(error.details ?? '', /^The registry: .*ECONNREFUSED.*\nThe engine: .*no such host/);
      assert.equal(error.notFound, false);
      return true;
    });
  });

  test('offline: "Cannot reach docker.io: no network or DNS. Pin again when online." and nothing more up front', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 'no-dns');
    const engine = engineSpy(new Error('The engine cannot resolve docker.io/library/alpine:3.20: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host. Check that the engine\'s host can reach the registry (network, proxy, DNS).'));
    await assert.rejects(resolverFor(fake, { engineDistribution: engine.engineDistribution }).resolveTag(parseReference('alpine:3.20')), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.equal(error.message, 'Cannot reach docker.io: no network or DNS. Pin again when online (or check the DNS and proxy settings).');
      assert.match(error.details ?? '', /The registry: Cannot read the manifest of library\/alpine:3\.20 on registry docker\.io: no network or DNS \(.*ENOTFOUND/);
      assert.match(error.details ?? '', /\nThe engine: .*no such host/);
      return true;
    });
  });

  test('both fail with an answer (401): the registry\'s reason and next step lead', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 401);
    const engine = engineSpy(new Error('The engine cannot resolve docker.io/library/nginx:1.27: unauthorized. Log in to the registry (docker login) so the engine has credentials for it.'));
    await assert.rejects(resolverFor(fake, { engineDistribution: engine.engineDistribution }).resolveTag(parseReference('nginx:1.27')), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.match(error.message, /^Cannot resolve nginx:1\.27: authentication failed: .*; the engine could not either\. Log in with "docker login"/);
      assert.match(error.details ?? '', /\nThe engine: .*unauthorized/);
      return true;
    });
  });

  test('the registry cannot be asked and the engine says 404: the tag does not exist', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 'refused');
    const notFound = Object.assign(new Error('The engine cannot resolve docker.io/library/nginx:9.99: manifest unknown. Check the tag or digest and the repository name.'), { kind: 'not-found', statusCode: 404 });
    const engine = engineSpy(notFound);
    await assert.rejects(resolverFor(fake, { engineDistribution: engine.engineDistribution }).resolveTag(parseReference('nginx:9.99')), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.equal(error.notFound, true);
      assert.match(error.message, /^nginx:9\.99 is not in docker\.io: the tag does not exist, says the engine \(the registry could not be asked directly: connection refused \(https:\/\/registry-1\.docker\.io: ECONNREFUSED/);
      return true;
    });
  });

  test('a single image from the engine is kind image; an engine index has no platform digests', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 401);
    fake.behaviour.set('ghcr.io', 401);
    const resolver = resolverFor(fake, {
      engineDistribution: (reference) =>
        Promise.resolve(reference.startsWith('ghcr.io') ? { digest: single.digest, mediaType: OCI_MANIFEST, platforms: [{ os: 'linux', architecture: 'amd64' }] } : engineIndex),
    });
    assert.equal((await resolver.resolveTag(parseReference('ghcr.io/org/app:1'))).kind, 'image');
    const nginx = parseReference('nginx:1.27');
    const tag = await resolver.resolveTag(nginx);
    const before = fake.count();
    await assert.rejects(resolver.platforms(nginx, tag.digest), (error: unknown) => {
      assert.ok(error instanceof DigestResolveError);
      assert.match(error.message, /^The platforms of nginx:1\.27 \(sha256:[0-9a-f]{64}\) are not known: its digest came from the engine, which gives no per-platform digests/);
      assert.match(error.message, /registry could not be asked directly \(authentication failed/);
      return true;
    });
    assert.equal(fake.count(), before, 'the registry is not asked again');
  });
});

describe('platforms and digestExists', () => {
  test('platforms: one GET by digest, kept for ever (digests do not change)', async () => {
    const fake = world();
    let now = 0;
    const resolver = resolverFor(fake, { now: () => now });
    const nginx = parseReference('nginx:1.27');
    const first = await resolver.platforms(nginx, nginxIndex.digest);
    assert.deepEqual(first.map((p) => [p.os, p.architecture, p.variant, p.digest]), [
      ['linux', 'amd64', undefined, amd64.digest],
      ['linux', 'arm64', 'v8', arm64.digest],
    ]);
    now = 365 * 24 * 3600_000;
    await resolver.platforms(nginx, nginxIndex.digest);
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.reference}`), [`GET ${nginxIndex.digest}`]);
  });

  test('platforms of a single image manifest: none', async () => {
    const fake = world();
    assert.deepEqual(await resolverFor(fake).platforms(parseReference('ghcr.io/org/app:1'), single.digest), []);
  });

  test('digestExists: HEAD by digest, 404 -> false, cached like tags', async () => {
    const fake = world();
    let now = 0;
    const resolver = resolverFor(fake, { now: () => now, ttlMs: 1000 });
    const nginx = parseReference('nginx:1.27');
    assert.equal(await resolver.digestExists(nginx, amd64.digest), true);
    const gone = `sha256:${'1'.repeat(64)}`;
    assert.equal(await resolver.digestExists(nginx, gone), false);
    assert.equal(await resolver.digestExists(nginx, gone), false);
    assert.equal(fake.count(), 2);
    assert.deepEqual(fake.requests.map((r) => r.method), ['HEAD', 'HEAD']);
    now = 1000;
    assert.equal(await resolver.digestExists(nginx, gone), false);
    assert.equal(fake.count(), 3);
  });

  test('digestExists falls back to the engine too: an answer means it exists', async () => {
    const fake = world();
    fake.behaviour.set('docker.io', 401);
    const seen: string[] = [];
    const resolver = resolverFor(fake, {
      engineDistribution: (reference) => {
        seen.push(reference);
        return reference.endsWith(amd64.digest) ? Promise.resolve({ digest: amd64.digest, mediaType: OCI_MANIFEST, platforms: [] }) : Promise.reject(new Error('The engine cannot resolve it: manifest unknown. Check the tag.'));
      },
    });
    const nginx = parseReference('nginx:1.27');
    assert.equal(await resolver.digestExists(nginx, amd64.digest), true);
    assert.equal(await resolver.digestExists(nginx, `sha256:${'2'.repeat(64)}`), false);
    assert.deepEqual(seen, [`docker.io/library/nginx@${amd64.digest}`, `docker.io/library/nginx@sha256:${'2'.repeat(64)}`]);
  });
});
