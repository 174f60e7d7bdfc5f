// The registry client's pure parts, and the behaviour that needs no real server: an injected
// fetch plays the registry.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { parseWwwAuthenticate, RegistryAuthenticator, tokenLifetimeMs } from '../../../src/registry/auth';
import { isLoopbackHost, RegistryClient, RegistryError, registryBaseUrl } from '../../../src/registry/client';
import { type RegistryCredential } from '../../../src/dockerConfig/credentials';
import { networkError, parseRetryAfter } from '../../../src/registry/httpErrors';
import { KnownRegistries } from '../../../src/image/registryReach';
import { computeDigest, digestMismatch, OCI_INDEX } from '../../../src/registry/manifest';
import { nextPageUrl, paginate, parseLinkNext } from '../../../src/registry/paging';

describe('parseWwwAuthenticate', () => {
  const cases: [string, string, { scheme: string; params: Record<string, string> }[]][] = [
    [
      'Bearer with realm, service and scope',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } }],
    ],
    [
      'a quoted value holding commas',
      'Bearer realm="https://a/t", scope="repository:x:pull,push", service=reg',
      [{ scheme: 'bearer', params: { realm: 'https://a/t', scope: 'repository:x:pull,push', service: 'reg' } }],
    ],
    ['Basic realm', 'Basic realm="basic-realm"', [{ scheme: 'basic', params: { realm: 'basic-realm' } }]],
    [
      'several challenges',
      'Basic realm="r1", Bearer realm="https://t/token",service="s", Negotiate',
      [
        { scheme: 'basic', params: { realm: 'r1' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
        { scheme: 'negotiate', params: {} },
      ],
    ],
    ['escapes in quotes and odd case', 'BEARER Realm="a\\"b"', [{ scheme: 'bearer', params: { realm: 'a"b' } }]],
    ['a token68', 'Negotiate abc==, Basic realm="x"', [{ scheme: 'negotiate', params: { token68: 'abc==' } }, { scheme: 'basic', params: { realm: 'x' } }]],
    ['empty', '', []],
  ];
  for (const [name, header, expected] of cases) {
    test(name, () => assert.deepEqual(parseWwwAuthenticate(header), expected));
  }
});

describe('Link header and paging', () => {
  test('parseLinkNext', () => {
    assert.equal(parseLinkNext('</v2/_catalog?last=b&n=2>; rel="next"'), '/v2/_catalog?last=b&n=2');
    assert.equal(parseLinkNext('<https://r.example/v2/x/tags/list?n=2&last=a>; rel=next'), 'https://r.example/v2/x/tags/list?n=2&last=a');
    assert.equal(parseLinkNext('</prev>; rel="prev", </next>; rel="next"'), '/next');
    assert.equal(parseLinkNext('</a>; rel="prev next"'), '/a');
    assert.equal(parseLinkNext('</prev>; rel="prev"'), undefined);
    assert.equal(parseLinkNext(null), undefined);
  });

  test('nextPageUrl: the link (relative to the page), else last= after a full page', () => {
    const current = new URL('http://127.0.0.1:5000/v2/_catalog?n=2');
    assert.equal(nextPageUrl(current, '</v2/_catalog?last=b&n=2>; rel="next"', ['a', 'b'], 2)?.href, 'http://127.0.0.1:5000/v2/_catalog?last=b&n=2');
    assert.equal(nextPageUrl(current, null, ['a', 'b'], 2)?.href, 'http://127.0.0.1:5000/v2/_catalog?n=2&last=b');
    assert.equal(nextPageUrl(current, null, ['a'], 2), undefined);
  });

  test('paginate asks once when a registry ignores n and sends more (distribution 2.8 tags/list)', async () => {
    let calls = 0;
    const items: string[] = [];
    for await (const item of paginate({
      first: new URL('http://r/v2/x/tags/list?n=2'),
      pageSize: 2,
      fetchPage: () => {
        calls++;
        return Promise.resolve({ items: ['a', 'b', 'c'], link: null });
      },
      refuseOrigin: () => assert.fail('no other origin here'),
    })) {
      items.push(item);
    }
    assert.deepEqual(items, ['a', 'b', 'c']);
    assert.equal(calls, 1);
  });

  test('paginate stops when a registry honours n but ignores last (every page the same)', async () => {
    let calls = 0;
    const items: string[] = [];
    for await (const item of paginate({
      first: new URL('http://r/v2/x/tags/list?n=2'),
      pageSize: 2,
      fetchPage: () => {
        calls++;
        return Promise.resolve({ items: ['a', 'b'], link: null });
      },
      refuseOrigin: () => assert.fail('no other origin here'),
    })) {
      items.push(item);
    }
    assert.deepEqual(items, ['a', 'b']);
    assert.equal(calls, 2);
  });

  test('paginate refuses a next link to another origin', async () => {
    const walk = async (): Promise<void> => {
      for await (const _ of paginate({
        first: new URL('http://r/v2/_catalog?n=1'),
        pageSize: 1,
        fetchPage: () => Promise.resolve({ items: ['a'], link: '<http://evil.example/v2/_catalog?n=1&last=a>; rel="next"' }),
        refuseOrigin: (next) => {
          throw new Error(`refused ${next.origin}`);
        },
      }));
    };
    await assert.rejects(walk, /refused http:\/\/evil\.example/);
  });
});

