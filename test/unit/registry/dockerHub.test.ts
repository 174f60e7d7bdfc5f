// Docker Hub's repositories API, against responses recorded from hub.docker.com (no test can
// reach Hub from here): paging by `next`, private listing with a Hub token, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerHubError, hubRepositories } from '../../../src/registry/dockerHub';

const PAGE_1 = {
  count: 3,
  next: 'https://hub.docker.com/v2/repositories/layerlens/?page=2&page_size=2',
  previous: null,
  results: [
    { name: 'api', namespace: 'layerlens', repository_type: 'image', status: 1, is_private: false, star_count: 2, pull_count: 1234, last_updated: '2026-10-01T10:00:00.000000Z' },
    { name: 'web', namespace: 'layerlens', repository_type: 'image', status: 1, is_private: true, star_count: 0, pull_count: 56, last_updated: '2026-11-01T10:00:00.000000Z' },
  ],
};
const PAGE_2 = { count: 3, next: null, previous: 'https://hub.docker.com/v2/repositories/layerlens/?page=1&page_size=2', results: [{ name: 'worker', namespace: 'layerlens', repository_type: 'image' }] };

interface Seen {
  url: string;
  authorization?: string;
}

function recordedHub(seen: Seen[], pages: Record<string, unknown>, status = 200): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const headers = new Headers(init?.headers);
    seen.push({ url, authorization: headers.get('authorization') ?? undefined });
    if (url.endsWith('/v2/users/login')) return Promise.resolve(Response.json({ token: 'hub-jwt' }));
    const key = url.includes('page=2') ? 'page2' : 'page1';
    return Promise.resolve(status === 200 ? Response.json(pages[key]) : new Response('{"message":"object not found"}', { status }));
  };
}

async function collect(iterator: AsyncGenerator<string>): Promise<string[]> {
  const items: string[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

test('anonymous: every page, by the next links', async () => {
  const seen: Seen[] = [];
  const names = await collect(hubRepositories('layerlens', { fetch: recordedHub(seen, { page1: PAGE_1, page2: PAGE_2 }), pageSize: 2 }));
  assert.deepEqual(names, ['layerlens/api', 'layerlens/web', 'layerlens/worker']);
  assert.equal(seen.length, 2);
  assert.ok(seen.every((request) => request.authorization === undefined));
});

test('with credentials: a Hub token first, then every page with it', async () => {
  const seen: Seen[] = [];
  await collect(hubRepositories('layerlens', { fetch: recordedHub(seen, { page1: PAGE_1, page2: PAGE_2 }), credential: { username: 'me', password: 'secret' } }));
  assert.equal(seen[0]!.url, 'https://hub.docker.com/v2/users/login');
  assert.ok(seen.slice(1).every((request) => request.authorization === 'Bearer hub-jwt'));
});

test('a next link to another site is not followed', async () => {
  const seen: Seen[] = [];
  const names = await collect(hubRepositories('layerlens', { fetch: recordedHub(seen, { page1: { ...PAGE_1, next: 'https://evil.example/v2/x' }, page2: PAGE_2 }) }));
  assert.equal(names.length, 2);
  assert.equal(seen.length, 1);
});

test('an unknown namespace, a refusal, and a malformed namespace name', async () => {
  await assert.rejects(collect(hubRepositories('nobody', { fetch: recordedHub([], {}, 404) })), (error: unknown) => error instanceof DockerHubError && /no namespace "nobody"\. Check layerlens\.dockerHub\.namespace/.test(error.message));
  await assert.rejects(collect(hubRepositories('private', { fetch: recordedHub([], {}, 403) })), /refused to list .*\(403\)\. Log in to docker\.io/);
  await assert.rejects(collect(hubRepositories('Bad Name', { fetch: recordedHub([], {}) })), /"Bad Name" is not a Docker Hub namespace/);
});

test('through the one HTTP path: a 503 is retried, an oversized or non-JSON page is refused in one sentence', async () => {
  let calls = 0;
  const flaky: typeof fetch = () => Promise.resolve(++calls === 1 ? new Response('', { status: 503 }) : Response.json(PAGE_2));
  assert.deepEqual(await collect(hubRepositories('layerlens', { fetch: flaky, backoffMs: 1 })), ['layerlens/worker']);
  assert.equal(calls, 2);
  const huge: typeof fetch = () => Promise.resolve(new Response('[]', { headers: { 'content-length': String(64 * 1024 * 1024) } }));
  await assert.rejects(collect(hubRepositories('layerlens', { fetch: huge })), /the page is 64 MiB, more than the 8 MiB allowed/);
  const proxy: typeof fetch = () => Promise.resolve(new Response('<html>captive portal</html>'));
  await assert.rejects(collect(hubRepositories('layerlens', { fetch: proxy })), (error: unknown) => error instanceof DockerHubError && /not JSON/.test(error.message));
});
