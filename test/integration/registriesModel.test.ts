// The Registries view's model (src/registry/registriesModel.ts) against real distribution
// registries: the list persisted through the injected store, catalog and tags a page at a
// time, tag details read lazily and checked against the registry's own digest, the filter, and
// failures kept on the listing they belong to.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RegistryClientPool } from '../../src/registry/clientPool';
import { type Listing, RegistriesModel, type RegistriesModelOptions, type StateStore } from '../../src/registry/registriesModel';
import { pushTinyImage, startTestRegistry, type TestRegistry } from '../env';
import { recordingLogger } from './support';

let registry: TestRegistry;
let basic: TestRegistry;
const digests = new Map<string, string>();

before(async () => {
  [registry, basic] = await Promise.all([startTestRegistry(), startTestRegistry({ auth: 'basic' })]);
  for (const repository of ['team/api', 'team/web', 'tools/cli']) {
    for (const tag of ['1.0', '1.1', '2.0-rc']) digests.set(`${repository}:${tag}`, (await pushTinyImage(registry, repository, tag)).digest);
  }
  await pushTinyImage(basic, 'private/app', '1');
}, { timeout: 120_000 });

after(async () => {
  await Promise.all([registry?.stop(), basic?.stop()]);
});

/** globalState as VS Code keeps it: values copied in and out as JSON. */
function memoryState(): StateStore & { saved: Map<string, string> } {
  const saved = new Map<string, string>();
  return {
    saved,
    get: <T>(key: string, fallback: T): T => (saved.has(key) ? (JSON.parse(saved.get(key)!) as T) : fallback),
    update: (key: string, value: unknown) => {
      saved.set(key, JSON.stringify(value));
      return Promise.resolve();
    },
  };
}

function model(options: Partial<RegistriesModelOptions> = {}): { model: RegistriesModel; log: ReturnType<typeof recordingLogger>; state: ReturnType<typeof memoryState> } {
  const log = recordingLogger();
  const state = memoryState();
  const pool = new RegistryClientPool(() => Promise.resolve(undefined), { retries: 0, timeoutMs: 5_000 });
  const created = new RegistriesModel({ state, pool, log, credentialFor: () => Promise.resolve(undefined), configuredHosts: () => [], hubNamespace: () => '', ...options });
  return { model: created, log, state };
}

function items(listing: Listing | { needsNamespace: true }): readonly string[] {
  assert.ok(!('needsNamespace' in listing));
  return listing.items;
}