describe('base URL', () => {
  const cases: [string, boolean, string][] = [
    ['docker.io', false, 'https://registry-1.docker.io'],
    ['index.docker.io', false, 'https://registry-1.docker.io'],
    ['ghcr.io', false, 'https://ghcr.io'],
    ['registry.example.com:5000', false, 'https://registry.example.com:5000'],
    ['registry.example.com:5000', true, 'http://registry.example.com:5000'],
    ['localhost:5000', false, 'http://localhost:5000'],
    ['127.0.0.1:5000', false, 'http://127.0.0.1:5000'],
    ['127.12.0.9', false, 'http://127.12.0.9'],
    ['[::1]:5000', false, 'http://[::1]:5000'],
    ['128.0.0.1:5000', false, 'https://128.0.0.1:5000'],
    ['localhost.example.com', false, 'https://localhost.example.com'],
  ];
  for (const [host, insecure, expected] of cases) {
    test(`${host}${insecure ? ' (insecure)' : ''} -> ${expected}`, () => assert.equal(registryBaseUrl(host, insecure), expected));
  }
  test('isLoopbackHost rejects 127.0.0.256', () => assert.equal(isLoopbackHost('127.0.0.256'), false));
});

describe('digests and Retry-After', () => {
  test('computeDigest and digestMismatch', () => {
    const bytes = new TextEncoder().encode('{"schemaVersion":2}');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    assert.equal(computeDigest(bytes), digest);
    assert.equal(digestMismatch(bytes, digest), undefined);
    assert.equal(digestMismatch(new TextEncoder().encode('{"schemaVersion":3}'), digest)?.startsWith('sha256:'), true);
    const sha512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
    assert.equal(digestMismatch(bytes, sha512), undefined);
  });

  test('parseRetryAfter: seconds, HTTP date, junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-3', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  test('token lifetime: expires_in minus a margin, 60 s by default', () => {
    assert.equal(tokenLifetimeMs(300), 290_000);
    assert.equal(tokenLifetimeMs(undefined), 50_000);
    assert.equal(tokenLifetimeMs(4), 2000);
  });
});

// --- an injected fetch plays the registry --------------------------------------------------

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

type Handler = (call: Call) => Response | Promise<Response>;

function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const call: Call = { url, method: init?.method ?? 'GET', headers, body: typeof init?.body === 'string' ? init.body : undefined };
    calls.push(call);
    return handler(call);
  };
  return { fetch: fn, calls };
}

const noCredential = (): Promise<RegistryCredential | undefined> => Promise.resolve(undefined);
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function client(fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  return new RegistryClient({ host: 'registry.example.com', getCredential: noCredential, fetch: fetchImpl, retries: 2, backoffMs: 1, timeoutMs: 5000, userAgent: 'layerlens-test', ...extra });
}

