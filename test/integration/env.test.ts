// Proves the test environment harness itself: every later suite trusts what it starts.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { isZombie, processesMentioning } from '../env/cleanup';
import { freeLoopbackPort } from '../env/ports';
import {
  OCI_INDEX,
  basicAuthValue,
  fetchRegistryToken,
  pingEngine,
  startTestEngine,
  startTestEnvironment,
  startTestRegistry,
  stopAllTestEnvironments,
  type TestEnvironment,
} from '../env';

interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
}

interface HistoryEntry {
  CreatedBy: string;
  Comment: string;
}

let env: TestEnvironment;

before(async () => {
  env = await startTestEnvironment();
}, { timeout: 180_000 });

// Stops whatever before() got to start, even if it failed half-way.
after(() => stopAllTestEnvironments());

async function listImages(filters?: Record<string, string[]>): Promise<ImageSummary[]> {
  const query = filters ? `?filters=${encodeURIComponent(JSON.stringify(filters))}` : '';
  return env.engine.api<ImageSummary[]>('GET', `/images/json${query}`);
}

test('the engine answers /_ping and speaks API 1.41', async () => {
  assert.equal(await pingEngine(env.engine.socketPath), true);
  const version = await env.engine.api<{ ApiVersion: string; Version: string }>('GET', '/version');
  assert.equal(version.ApiVersion, '1.41');
  assert.equal(await env.engine.docker(['version', '--format', '{{.Server.APIVersion}}']), '1.41');
});

