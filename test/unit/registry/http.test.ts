// The one HTTP path to registries (src/registry/http.ts): retries, Retry-After, redirects that
// keep a credential on its origin, a secret body never redirected elsewhere, and body caps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RegistryHttp } from '../../../src/registry/http';
import { RegistryError } from '../../../src/registry/httpErrors';

interface Call {
  url: string;
  method: string;
  authorization: string | null;
  body: string | undefined;
}

/** A fetch that answers from a list, in order, and records what it was sent. */
function scripted(answers: Array<() => Response | Error>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const headers = new Headers(init?.headers);
    calls.push({ url, method: init?.method ?? 'GET', authorization: headers.get('authorization'), body: typeof init?.body === 'string' ? init.body : undefined });
    const answer = answers.shift();
    if (!answer) return Promise.reject(new Error(`unexpected request to ${url}`));
    const result = answer();
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  };
  return { fetch: fetchImpl, calls };
}

const subject = { registry: 'r.example', action: 'read the manifest of', repository: 'team/app', reference: '1' };
const sleeps: number[] = [];
const http = (fetchImpl: typeof fetch, retries = 3): RegistryHttp => new RegistryHttp({ fetch: fetchImpl, retries, backoffMs: 10, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });

describe('registry HTTP', () => {
  test('a network error and a 503 are retried with backoff; the answer after them is returned', async () => {
    sleeps.length = 0;
    const { fetch, calls } = scripted([() => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), () => new Response('', { status: 503 }), () => new Response('ok')]);
    const { response } = await http(fetch).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject });
    assert.equal(await response.text(), 'ok');
    assert.equal(calls.length, 3);
    assert.deepEqual(sleeps, [10, 20]);
  });

  test('retries run out: the last 5xx is returned for the caller to describe; a network error is thrown in one sentence', async () => {
    const failing = scripted([() => new Response('', { status: 502 }), () => new Response('', { status: 502 })]);
    assert.equal((await http(failing.fetch, 1).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject })).response.status, 502);
    const down = scripted([() => new TypeError('fetch failed'), () => new TypeError('fetch failed')]);
    await assert.rejects(http(down.fetch, 1).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject }), (error: unknown) => error instanceof RegistryError && /r\.example/.test(error.message));
  });

  test('429 waits as long as Retry-After says, when that is under the limit', async () => {
    sleeps.length = 0;
    const { fetch } = scripted([() => new Response('', { status: 429, headers: { 'retry-after': '2' } }), () => new Response('ok')]);
    await http(fetch).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject });
    assert.deepEqual(sleeps, [2000]);
    const long = scripted([() => new Response('', { status: 429, headers: { 'retry-after': '3600' } })]);
    assert.equal((await http(long.fetch).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject })).response.status, 429);
  });

  test('a redirect to another origin goes without the Authorization header; back on the origin it is sent again', async () => {
    const { fetch, calls } = scripted([
      () => new Response(null, { status: 307, headers: { location: 'https://blobs.example/x' } }),
      () => new Response(null, { status: 302, headers: { location: 'https://r.example/v2/y' } }),
      () => new Response('ok'),
    ]);
    const answer = await http(fetch).send({ method: 'GET', url: new URL('https://r.example/v2/a'), subject, authorization: 'Bearer secret' });
    assert.deepEqual(calls.map((call) => [call.url, call.authorization]), [
      ['https://r.example/v2/a', 'Bearer secret'],
      ['https://blobs.example/x', null],
      ['https://r.example/v2/y', 'Bearer secret'],
    ]);
    assert.equal(answer.onCredentialOrigin, true);
    assert.equal(answer.url.href, 'https://r.example/v2/y');
  });

  test('a POST carrying a secret is never redirected off its origin; a 303 turns a POST into a GET without its body', async () => {
    const off = scripted([() => new Response(null, { status: 307, headers: { location: 'https://evil.example/token' } })]);
    await assert.rejects(
      http(off.fetch).send({ method: 'POST', url: new URL('https://auth.example/token'), subject, body: 'refresh_token=secret', secretBody: true }),
      (error: unknown) => error instanceof RegistryError && error.code === 'CROSS_ORIGIN' && !error.message.includes('secret'),
    );
    assert.equal(off.calls.length, 1);
    const seeOther = scripted([() => new Response(null, { status: 303, headers: { location: '/done' } }), () => new Response('ok')]);
    await http(seeOther.fetch).send({ method: 'POST', url: new URL('https://auth.example/token'), subject, body: 'a=b' });
    assert.deepEqual(seeOther.calls.map((call) => [call.method, call.body]), [['POST', 'a=b'], ['GET', undefined]]);
  });

  test('more than five redirects is an error naming the thing asked for', async () => {
    const loop = scripted(Array.from({ length: 6 }, () => () => new Response(null, { status: 302, headers: { location: '/v2/again' } })));
    await assert.rejects(http(loop.fetch).send({ method: 'GET', url: new URL('https://r.example/v2/'), subject }), /the manifest of team\/app:1 .*more than 5 redirects/);
  });

  test('bodies are capped by Content-Length and by the bytes actually read', async () => {
    const client = http(scripted([]).fetch);
    const declared = new Response('x', { headers: { 'content-length': String(5 * 1024 * 1024) } });
    await assert.rejects(client.readBody(declared, 4 * 1024 * 1024, subject, 'manifest'), (error: unknown) => error instanceof RegistryError && error.code === 'TOO_LARGE' && /5 MiB, more than the 4 MiB allowed/.test(error.message));
    const streamed = new Response(new ReadableStream({ start: (controller) => { controller.enqueue(new Uint8Array(3000)); controller.enqueue(new Uint8Array(3000)); controller.close(); } }));
    await assert.rejects(client.readText(streamed, 4096, subject, 'token answer', 'tell the operator'), /over 4 KiB.*It is not read; tell the operator\./);
    assert.equal(await client.readText(new Response('{"a":1}'), 4096, subject, 'answer'), '{"a":1}');
  });
});
