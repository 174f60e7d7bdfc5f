// The registry client against real distribution 2.8.2 registries (none/basic/token auth), and
// against a fault proxy in front of the plain one: 500s, 429s, an altered manifest byte and a
// redirect of blob GETs to another origin (which must not get the Authorization header).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RegistryClient, RegistryError, type RegistryClientOptions } from '../../src/registry/client';
import { type RegistryCredential } from '../../src/dockerConfig/credentials';
import { parseReference } from '../../src/image/reference';
import { pushTinyImage, putManifest, startTestEnvironment, startTestRegistry, type TestEnvironment, type TestRegistry } from '../env';
import { startFaultProxy, startHeaderRecorder } from '../env/faultProxy';

const TAG_COUNT = 3000;
const PUSH_CONCURRENCY = 16;

let env: TestEnvironment;

before(async () => {
  env = await startTestEnvironment();
});

after(async () => {
  await env?.stop();
});

function clientFor(registry: { host: string }, credential?: RegistryCredential, extra: Partial<RegistryClientOptions> = {}): RegistryClient {
  return new RegistryClient({
    host: registry.host,
    getCredential: () => Promise.resolve(credential),
    timeoutMs: 10_000,
    retries: 3,
    backoffMs: 20,
    userAgent: 'layerlens-test',
    ...extra,
  });
}

function rightCredential(registry: TestRegistry): RegistryCredential {
  return { username: registry.username, password: registry.password };
}

async function collect(items: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `work` for each item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe('ping', () => {
  test('the registry without auth answers ok', async () => {
    assert.deepEqual(await clientFor(env.registry).ping(), { ok: true, status: 200 });
  });

  test('the Basic registry needs auth, with a Basic challenge', async () => {
    const result = await clientFor(env.basicRegistry).ping();
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.challenges.some((c) => c.scheme === 'basic' && c.params.realm === 'basic-realm'));
  });

  test('the token registry needs auth, with a Bearer challenge naming the realm and service', async () => {
    const result = await clientFor(env.tokenRegistry).ping();
    assert.ok(!result.ok);
    const bearer = result.challenges.find((c) => c.scheme === 'bearer');
    assert.equal(bearer?.params.realm, env.tokenRegistry.tokenRealm);
    assert.equal(bearer?.params.service, env.tokenRegistry.tokenService);
  });
});

describe('catalog and tags', () => {
  test('catalog pages through Link headers with a small page size', async () => {
    const extra = ['paging/a', 'paging/b', 'paging/c', 'paging/d', 'paging/e'];
    await Promise.all(extra.map((repository) => pushTinyImage(env.registry, repository, '1')));
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(input, init);
    };
    const repositories = await collect(clientFor(env.registry, undefined, { pageSize: 2, fetch: counting }).catalog());
    for (const repository of [...extra, 'team/app', 'multi/platform']) assert.ok(repositories.includes(repository), `${repository} in ${repositories.join(', ')}`);
    assert.equal(new Set(repositories).size, repositories.length, 'no repository twice');
    const pages = urls.filter((url) => url.includes('/v2/_catalog'));
    assert.ok(pages.length >= Math.ceil(repositories.length / 2), `${pages.length} pages for ${repositories.length} repositories`);
    assert.ok(pages.slice(1).every((url) => url.includes('last=')), 'later pages continue after the last one');
  });

  test(`tags: ${TAG_COUNT} tags on one repository, all listed once, in a bounded number of requests`, async () => {
    const repository = 'many/tags';
    const started = Date.now();
    const { manifest, auth } = await pushTinyImage(env.registry, repository, 't0');
    const tags = Array.from({ length: TAG_COUNT }, (_, i) => `t${i}`);
    await eachLimited(tags.slice(1), PUSH_CONCURRENCY, (tag) => putManifest(env.registry, repository, tag, manifest, auth));
    const pushMs = Date.now() - started;
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const listStarted = Date.now();
    const listed = await collect(clientFor(env.registry, undefined, { pageSize: 100, fetch: counting }).tags(repository));
    assert.equal(listed.length, TAG_COUNT);
    assert.deepEqual(new Set(listed), new Set(tags));
    // distribution 2.8.2 ignores n on tags/list: one full answer, then one more ask that brings nothing new.
    assert.ok(requests <= TAG_COUNT / 100 + 2, `${requests} requests`);
    console.log(`# pushed ${TAG_COUNT} tags in ${pushMs} ms; listed them in ${Date.now() - listStarted} ms with ${requests} requests`);
  });

  test('tags of a repository that does not exist: NAME_UNKNOWN with the next step', async () => {
    await assert.rejects(collect(clientFor(env.registry).tags('no/such-repo')), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'NAME_UNKNOWN');
      assert.match(error.message, new RegExp(`no/such-repo on registry ${env.registry.host.replace(/\./g, '\\.')}`));
      return true;
    });
  });
});

