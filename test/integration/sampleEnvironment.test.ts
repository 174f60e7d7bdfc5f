// The sample environment `npm start` shows when no engine answers (scripts/sampleEnvironment.ts),
// on ports this test chooses: one of them held by the test, to see the fallback said.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { describeSample, sampleWorkspace, startSampleEnvironment, type SampleEnvironment } from '../../scripts/sampleEnvironment';
import { registryAuthHeader, stopAllTestEnvironments } from '../env';
import { layerlensCacheDir, REPO_ROOT } from '../env/codeServer';
import { freeLoopbackPort } from '../env/ports';

let sample: SampleEnvironment;
let noAuthPort: number;
let heldPort: number;
const held = net.createServer();

before(async () => {
  await new Promise<void>((resolve) => held.listen({ host: '127.0.0.1', port: 0 }, resolve));
  heldPort = (held.address() as net.AddressInfo).port;
  noAuthPort = await freeLoopbackPort();
  sample = await startSampleEnvironment({ none: noAuthPort, basic: heldPort, token: await freeLoopbackPort() });
}, { timeout: 240_000 });

after(async () => {
  held.close();
  await stopAllTestEnvironments();
});

test('the registries listen on the ports given; a held one falls back, and the output says so with the next step', () => {
  const [none, basic] = sample.registries;
  assert.equal(none?.host, `127.0.0.1:${noAuthPort}`);
  assert.equal(basic?.portTaken, heldPort);
  const output = describeSample(sample).join('\n');
  assert.match(output, new RegExp(`port ${heldPort} is taken, so this time it is on ${basic?.host.replaceAll('.', '\\.')}`));
  assert.match(output, /--registry-ports/);
});

test('the output names each registry by kind and gives the user name and password for docker login', () => {
  const output = describeSample(sample).join('\n');
  for (const [registry, kind] of sample.registries.map((registry, i) => [registry, ['no auth', 'basic auth', 'token auth'][i]] as const)) {
    assert.ok(output.includes(`${registry.host} (${kind})`), `${registry.host} (${kind}) in:\n${output}`);
  }
  const basic = sample.env.basicRegistry;
  assert.ok(output.includes(`user ${basic.username}, password ${basic.password}`), output);
  assert.ok(output.includes(`docker login ${basic.host} -u ${basic.username} --password-stdin`), output);
});

test('the Registries view gets a label by kind for each registry, and a Docker config with their credentials', () => {
  assert.deepEqual(sample.settings['layerlens.registries.labels'], {
    [sample.env.registry.host]: 'no auth',
    [sample.env.basicRegistry.host]: 'basic auth',
    [sample.env.tokenRegistry.host]: 'token auth',
  });
  const config = JSON.parse(fs.readFileSync(path.join(sample.dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, { auth?: string }> };
  assert.deepEqual(Object.keys(config.auths).sort(), sample.registries.map((registry) => registry.host).sort());
  assert.equal(config.auths[sample.env.registry.host]?.auth, undefined);
  assert.equal(Buffer.from(config.auths[sample.env.tokenRegistry.host]?.auth ?? '', 'base64').toString(), `${sample.env.tokenRegistry.username}:${sample.env.tokenRegistry.password}`);
});

test('the basic and token registries hold the sample images too', async () => {
  for (const registry of [sample.env.basicRegistry, sample.env.tokenRegistry]) {
    const response = await fetch(`${registry.url}/v2/team/app/tags/list`, { headers: await registryAuthHeader(registry, 'repository:team/app:pull') });
    assert.equal(response.status, 200, `${registry.host} lists team/app`);
    assert.deepEqual(((await response.json()) as { tags: string[] }).tags.sort(), ['1.0', '1.1']);
  }
});

test('the workspace is outside the repository, tells VS Code not to ask about a parent repository, and keeps your edits', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'llsample-'));
  try {
    assert.match(path.relative(REPO_ROOT, layerlensCacheDir()), /^\.\./, `the cache ${layerlensCacheDir()} is outside ${REPO_ROOT}`);
    const dir = sampleWorkspace(cache);
    assert.equal(path.dirname(dir), cache);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8')), { 'git.openRepositoryInParentFolders': 'never' });
    const dockerfile = path.join(dir, 'classic.Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM 127.0.0.1:5100/team/app:1.0@sha256:0000\n');
    assert.equal(sampleWorkspace(cache), dir, 'the same folder every run');
    assert.equal(fs.readFileSync(dockerfile, 'utf8'), 'FROM 127.0.0.1:5100/team/app:1.0@sha256:0000\n');
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
