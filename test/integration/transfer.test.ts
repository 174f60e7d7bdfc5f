// Pull and push through a real engine to real registries: round trips by tag and by digest,
// per-layer progress, the failures people meet (unknown repository, unreachable registry,
// missing credentials), and cancelling a pull in the middle of a slow download.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createDockerClients, type DockerClients } from '../../src/engine/client';
import { parseDockerHost } from '../../src/engine/connection';
import { pullImage, pushImage, TransferError } from '../../src/engine/transfer';
import { type TransferSnapshot } from '../../src/engine/transferProgress';
import { parseReference } from '../../src/image/reference';
import { engineRequest, startTestEnvironment, startThrottleProxy, type TestEnvironment } from '../env';
import { createTar } from '../env/tarball';

let env: TestEnvironment;
let clients: DockerClients;

before(async () => {
  env = await startTestEnvironment();
  clients = await createDockerClients(parseDockerHost(env.engine.dockerHost, 'setting'));
});

after(async () => {
  await env?.stop();
});

async function imageIdOf(reference: string): Promise<string | undefined> {
  const response = await engineRequest(env.engine.socketPath, 'GET', `/images/${encodeURIComponent(reference)}/json`);
  return response.status === 200 ? (JSON.parse(response.body.toString()) as { Id: string }).Id : undefined;
}

describe('round trip through the plain registry', () => {
  let pushedDigest: string;
  let originalId: string;
  const reference = () => `${env.registry.host}/roundtrip/app:1`;

  test('push reports each layer and ends with the digest', async () => {
    await env.engine.docker(['tag', env.fixtures.classic.ref, reference()]);
    originalId = (await imageIdOf(reference()))!;
    const snapshots: TransferSnapshot[] = [];
    const result = await pushImage(clients.streams, parseReference(reference()), { onProgress: (snapshot) => snapshots.push(snapshot) });
    assert.match(result.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok((result.size ?? 0) > 0);
    const last = result.snapshot;
    assert.ok(last.layers.length >= 2, `layers: ${JSON.stringify(last.layers)}`);
    assert.equal(last.layersDone, last.layers.length);
    for (const layer of last.layers) assert.match(layer.status, /^(Pushed|Layer already exists|Mounted from .+)$/);
    assert.ok(snapshots.length >= 1);
    pushedDigest = result.digest!;
  });

  test('removed locally, pulled back by tag: the same image ID, and the digest the push printed', async () => {
    await env.engine.docker(['rmi', reference()]);
    assert.equal(await imageIdOf(reference()), undefined);
    const result = await pullImage(clients.streams, parseReference(reference()));
    assert.equal(result.digest, pushedDigest);
    assert.match(result.status ?? '', /Downloaded newer image|Image is up to date/);
    assert.equal(await imageIdOf(reference()), originalId);
    for (const layer of result.snapshot.layers) assert.match(layer.status, /^(Pull complete|Already exists)$/);
  });

  test('pulled by digest: the same image ID', async () => {
    const byDigest = `${env.registry.host}/roundtrip/app@${pushedDigest}`;
    await env.engine.docker(['rmi', reference()]);
    await pullImage(clients.streams, parseReference(byDigest));
    assert.equal(await imageIdOf(byDigest), originalId);
  });
});

describe('failures name the image, the registry and the cause', () => {
  test('a repository the registry does not have', async () => {
    await assert.rejects(pullImage(clients.streams, parseReference(`${env.registry.host}/no/such-repo:1`)), (error: unknown) => {
      assert.ok(error instanceof TransferError, String(error));
      assert.equal(error.problem, 'not-found');
      assert.match(error.message, new RegExp(`^Cannot pull ${env.registry.host}/no/such-repo:1 from ${env.registry.host}: .*404`));
      return true;
    });
  });

  test('a tag the repository does not have', async () => {
    await assert.rejects(pullImage(clients.streams, parseReference(`${env.registry.host}/team/app:no-such-tag`)), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.equal(error.problem, 'not-found');
      assert.match(error.message, /tag "no-such-tag"/);
      return true;
    });
  });

  test('a registry nothing listens on', async () => {
    await assert.rejects(pullImage(clients.streams, parseReference('127.0.0.1:1/app:1')), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.equal(error.problem, 'refused');
      assert.match(error.message, /^Cannot pull 127\.0\.0\.1:1\/app:1 from 127\.0\.0\.1:1: connection refused\. Check that the registry/);
      return true;
    });
  });

  test('pushing to the basic-auth registry without credentials asks for a login', async () => {
    const reference = `${env.basicRegistry.host}/secure/app:1`;
    await env.engine.docker(['tag', env.fixtures.base, reference]);
    await assert.rejects(pushImage(clients.streams, parseReference(reference)), (error: unknown) => {
      assert.ok(error instanceof TransferError, String(error));
      assert.ok(error.needsLogin, error.message);
      assert.match(error.message, new RegExp(`^Cannot push ${reference} to ${env.basicRegistry.host}: .*Log in to ${env.basicRegistry.host}`));
      return true;
    });
  });

  test('pushing a name with no local image', async () => {
    await assert.rejects(pushImage(clients.streams, parseReference(`${env.registry.host}/never/tagged:1`)), (error: unknown) => {
      assert.ok(error instanceof TransferError);
      assert.equal(error.problem, 'no-such-image');
      assert.match(error.message, /there is no local image with that name/);
      return true;
    });
  });
});

describe('cancel', () => {
  test('a pull cancelled mid-download ends as cancelled, leaves no image, and a second pull succeeds', async () => {
    // 8 MB of random bytes: it cannot shrink in gzip, so the download takes its time behind the proxy.
    const big = `${env.registry.host}/big/layer:1`;
    const tar = createTar([{ path: 'random.bin', type: 'file', content: randomBytes(8 * 1024 * 1024) }]);
    await env.engine.docker(['import', '-', big], { input: tar });
    await pushImage(clients.streams, parseReference(big));
    await env.engine.docker(['rmi', big]); // the layer must not be there already
    const proxy = await startThrottleProxy(Number(env.registry.host.split(':')[1]), 1024 * 1024);
    try {
      const throughProxy = parseReference(`${proxy.host}/big/layer:1`);
      const abort = new AbortController();
      let downloading = false;
      const pull = pullImage(clients.streams, throughProxy, {
        signal: abort.signal,
        onProgress: (snapshot) => {
          if (!downloading && snapshot.layers.some((layer) => layer.status === 'Downloading' && layer.current > 0)) {
            downloading = true;
            abort.abort();
          }
        },
      });
      await assert.rejects(pull, (error: unknown) => error instanceof TransferError && error.problem === 'cancelled' && /was cancelled/.test(error.message));
      assert.ok(downloading, 'the pull was cancelled while downloading');
      assert.ok(proxy.bytesSent() < 8 * 1024 * 1024, 'the download did not finish');
      assert.equal(await imageIdOf(`${proxy.host}/big/layer:1`), undefined);
      const second = await pullImage(clients.streams, throughProxy, { progressIntervalMs: 50 });
      assert.match(second.digest ?? '', /^sha256:/);
      assert.ok(await imageIdOf(`${proxy.host}/big/layer:1`));
    } finally {
      await proxy.close();
    }
  });
});