describe('manifests', () => {
  test('HEAD and GET of the OCI index: two platforms, digests verified', async () => {
    const index = env.fixtures.index;
    assert.ok(index);
    const client = clientFor(env.registry);
    const head = await client.headManifest(index.repository, index.tag);
    assert.equal(head.digest, index.digest);
    assert.equal(head.mediaType, index.mediaType);
    const manifest = await client.getManifest(index.repository, index.tag);
    assert.equal(manifest.kind, 'index');
    assert.equal(manifest.digest, index.digest);
    assert.equal(manifest.size, head.size);
    assert.ok(manifest.kind === 'index');
    assert.deepEqual(manifest.platforms.map((p) => `${p.os}/${p.architecture}`), index.platforms);
    assert.deepEqual(manifest.platforms.map((p) => p.digest), index.manifests.map((m) => m.digest));
    const byDigest = await client.getManifest(index.repository, index.digest);
    assert.equal(byDigest.digest, index.digest);
    const platform = await client.getManifest(index.repository, index.manifests[1]?.digest ?? '');
    assert.ok(platform.kind === 'image');
    assert.equal(platform.architecture, 'arm64');
    assert.equal(platform.created, '2024-01-01T00:00:00Z');
  });

  test('HEAD and GET of the image the engine pushed: config gives os, architecture, created, size', async () => {
    const pushed = env.fixtures.pushed;
    assert.ok(pushed);
    const ref = parseReference(pushed.ref);
    const client = clientFor(env.registry);
    const head = await client.headManifest(ref.path, ref.tag ?? 'latest');
    assert.equal(head.digest, pushed.digest);
    assert.equal(head.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    const manifest = await client.getManifest(ref.path, ref.tag ?? 'latest');
    assert.ok(manifest.kind === 'image');
    assert.equal(manifest.digest, pushed.digest);
    assert.equal(manifest.os, 'linux');
    assert.ok(manifest.architecture && manifest.architecture.length > 0);
    assert.ok(manifest.created && !Number.isNaN(Date.parse(manifest.created)), `created ${manifest.created}`);
    assert.ok(manifest.layers.length > 0);
    assert.equal(manifest.totalSize, manifest.layers.reduce((sum, layer) => sum + layer.size, 0));
    assert.ok(manifest.totalSize > 0);
  });

  test('a tag that does not exist: MANIFEST_UNKNOWN', async () => {
    await assert.rejects(clientFor(env.registry).getManifest('team/app', 'no-such-tag'), (error: unknown) => error instanceof RegistryError && error.code === 'MANIFEST_UNKNOWN' && /team\/app:no-such-tag/.test(error.message));
  });
});

describe('authenticated registries', () => {
  for (const which of ['basic', 'token'] as const) {
    const registryOf = (): TestRegistry => (which === 'basic' ? env.basicRegistry : env.tokenRegistry);

    test(`${which}: the right credentials read a repository`, async () => {
      const registry = registryOf();
      const pushed = await pushTinyImage(registry, 'secure/tiny', '1');
      const client = clientFor(registry, rightCredential(registry));
      assert.deepEqual(await collect(client.tags('secure/tiny')), ['1']);
      const head = await client.headManifest('secure/tiny', '1');
      assert.equal(head.digest, pushed.digest);
      const manifest = await client.getManifest('secure/tiny', '1');
      assert.ok(manifest.kind === 'image' && manifest.os === 'linux' && manifest.totalSize === 0);
    });

    test(`${which}: wrong credentials fail with a clear 401 that holds no secret`, async () => {
      const registry = registryOf();
      const secret = 'wrong-password-do-not-show';
      const client = clientFor(registry, { username: registry.username, password: secret });
      await assert.rejects(client.headManifest('secure/tiny', '1'), (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.status, 401);
        assert.equal(error.code, 'UNAUTHORIZED');
        assert.ok(!error.message.includes(secret), error.message);
        assert.ok(!error.message.includes(Buffer.from(`${registry.username}:${secret}`).toString('base64')));
        assert.match(error.message, new RegExp(`docker login ${registry.host.replace(/\./g, '\\.')}`));
        assert.ok(error.message.includes(registry.host));
        return true;
      });
    });
  }

  test('token: the token is cached per scope while it is valid', async () => {
    const registry = env.tokenRegistry;
    await pushTinyImage(registry, 'secure/cached', '1');
    const client = clientFor(registry, rightCredential(registry));
    const count = (): number => registry.tokenRequestCount?.() ?? -1;
    assert.ok(count() >= 0, 'the token registry counts token requests');
    await client.headManifest('secure/cached', '1');
    const afterFirst = count();
    for (let i = 0; i < 5; i++) await client.headManifest('secure/cached', '1');
    await client.getManifest('secure/cached', '1');
    await collect(client.tags('secure/cached'));
    assert.equal(count(), afterFirst, 'no new token requests for the same scope');
    await collect(client.catalog());
    assert.equal(count(), afterFirst + 1, 'a new scope asks once');
  });

  test('token: an anonymous client gets a token that grants nothing, and a clear error', async () => {
    await assert.rejects(clientFor(env.tokenRegistry).headManifest('secure/tiny', '1'), (error: unknown) => error instanceof RegistryError && error.status === 401 && /docker login/.test(error.message));
  });
});

