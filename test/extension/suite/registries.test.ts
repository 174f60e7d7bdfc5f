// The Registries view inside a real VS Code, against the plain test registry whose host the
// runner passes in LAYERLENS_TEST_REGISTRY.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type RegistriesNode, type RegistryTagNode } from '../../../src/views/registries/nodes';
import { eventually, labelOf } from './helpers';

const run = promisify(execFile);

const EXTENSION_ID = 'layerlens.layerlens';

function label(api: LayerlensApi, node: RegistriesNode): string {
  return labelOf(api.registries.getTreeItem(node));
}

suite('Registries view', () => {
  test('an added registry lists its repositories, their tags, and each tag’s digest, platforms and size', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_REGISTRY!;
    await vscode.commands.executeCommand('layerlens.registry.add', `http://${host}`);
    const registry = (await api.registries.getChildren()).find((node) => label(api, node) === host);
    assert.ok(registry, 'the added registry is listed');
    assert.match(String(api.registries.getTreeItem(registry).description), /^added/);

    const repositories = await api.registries.getChildren(registry);
    const names = repositories.map((node) => label(api, node));
    for (const expected of ['multi/platform', 'team/app']) assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);

    const multi = repositories.find((node) => label(api, node) === 'multi/platform')!;
    const [tag] = await api.registries.getChildren(multi);
    assert.equal(label(api, tag!), '1');
    const description = await eventually('the tag details', () => {
      const text = String(api.registries.getTreeItem(tag!).description);
      return Promise.resolve(text === '…' ? undefined : text);
    });
    assert.match(description, /^sha256:[0-9a-f]{12} · linux\/amd64, linux\/arm64$/);

    const app = repositories.find((node) => label(api, node) === 'team/app')!;
    const [appTag] = await api.registries.getChildren(app);
    const appDescription = await eventually('the image details', () => {
      const text = String(api.registries.getTreeItem(appTag!).description);
      return Promise.resolve(text === '…' ? undefined : text);
    });
    assert.match(appDescription, /^sha256:[0-9a-f]{12} · linux\/amd64 · [\d.]+ (B|kB|MB) compressed · (just now|\d+ \w+ ago)$/);

    await vscode.commands.executeCommand('layerlens.registryTag.copyPinnedReference', tag);
    assert.match(await vscode.env.clipboard.readText(), new RegExp(`^${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/multi/platform:1@sha256:[0-9a-f]{64}$`));
  });

  test('a registry that wants credentials says so on its node, with Log In', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_BASIC_REGISTRY!;
    await vscode.commands.executeCommand('layerlens.registry.add', host);
    const registry = (await api.registries.getChildren()).find((node) => label(api, node) === host)!;
    const [message] = await api.registries.getChildren(registry);
    const item = api.registries.getTreeItem(message!);
    assert.match(label(api, message!), /^Log in to see this: /);
    assert.equal(item.command?.command, 'layerlens.registry.login');
  });

  test('the title\'s Refresh re-reads the whole view, whichever row VS Code passes as focused', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_REGISTRY!;
    const roots = await api.registries.getChildren();
    const registry = roots.find((node) => label(api, node) === host)!;
    const hub = roots.find((node) => label(api, node) === 'docker.io')!;
    assert.ok(!(await api.registries.getChildren(registry)).some((node) => label(api, node) === 'fresh/push'));
    await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', `${host}/fresh/push:1`], { env: process.env });
    await run('/usr/bin/docker', ['push', `${host}/fresh/push:1`], { env: process.env });
    // A view/title action receives the focused row: here Docker Hub's.
    await vscode.commands.executeCommand('layerlens.registries.refresh', hub);
    const registryAgain = (await api.registries.getChildren()).find((node) => label(api, node) === host)!;
    assert.ok((await api.registries.getChildren(registryAgain)).some((node) => label(api, node) === 'fresh/push'), 'the pushed repository is listed');
  });

  test('Add Repository names one the catalog does not list; Delete Tag removes a tag from the registry', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_REGISTRY!;
    const registry = (await api.registries.getChildren()).find((node) => label(api, node) === host)!;
    await vscode.commands.executeCommand('layerlens.registry.addRepository', registry, 'named/by-hand');
    assert.ok((await api.registries.getChildren(registry)).some((node) => label(api, node) === 'named/by-hand'));

    await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', `${host}/doomed/app:1`], { env: process.env });
    await run('/usr/bin/docker', ['push', `${host}/doomed/app:1`], { env: process.env });
    await vscode.commands.executeCommand('layerlens.registry.refresh', registry);
    const repository = (await api.registries.getChildren(registry)).find((node) => label(api, node) === 'doomed/app')!;
    // The suite is bundled apart from the extension: its classes are not the extension's, so no instanceof.
    const [tag] = (await api.registries.getChildren(repository)) as RegistryTagNode[];
    await eventually('the digest of doomed/app:1', () => Promise.resolve(tag!.details().state === 'ready' ? true : undefined));
    const details = tag!.details();
    assert.ok(details.state === 'ready');
    await api.registries.deleteTag(tag!, details.manifest.digest);
    const after = await api.registries.getChildren(repository);
    assert.ok(!after.some((node) => node.kind === 'tag'), `tags left: ${after.map((node) => label(api, node)).join(', ')}`);
  });

  test('Filter Tags narrows the tags shown, and says so; Clear brings them back', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_REGISTRY!;
    for (const tag of ['1.0', '1.1', '2.0-rc']) await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', `${host}/filtered/app:${tag}`], { env: process.env });
    await run('/usr/bin/docker', ['push', '--all-tags', `${host}/filtered/app`], { env: process.env });
    const registry = (await api.registries.getChildren()).find((node) => label(api, node) === host)!;
    await vscode.commands.executeCommand('layerlens.registry.refresh', registry);
    const repository = (await api.registries.getChildren(registry)).find((node) => label(api, node) === 'filtered/app')!;
    assert.deepEqual((await api.registries.getChildren(repository)).map((node) => label(api, node)), ['2.0-rc', '1.1', '1.0']);
    await vscode.commands.executeCommand('layerlens.registries.filter', '1.');
    assert.deepEqual((await api.registries.getChildren(repository)).map((node) => label(api, node)), ['1.1', '1.0']);
    await vscode.commands.executeCommand('layerlens.registries.filter', 'nothing-like-this');
    assert.match(label(api, (await api.registries.getChildren(repository))[0]!), /^No tag of those read contains "nothing-like-this"/);
    await vscode.commands.executeCommand('layerlens.registries.clearFilter');
    assert.equal((await api.registries.getChildren(repository)).length, 3);
  });

  test('a label from layerlens.registries.labels shows beside its registry, and follows the setting', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const host = process.env.LAYERLENS_TEST_REGISTRY!;
    await vscode.commands.executeCommand('layerlens.registry.add', host);
    const description = async (): Promise<string> => {
      const registry = (await api.registries.getChildren()).find((node) => label(api, node) === host)!;
      return String(api.registries.getTreeItem(registry).description);
    };
    const settings = vscode.workspace.getConfiguration('layerlens');
    try {
      await settings.update('registries.labels', { [host]: 'no auth' }, vscode.ConfigurationTarget.Global);
      await eventually('the label', async () => ((await description()) === 'no auth · added' ? true : undefined));
    } finally {
      await settings.update('registries.labels', undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually('the label gone', async () => ((await description()) === 'added' ? true : undefined));
  });

  test('Docker Hub is always listed; without a namespace or a login it says what to set', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const hub = (await api.registries.getChildren()).find((node) => label(api, node) === 'docker.io');
    assert.ok(hub, 'Docker Hub is in the list');
    assert.equal(api.registries.getTreeItem(hub).description, 'Docker Hub');
    const [message] = await api.registries.getChildren(hub);
    assert.match(label(api, message!), /^Docker Hub has no catalog: set layerlens\.dockerHub\.namespace, or log in$/);
    assert.equal(api.registries.getTreeItem(message!).command?.command, 'workbench.action.openSettings');
  });

  test('an address that is not a registry host is refused with the accepted form', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const before = (await api.registries.getChildren()).length;
    await vscode.commands.executeCommand('layerlens.registry.add', 'not a host/with spaces');
    assert.equal((await api.registries.getChildren()).length, before);
  });
});