test('fixture images exist under every tag, with each builder\'s history', async () => {
  const { fixtures } = env;
  const tagToId = new Map<string, string>();
  for (const image of await listImages()) for (const tag of image.RepoTags ?? []) tagToId.set(tag, image.Id);
  assert.equal(tagToId.get(fixtures.base), fixtures.baseId);
  for (const built of [fixtures.classic, fixtures.buildkit]) {
    assert.ok(built.tags.length >= 3, `${built.ref} has several tags`);
    for (const tag of built.tags) assert.equal(tagToId.get(tag), built.id, `${tag} -> ${built.ref}`);
  }
  assert.notEqual(fixtures.classic.id, fixtures.buildkit.id);
  assert.ok(fixtures.extraTags.some((tag) => /^[^/]+:\d+\//.test(tag)), 'a tag with a registry port');

  const history = (ref: string) => env.engine.api<HistoryEntry[]>('GET', `/images/${encodeURIComponent(ref)}/history`);
  const classicHistory = await history(fixtures.classic.ref);
  assert.ok(classicHistory.some((h) => h.CreatedBy.includes('#(nop)')), 'classic history has #(nop) steps');
  const buildkitHistory = await history(fixtures.buildkit.ref);
  assert.ok(buildkitHistory.some((h) => h.CreatedBy.includes('# buildkit')), 'BuildKit history marks RUN steps');
  assert.ok(buildkitHistory.some((h) => h.Comment === 'buildkit.dockerfile.v0'));
});

test('a dangling image exists', async () => {
  const dangling = await listImages({ dangling: ['true'] });
  assert.ok(dangling.some((image) => image.Id === env.fixtures.dangling.id));
  const current = await env.engine.api<{ Id: string }>('GET', `/images/${encodeURIComponent(env.fixtures.dangling.formerRef)}/json`);
  assert.notEqual(current.Id, env.fixtures.dangling.id);
});

test('a container uses the in-use image, so removing it is refused', async () => {
  const { inUse } = env.fixtures;
  const containers = await env.engine.api<{ Id: string; ImageID: string; Names: string[] }[]>('GET', '/containers/json?all=1');
  const container = containers.find((c) => c.Id === inUse.containerId);
  assert.ok(container, 'the fixture container exists');
  assert.equal(container.ImageID, inUse.id);
  await assert.rejects(env.engine.api('DELETE', `/images/${encodeURIComponent(inUse.ref)}`), /409/);
});

test('the plain registry answers /v2/ and holds the image the engine pushed', async () => {
  const v2 = await fetch(`${env.registry.url}/v2/`);
  assert.equal(v2.status, 200);
  const pushed = env.fixtures.pushed;
  assert.ok(pushed);
  const manifest = await fetch(`${env.registry.url}/v2/team/app/manifests/1.0`, {
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  assert.equal(manifest.status, 200);
  assert.equal(manifest.headers.get('docker-content-digest'), pushed.digest);
});

test('the basic-auth registry challenges, accepts the right credentials and refuses wrong ones', async () => {
  const registry = env.basicRegistry;
  const anonymous = await fetch(`${registry.url}/v2/`);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="basic-realm"');
  const right = await fetch(`${registry.url}/v2/`, {
    headers: { Authorization: basicAuthValue({ username: registry.username!, password: registry.password! }) },
  });
  assert.equal(right.status, 200);
  const wrong = await fetch(`${registry.url}/v2/`, {
    headers: { Authorization: basicAuthValue({ username: registry.username!, password: 'wrong' }) },
  });
  assert.equal(wrong.status, 401);
});

test('the token registry sends a Bearer challenge and accepts tokens from its realm', async () => {
  const registry = env.tokenRegistry;
  const anonymous = await fetch(`${registry.url}/v2/`);
  assert.equal(anonymous.status, 401);
  assert.equal(
    anonymous.headers.get('www-authenticate'),
    `Bearer realm="${registry.tokenRealm}",service="${registry.tokenService}"`,
  );
  const token = await fetchRegistryToken(registry, 'repository:team/app:pull');
  const [header, claims] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
  assert.equal(header?.alg, 'RS256');
  assert.deepEqual(claims?.access, [{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
  const withToken = await fetch(`${registry.url}/v2/`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(withToken.status, 200);

  await assert.rejects(fetchRegistryToken(registry, undefined, { username: registry.username!, password: 'wrong' }), /401/);
  const anonymousToken = await fetchRegistryToken(registry, 'repository:team/app:pull', null);
  const denied = await fetch(`${registry.url}/v2/team/app/tags/list`, { headers: { Authorization: `Bearer ${anonymousToken}` } });
  assert.equal(denied.status, 401, 'an anonymous token grants nothing');
  assert.ok((registry.tokenRequestCount?.() ?? 0) >= 3);
});

test('the multi-platform index is served with its digest and two platforms', async () => {
  const index = env.fixtures.index;
  assert.ok(index);
  const response = await fetch(`${env.registry.url}/v2/${index.repository}/manifests/${index.tag}`, {
    headers: { Accept: OCI_INDEX },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), OCI_INDEX);
  assert.equal(response.headers.get('docker-content-digest'), index.digest);
  const body = Buffer.from(await response.arrayBuffer());
  assert.equal(`sha256:${crypto.createHash('sha256').update(body).digest('hex')}`, index.digest);
  const parsed = JSON.parse(body.toString()) as { manifests: { digest: string; platform: { os: string; architecture: string } }[] };
  assert.deepEqual(
    parsed.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
    ['linux/amd64', 'linux/arm64'],
  );
  assert.deepEqual(index.platforms, ['linux/amd64', 'linux/arm64']);
  assert.deepEqual(parsed.manifests.map((m) => m.digest), index.manifests.map((m) => m.digest));
});

test('a registry listens on the port asked for; when that port is held, on a free one, naming the port it could not have', async (t) => {
  const wanted = await freeLoopbackPort();
  const held = net.createServer();
  await new Promise<void>((resolve) => held.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.after(() => held.close());
  const heldPort = (held.address() as net.AddressInfo).port;
  const [onWanted, fallback] = await Promise.all([startTestRegistry({ port: wanted }), startTestRegistry({ auth: 'basic', port: heldPort })]);
  t.after(() => Promise.all([onWanted.stop(), fallback.stop()]));
  assert.equal(onWanted.host, `127.0.0.1:${wanted}`);
  assert.equal(onWanted.portTaken, undefined);
  assert.equal(fallback.portTaken, heldPort);
  assert.notEqual(fallback.host, `127.0.0.1:${heldPort}`);
  assert.equal((await fetch(`${fallback.url}/v2/`)).status, 401, 'the fallback registry is ours, with its auth');
});

test('a second engine runs alongside with its own image store, and comes back after stop/start', async () => {
  const second = await startTestEngine();
  try {
    assert.notEqual(second.socketPath, env.engine.socketPath);
    assert.deepEqual(await second.api<unknown[]>('GET', '/images/json'), []);
    await second.docker(['tag', 'nonexistent:1', 'x:1']).then(
      () => assert.fail('tagging a missing image should fail'),
      (error: Error) => assert.match(error.message, /No such image/),
    );
    await second.stop();
    assert.equal(fs.existsSync(second.socketPath), false);
    await second.start();
    assert.equal(await pingEngine(second.socketPath), true);
    assert.equal(await pingEngine(env.engine.socketPath), true);
  } finally {
    await second.dispose();
  }
  assert.equal(fs.existsSync(second.dir), false);
});

test('stop() kills every service process and removes every temp dir', async () => {
  const dirs = [env.engine.dir, env.registry.dir, env.basicRegistry.dir, env.tokenRegistry.dir];
  const pids = [...env.engine.pids(), ...dirs.flatMap((dir) => processesMentioning(dir))];
  assert.ok(pids.length >= 5, `dockerd, containerd and three registries are running (found ${pids.length})`);
  const registryUrls = [env.registry, env.basicRegistry, env.tokenRegistry].map((r) => `${r.url}/v2/`);

  await env.stop();

  assert.equal(fs.existsSync(env.engine.socketPath), false, 'the engine socket is gone');
  for (const pid of pids) assert.ok(!isAlive(pid), `process ${pid} is dead`);
  for (const dir of dirs) {
    assert.deepEqual(processesMentioning(dir), [], `no process runs from ${dir}`);
    assert.equal(fs.existsSync(dir), false, `${dir} is removed`);
  }
  for (const url of registryUrls) await assert.rejects(fetch(url), `${url} no longer answers`);
  await assert.rejects(fetch(env.tokenRegistry.tokenRealm!), 'the token server is closed');
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}