describe('RegistryClient with an injected fetch', () => {
  test('identity token: OAuth2 refresh_token POST to the realm, access_token used and cached', async () => {
    const fake = fakeFetch((call) => {
      if (call.url.startsWith('https://auth.example.com/token')) return json(200, { access_token: 'tok-1', expires_in: 120 });
      if (call.headers.authorization === 'Bearer tok-1') return json(200, { name: 'team/app', tags: ['1'] });
      return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' });
    });
    const c = client(fake.fetch, { getCredential: () => Promise.resolve({ identityToken: 'refresh-secret' }) });
    for (let round = 0; round < 2; round++) {
      const tags: string[] = [];
      for await (const tag of c.tags('team/app')) tags.push(tag);
      assert.deepEqual(tags, ['1']);
    }
    const tokenCalls = fake.calls.filter((call) => call.url.startsWith('https://auth.example.com'));
    assert.equal(tokenCalls.length, 1);
    assert.equal(tokenCalls[0]?.method, 'POST');
    const form = new URLSearchParams(tokenCalls[0]?.body);
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'refresh-secret');
    assert.equal(form.get('service'), 'reg');
    assert.equal(form.get('scope'), 'repository:team/app:pull');
  });

  test('a token past expires_in minus the margin is fetched again', async () => {
    let now = 1_000_000;
    let issued = 0;
    const fake = fakeFetch(() => json(200, { token: `t${++issued}`, expires_in: 30 }));
    const auth = new RegistryAuthenticator({ registry: 'r.example', getCredential: noCredential, httpOptions: { fetch: fake.fetch }, now: () => now });
    const challenge = 'Bearer realm="https://r.example/token",service="r"';
    assert.equal(await auth.authorize('repository:a:pull', challenge), 'Bearer t1');
    assert.equal(auth.cachedAuthorization('repository:a:pull'), 'Bearer t1');
    assert.equal(auth.cachedAuthorization('repository:b:pull'), undefined);
    now += 19_000;
    assert.equal(auth.cachedAuthorization('repository:a:pull'), 'Bearer t1');
    now += 2_000;
    assert.equal(auth.cachedAuthorization('repository:a:pull'), undefined);
  });

  test('5xx is retried with a bound; 4xx is not', async () => {
    let count = 0;
    const fake = fakeFetch(() => (++count <= 2 ? json(503, {}) : json(200, { repositories: ['a'] })));
    const repos: string[] = [];
    for await (const repo of client(fake.fetch).catalog()) repos.push(repo);
    assert.deepEqual(repos, ['a']);
    assert.equal(count, 3);

    const always500 = fakeFetch(() => json(500, {}));
    await assert.rejects(client(always500.fetch).headManifest('team/app', '1'), (error: unknown) => error instanceof RegistryError && error.status === 500);
    assert.equal(always500.calls.length, 3);

    const notFound = fakeFetch(() => json(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    await assert.rejects(client(notFound.fetch).getManifest('team/app', 'nope'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'MANIFEST_UNKNOWN');
      assert.match(error.message, /team\/app:nope on registry registry\.example\.com/);
      assert.match(error.message, /tags/);
      return true;
    });
    assert.equal(notFound.calls.length, 1);
  });

  test('network errors are retried, then reported with the next step', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }) });
    });
    await assert.rejects(client(fake.fetch).ping(), (error: unknown) => error instanceof RegistryError && error.code === 'NETWORK' && /: connection refused \(.*ECONNREFUSED.*\)\. Check that the registry at registry\.example\.com is running and the port is right\.$/.test(error.message));
    assert.equal(fake.calls.length, 3);
  });

  test('a port Node\'s fetch refuses ("bad port") is named as blocked and not retried', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('bad port') });
    });
    await assert.rejects(client(fake.fetch, { host: '127.0.0.1:1' }).ping(), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.message, "Cannot reach registry 127.0.0.1:1: port 1 is one Node's fetch refuses to connect to (a blocked port) (http://127.0.0.1:1: bad port). Use the registry's real port.");
      assert.equal(error.connection?.failure.kind, 'blocked-port');
      return true;
    });
    assert.equal(fake.calls.length, 1);
  });

  test('a name that stops resolving: a wrong address at first, no network once the registry has answered', async () => {
    let online = false;
    const fake = fakeFetch(() => {
      if (online) return json(200, {});
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND registry.example.com'), { code: 'ENOTFOUND' }) });
    });
    const known = new KnownRegistries();
    const c = client(fake.fetch, { knownRegistries: known, retries: 0 });
    await assert.rejects(c.ping(), /: the host name registry\.example\.com does not resolve \(.*\)\. Check the registry address\.$/);
    online = true;
    await c.ping();
    online = false;
    await assert.rejects(c.ping(), /: no network or DNS \(.*ENOTFOUND.*\)\. Try again when online/);
  });

  test('a TLS error is reported plainly and not retried', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) });
    });
    await assert.rejects(client(fake.fetch).ping(), (error: unknown) => error instanceof RegistryError && error.code === 'TLS' && /certificate is self-signed/.test(error.message));
    assert.equal(fake.calls.length, 1);
  });

  test('a timeout says how long was waited', () => {
    const error = networkError({ registry: 'r', action: 'reach' }, 'https://r/v2/', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 1500);
    assert.equal(error.code, 'TIMEOUT');
    assert.match(error.message, /within 1\.5 s/);
  });

  test('429 honours Retry-After up to the cap and reports ratelimit-remaining', async () => {
    const waits: number[] = [];
    let count = 0;
    const fake = fakeFetch(() => (++count === 1 ? json(429, {}, { 'Retry-After': '2' }) : json(200, { repositories: [] })));
    for await (const _ of client(fake.fetch, { sleep: (ms) => { waits.push(ms); return Promise.resolve(); } }).catalog());
    assert.deepEqual(waits, [2000]);

    const tooLong = fakeFetch(() => json(429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'Retry-After': '3600', 'ratelimit-remaining': '0;w=21600' }));
    await assert.rejects(client(tooLong.fetch, { maxRetryAfterMs: 10_000 }).headManifest('library/nginx', 'latest'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'TOOMANYREQUESTS');
      assert.equal(error.rateLimitRemaining, '0;w=21600');
      assert.match(error.message, /rate limit remaining: 0;w=21600/);
      return true;
    });
    assert.equal(tooLong.calls.length, 1);
  });

  test('manifests over 4 MiB are refused by Content-Length and by the bytes read', async () => {
    const declared = fakeFetch(() => new Response('{}', { status: 200, headers: { 'Content-Length': String(5 * 1024 * 1024), 'Content-Type': OCI_INDEX } }));
    await assert.rejects(client(declared.fetch).getManifest('team/app', '1'), (error: unknown) => error instanceof RegistryError && error.code === 'TOO_LARGE');
    const big = new Uint8Array(4 * 1024 * 1024 + 10).fill(32);
    const streamed = fakeFetch(() => new Response(new ReadableStream({ start(controller) { controller.enqueue(big); controller.close(); } }), { status: 200, headers: { 'Content-Type': OCI_INDEX } }));
    await assert.rejects(client(streamed.fetch).getManifest('team/app', '1'), (error: unknown) => error instanceof RegistryError && error.code === 'TOO_LARGE');
  });

  test('a manifest whose bytes do not match the digest asked for is refused, naming both digests', async () => {
    const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    const asked = `sha256:${'a'.repeat(64)}`;
    const fake = fakeFetch(() => new Response(body, { status: 200, headers: { 'Content-Type': OCI_INDEX } }));
    await assert.rejects(client(fake.fetch).getManifest('team/app', asked), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'DIGEST_MISMATCH');
      assert.ok(error.message.includes(asked));
      assert.ok(error.message.includes(computeDigest(new TextEncoder().encode(body))));
      return true;
    });
  });

  test('Basic: the credential is sent after the challenge; a refusal names no secret', async () => {
    const fake = fakeFetch((call) =>
      call.headers.authorization === undefined ? json(401, {}, { 'WWW-Authenticate': 'Basic realm="r"' }) : json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad' }] }, { 'WWW-Authenticate': 'Basic realm="r"' }),
    );
    const c = client(fake.fetch, { getCredential: () => Promise.resolve({ username: 'me', password: 'hunter2-secret' }) });
    await assert.rejects(c.headManifest('team/app', '1'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.doesNotMatch(error.message, /hunter2|bWU6aHVudGVy/);
      assert.match(error.message, /docker login registry\.example\.com/);
      return true;
    });
    assert.equal(fake.calls.length, 2);
  });

  test('unknown challenge schemes are reported', async () => {
    const fake = fakeFetch(() => json(401, {}, { 'WWW-Authenticate': 'Negotiate' }));
    await assert.rejects(client(fake.fetch).headManifest('team/app', '1'), /asked for negotiate/);
  });

  test('invalid repository names and references fail before any request', async () => {
    const fake = fakeFetch(() => json(200, {}));
    await assert.rejects(client(fake.fetch).getManifest('../etc', '1'), (error: unknown) => error instanceof RegistryError && error.code === 'NAME_INVALID');
    await assert.rejects(client(fake.fetch).getManifest('team/app', 'a/b'), (error: unknown) => error instanceof RegistryError && error.code === 'TAG_INVALID');
    assert.equal(fake.calls.length, 0);
  });
});