describe('fault proxy', () => {
  test('500 twice, then the answer: retried', async () => {
    const proxy = await startFaultProxy(env.registry.url);
    try {
      proxy.addRule({ path: /\/manifests\//, action: { kind: 'status', status: 500, times: 2 } });
      const index = env.fixtures.index;
      assert.ok(index);
      const head = await clientFor(proxy).headManifest(index.repository, index.tag);
      assert.equal(head.digest, index.digest);
      assert.deepEqual(proxy.requests.map((r) => r.outcome), ['status:500', 'status:500', 'forward']);
    } finally {
      await proxy.close();
    }
  });

  test('500 more often than the retries allow: a 500 error', async () => {
    const proxy = await startFaultProxy(env.registry.url);
    try {
      proxy.addRule({ path: /\/manifests\//, action: { kind: 'status', status: 500, times: 10 } });
      await assert.rejects(clientFor(proxy, undefined, { retries: 2 }).headManifest('team/app', '1.0'), (error: unknown) => error instanceof RegistryError && error.status === 500 && /try again later/.test(error.message));
      assert.equal(proxy.requests.length, 3);
    } finally {
      await proxy.close();
    }
  });

  test('429 with Retry-After: waited for, then the answer', async () => {
    const proxy = await startFaultProxy(env.registry.url);
    try {
      proxy.addRule({ path: /\/tags\/list/, action: { kind: 'status', status: 429, times: 1, headers: { 'Retry-After': '1' } } });
      const started = Date.now();
      const tags = await collect(clientFor(proxy).tags('team/app'));
      assert.ok(tags.includes('1.0'));
      assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    } finally {
      await proxy.close();
    }
  });

  test('429 with a Retry-After past the cap: TOOMANYREQUESTS at once', async () => {
    const proxy = await startFaultProxy(env.registry.url);
    try {
      proxy.addRule({ path: /\/tags\/list/, action: { kind: 'status', status: 429, times: 5, headers: { 'Retry-After': '600' } } });
      await assert.rejects(collect(clientFor(proxy, undefined, { maxRetryAfterMs: 5000 }).tags('team/app')), (error: unknown) => error instanceof RegistryError && error.code === 'TOOMANYREQUESTS' && /600 s/.test(error.message));
      assert.equal(proxy.requests.length, 1);
    } finally {
      await proxy.close();
    }
  });

  test('one altered byte in a manifest: refused, naming both digests', async () => {
    const proxy = await startFaultProxy(env.registry.url);
    try {
      proxy.addRule({ path: /\/manifests\//, method: 'GET', action: { kind: 'corrupt' } });
      const index = env.fixtures.index;
      assert.ok(index);
      await assert.rejects(clientFor(proxy).getManifest(index.repository, index.tag), (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.code, 'DIGEST_MISMATCH');
        assert.ok(error.message.includes(index.digest), error.message);
        assert.match(error.message, /its bytes have the digest sha256:[0-9a-f]{64}/);
        return true;
      });
    } finally {
      await proxy.close();
    }
  });

  test('a blob GET redirected to another origin does not carry the Authorization header there', async () => {
    const credentials = { username: 'proxy-user', password: 'proxy-secret' };
    const proxy = await startFaultProxy(env.registry.url, { basicAuth: credentials });
    const recorder = await startHeaderRecorder(env.registry.url);
    try {
      proxy.addRule({ path: /\/blobs\//, method: 'GET', action: { kind: 'redirect', toOrigin: recorder.url } });
      const pushed = env.fixtures.pushed;
      assert.ok(pushed);
      const ref = parseReference(pushed.ref);
      const manifest = await clientFor(proxy, credentials).getManifest(ref.path, ref.tag ?? 'latest');
      assert.ok(manifest.kind === 'image' && manifest.os === 'linux');
      assert.ok(proxy.requests.some((r) => r.outcome === 'redirect' && r.headers.authorization !== undefined), 'the proxy got the credentials');
      assert.equal(recorder.requests.length, 1);
      assert.match(recorder.requests[0]?.path ?? '', /\/blobs\/sha256:/);
      assert.equal(recorder.requests[0]?.headers.authorization, undefined);
    } finally {
      await recorder.close();
      await proxy.close();
    }
  });
});

describe('deleteManifest', () => {
  test('deleting by digest removes the manifest; its tag then answers MANIFEST_UNKNOWN; a tag is refused as the argument', async () => {
    const client = new RegistryClient({ host: env.registry.host, getCredential: () => Promise.resolve(undefined) });
    const reference = `${env.registry.host}/delete/me:1`;
    await env.engine.docker(['tag', env.fixtures.base, reference]);
    await env.engine.docker(['push', reference]);
    const head = await client.headManifest('delete/me', '1');
    await assert.rejects(client.deleteManifest('delete/me', '1'), (error: unknown) => error instanceof RegistryError && error.code === 'DIGEST_INVALID');
    await client.deleteManifest('delete/me', head.digest);
    await assert.rejects(client.headManifest('delete/me', '1'), (error: unknown) => error instanceof RegistryError && error.status === 404);
  });
});

describe('token expiry against the real token server', () => {
  test('a token past its expires_in is fetched again, and the next request goes through', async () => {
    const shortLived = await startTestRegistry({ auth: 'token', tokenTtlSeconds: 2 });
    try {
      await pushTinyImage(shortLived, 'expiry/app', '1');
      const client = new RegistryClient({ host: shortLived.host, getCredential: () => Promise.resolve({ username: shortLived.username, password: shortLived.password }) });
      await client.headManifest('expiry/app', '1');
      const afterFirst = shortLived.tokenRequestCount!();
      await client.headManifest('expiry/app', '1');
      assert.equal(shortLived.tokenRequestCount!(), afterFirst, 'a fresh token is reused');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const head = await client.headManifest('expiry/app', '1');
      assert.match(head.digest, /^sha256:/);
      assert.ok(shortLived.tokenRequestCount!() > afterFirst, 'an expired token was replaced');
    } finally {
      await shortLived.stop();
    }
  });
});