describe('registries model', () => {
  test('an added registry is persisted, listed with Docker Hub and the Docker configuration\'s hosts, and removed again', async () => {
    const { model: first, state } = model({ configuredHosts: () => ['ghcr.io'] });
    await first.addRegistry({ host: registry.host, source: 'added', insecure: false });
    const again = new RegistriesModel({ state, pool: new RegistryClientPool(() => Promise.resolve(undefined)), log: recordingLogger(), credentialFor: () => Promise.resolve(undefined), configuredHosts: () => ['ghcr.io'], hubNamespace: () => '' });
    assert.deepEqual(again.registries().map((entry) => [entry.host, entry.source]).sort(), [[registry.host, 'added'], ['docker.io', 'docker hub'], ['ghcr.io', 'docker config']].sort());
    // A host from the Docker configuration is hidden, not deleted from the user's config.
    await again.removeRegistry({ host: 'ghcr.io', source: 'docker config', insecure: false });
    await again.removeRegistry({ host: registry.host, source: 'added', insecure: false });
    assert.deepEqual(again.registries().map((entry) => entry.host), ['docker.io']);
    assert.deepEqual(JSON.parse(state.saved.get('layerlens.registries.hidden')!), ['ghcr.io']);
  });

  test('labels from layerlens.registries.labels name registries by host, are never persisted, and a change forgets nothing read', async () => {
    let labels: Record<string, string> = { [registry.host]: 'no auth', 'GHCR.io': ' team images ', 'docker.io': '' };
    const { model: labelled, state } = model({ configuredHosts: () => ['ghcr.io'], registryLabels: () => labels });
    const labelOf = (host: string): string | undefined => labelled.registries().find((entry) => entry.host === host)?.label;
    const shown = labelled.registries();
    await labelled.addRegistry(shown.find((entry) => entry.host === 'ghcr.io')!);
    await labelled.addRegistry({ host: registry.host, source: 'added', insecure: false });
    assert.equal(labelOf(registry.host), 'no auth');
    assert.equal(labelOf('ghcr.io'), 'team images');
    assert.equal(labelOf('docker.io'), undefined, 'an empty label is none');
    assert.doesNotMatch(state.saved.get('layerlens.registries.added')!, /label/);

    const changes: unknown[] = [];
    labelled.onDidChange((change) => changes.push(change));
    labels = { [registry.host]: 'renamed' };
    labelled.labelsChanged();
    assert.deepEqual(changes, [{ forgotten: false }]);
    assert.equal(labelOf(registry.host), 'renamed');
  });

  test('a broken Docker configuration is logged, and the rest is still listed', () => {
    const { model: broken, log } = model({ configuredHosts: () => { throw new Error('~/.docker/config.json: Unexpected token } at line 3'); } });
    assert.deepEqual(broken.registries().map((entry) => entry.host), ['docker.io']);
    assert.ok(log.lines.some((line) => line.startsWith('warn registries:') && line.includes('config.json')));
  });

  test('the catalog a page at a time; Load More reads the next page; hand-added repositories are kept', async () => {
    const { model: paged } = model({ pageSize: 2 });
    const entry = { host: registry.host, source: 'added' as const, insecure: false };
    const changes: Array<[string | undefined, boolean]> = [];
    paged.onDidChange((change) => changes.push([change.key, change.forgotten]));
    const first = await paged.repositories(entry);
    assert.deepEqual(items(first), ['team/api', 'team/web']);
    assert.equal((first as Listing).done, false);
    await paged.loadMore(registry.host);
    const second = await paged.repositories(entry);
    assert.deepEqual(items(second), ['team/api', 'team/web', 'tools/cli']);
    await paged.loadMore(registry.host);
    assert.equal(((await paged.repositories(entry)) as Listing).done, true);
    await paged.addRepository(registry.host, 'hidden/repo');
    assert.deepEqual(paged.addedRepositories(registry.host), ['hidden/repo']);
    // Pages and a hand-added repository extend what was read; a refresh forgets it.
    paged.refresh(registry.host);
    assert.deepEqual(changes, [[registry.host, false], [registry.host, false], [registry.host, false], [registry.host, true]]);
    assert.deepEqual(items(await paged.repositories(entry)), ['team/api', 'team/web']);
  });

  test('tags, the filter, and details read lazily with the registry\'s own digest', async () => {
    const { model: tags } = model();
    const entry = { host: registry.host, source: 'added' as const, insecure: false };
    const listing = await tags.tags(entry, 'team/api');
    assert.deepEqual([...listing.items].sort(), ['1.0', '1.1', '2.0-rc']);
    tags.setFilter('  1.  ');
    assert.equal(tags.filter, '1.');
    assert.deepEqual(listing.items.filter((tag) => tags.matchesFilter(tag)).sort(), ['1.0', '1.1']);
    assert.deepEqual(tags.tagDetails(entry, 'team/api', '1.0'), { state: 'loading' });
    const arrived: string[] = [];
    tags.onDidChangeDetails((key) => arrived.push(key));
    await tags.readDetails(entry, 'team/api', ['1.0', '1.1', 'gone']);
    const details = tags.tagDetails(entry, 'team/api', '1.0');
    assert.equal(details.state, 'ready');
    assert.equal(details.state === 'ready' && details.manifest.digest, digests.get('team/api:1.0'));
    const gone = tags.tagDetails(entry, 'team/api', 'gone');
    assert.equal(gone.state, 'error');
    assert.match(gone.state === 'error' ? gone.message : '', /MANIFEST_UNKNOWN|404/);
    assert.deepEqual(arrived.sort(), [`${registry.host}/team/api:1.0`, `${registry.host}/team/api:1.1`, `${registry.host}/team/api:gone`].sort());
    // Read once: a second ask is served from what was read.
    arrived.length = 0;
    await tags.readDetails(entry, 'team/api', ['1.0']);
    assert.deepEqual(arrived, []);
    // Refresh of the repository forgets its tags' details.
    tags.refresh(`${registry.host}/team/api`);
    assert.deepEqual(tags.tagDetails(entry, 'team/api', '1.0'), { state: 'loading' });
  });

  test('a registry that needs a login: the listing keeps the 401, the next step names docker login', async () => {
    const { model: locked, log } = model();
    const listing = await locked.repositories({ host: basic.host, source: 'added', insecure: false });
    assert.ok(!('needsNamespace' in listing));
    assert.equal(listing.items.length, 0);
    assert.equal(listing.done, true);
    assert.equal((listing.error as { status?: number }).status, 401);
    assert.match(String((listing.error as Error).message), /docker login/);
    assert.ok(log.lines.some((line) => line.startsWith('error registries:')));
  });

  test('with the credential, through the one pool: the same registry lists', async () => {
    const credential = { username: basic.username!, password: basic.password! };
    const pool = new RegistryClientPool(() => Promise.resolve(credential), { retries: 0 });
    const { model: unlocked } = model({ pool });
    assert.deepEqual(items(await unlocked.repositories({ host: basic.host, source: 'added', insecure: false })), ['private/app']);
    assert.equal(pool.client(basic.host), pool.client(basic.host));
    assert.notEqual(pool.client(basic.host), pool.client(basic.host, true));
  });

  test('Docker Hub without a namespace or login asks for one, without a request', async () => {
    const { model: hub } = model();
    assert.deepEqual(await hub.repositories({ host: 'docker.io', source: 'docker hub', insecure: false }), { needsNamespace: true });
  });

  test('only an added registry can be plain HTTP', async () => {
    const { model: insecure } = model({ configuredHosts: () => ['registry.internal:5000'] });
    assert.equal(insecure.isInsecure('registry.internal:5000'), false);
    await insecure.addRegistry({ host: 'registry.internal:5000', source: 'added', insecure: true });
    assert.equal(insecure.isInsecure('registry.internal:5000'), true);
  });
});
