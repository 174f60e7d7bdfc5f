// The Local Images view inside a real VS Code, against the throwaway engine whose
// DOCKER_HOST the runner passed to code-server.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';
import { type ImagesNode } from '../../../src/views/images/nodes';
import { eventually, labelOf } from './helpers';

const run = promisify(execFile);
const EXTENSION_ID = 'layerlens.layerlens';
let api: LayerlensApi;

async function rootItems(): Promise<Array<{ node: ImagesNode; item: vscode.TreeItem }>> {
  const nodes = await api.imagesProvider.getChildren();
  return nodes.map((node) => ({ node, item: api.imagesProvider.getTreeItem(node) }));
}

async function childItems(label: string): Promise<Array<{ node: ImagesNode; item: vscode.TreeItem }>> {
  const parent = (await rootItems()).find((entry) => entry.item.label === label);
  assert.ok(parent, `no "${label}" in the tree`);
  const nodes = await api.imagesProvider.getChildren(parent.node);
  return nodes.map((node) => ({ node, item: api.imagesProvider.getTreeItem(node) }));
}

suite('Local Images view', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await vscode.commands.executeCommand('workbench.view.extension.layerlens');
    await eventually('the first listing', () => Promise.resolve(api.images.state.kind === 'ready' ? true : undefined), 30_000);
  });

  test('activate() reports how long it took', () => {
    assert.ok(api.activationMs > 0);
    console.log(`activate() took ${api.activationMs.toFixed(1)} ms`);
  });

  test('the view names the engine, its version and the endpoint once, in its message line', () => {
    assert.match(api.imagesView.message ?? '', /^Docker Engine 20\.10\.\d+\S* · unix:\/\/\/tmp\/ll-/);
    // It was said twice: the header's description (cut short in a narrow side bar) and the message.
    assert.equal(api.imagesView.description, undefined);
  });

  test('repositories at the top, the Dangling group last', async () => {
    const labels = (await rootItems()).map((entry) => labelOf(entry.item));
    for (const expected of ['layerlens-test/app', 'layerlens-test/busybox', 'layerlens-test/classic', 'layerlens-test/buildkit', 'localhost:5000/team/app']) {
      assert.ok(labels.includes(expected), `${expected} missing from ${labels.join(', ')}`);
    }
    assert.equal(labels.at(-1), 'Dangling');
    const dangling = (await rootItems()).at(-1)!.item;
    assert.match(String(dangling.description), /^\d+ images? · [\d.]+ (B|kB|MB)$/);
    assert.equal(dangling.contextValue, 'danglingGroup');
  });

  test('tags are children with size and age, and a marker for an image a stopped container holds', async () => {
    const tags = await childItems('layerlens-test/app');
    // The Registries view's order: newest version first, then latest (it used to be latest first, then build date).
    assert.deepEqual(tags.map((entry) => labelOf(entry.item)), ['1.1', '1.0', 'latest']);
    for (const { item } of tags) {
      assert.match(String(item.description), /^[\d.]+ (B|kB|MB) · (just now|\d+ \w+ ago)$/);
      assert.equal(item.contextValue, 'tag');
    }
    const inUse = await childItems('layerlens-test/inuse');
    assert.equal(inUse[0]!.item.contextValue, 'tag:inuse');
    assert.match(String(inUse[0]!.item.description), / · used by a stopped container$/);
  });

  test('the tooltip, resolved on hover, has the ID, tags, platform and containers', async () => {
    const [entry] = await childItems('layerlens-test/inuse');
    const resolved = await api.imagesProvider.resolveTreeItem(entry!.item, entry!.node, new vscode.CancellationTokenSource().token);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /ID: `sha256:[0-9a-f]{64}`/);
    assert.match(tooltip, /Platform: linux\/amd64/);
    assert.match(tooltip, /Containers: 1 \(layerlens\\-inuse created\)/);
    assert.match(tooltip, /^- Created: \d{4}-\d\d-\d\d \d\d:\d\d \(/m);
  });

  test('a tag of an image with several is headed by that tag, the others listed once below', async () => {
    const latest = (await childItems('layerlens-test/app')).find((entry) => entry.item.label === 'latest')!;
    const resolved = await api.imagesProvider.resolveTreeItem(latest.item, latest.node, new vscode.CancellationTokenSource().token);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.equal(tooltip.split('\n')[0], '**layerlens\\-test/app:latest**');
    const also = /^- Also tagged: (.*)$/m.exec(tooltip)?.[1] ?? '';
    assert.match(also, /`layerlens-test\/classic:1`/);
    assert.doesNotMatch(also, /app:latest/);
  });

  test('every contributed command is registered', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    const registered = await vscode.commands.getCommands(true);
    for (const id of contributed) assert.ok(registered.includes(id), `${id} is contributed but not registered`);
  });

  test('Copy Image ID and Copy Full Name on a tag node', async () => {
    const latest = (await childItems('layerlens-test/app')).find((entry) => entry.item.label === 'latest');
    await vscode.commands.executeCommand('layerlens.image.copyId', latest!.node);
    assert.match(await vscode.env.clipboard.readText(), /^sha256:[0-9a-f]{64}$/);
    await vscode.commands.executeCommand('layerlens.image.copyFullName', latest!.node);
    assert.equal(await vscode.env.clipboard.readText(), 'docker.io/layerlens-test/app:latest');
  });

  test('Copy Digest on an image pushed to a registry copies its registry digest', async () => {
    const registryHost = process.env.LAYERLENS_TEST_REGISTRY;
    assert.ok(registryHost, 'the runner sets LAYERLENS_TEST_REGISTRY');
    const [pushed] = await childItems(`${registryHost}/team/app`);
    await vscode.commands.executeCommand('layerlens.image.copyDigest', pushed!.node);
    assert.match(await vscode.env.clipboard.readText(), /^sha256:[0-9a-f]{64}$/);
  });

  test('Inspect Image opens the engine JSON in a read-only document', async () => {
    const latest = (await childItems('layerlens-test/app')).find((entry) => entry.item.label === 'latest');
    await vscode.commands.executeCommand('layerlens.image.inspect', latest!.node);
    const editor = await eventually('the inspect editor', () => Promise.resolve(vscode.window.activeTextEditor?.document.uri.scheme === 'layerlens-inspect' ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.languageId, 'json');
    const inspected = JSON.parse(editor.document.getText()) as { Id: string; RepoTags: string[] };
    assert.ok(inspected.RepoTags.includes('layerlens-test/app:latest'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('an outside `docker tag` appears in the tree by itself', async () => {
    await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', 'layerlens-test/from-terminal:now'], { env: process.env });
    await eventually('the outside tag in the tree', async () => {
      const labels = (await rootItems()).map((entry) => entry.item.label);
      return labels.includes('layerlens-test/from-terminal') ? true : undefined;
    });
  });
});

suite('Engine setting', () => {
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('layerlens');

  suiteTeardown(async () => {
    await settings().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
  });

  test('changing layerlens.dockerHost reconnects: a wrong socket is named in the view, the right one brings the rows back', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    await settings().update('dockerHost', 'unix:///tmp/layerlens-nowhere/docker.sock', vscode.ConfigurationTarget.Global);
    await eventually('the error state', () => Promise.resolve(api.images.state.kind === 'error' ? true : undefined));
    assert.match(api.imagesView.message ?? '', /^Cannot reach Docker at unix:\/\/\/tmp\/layerlens-nowhere\/docker\.sock: the socket does not exist\./);
    const actions = await api.imagesProvider.getChildren();
    assert.deepEqual(actions.map((node) => labelOf(api.imagesProvider.getTreeItem(node))), ['Retry', 'Open Settings', 'Show Log']);

    await settings().update('dockerHost', 'ftp://not-an-engine', vscode.ConfigurationTarget.Global);
    await eventually('the bad-setting message', () => Promise.resolve(/"ftp:\/\/not-an-engine" from the layerlens\.dockerHost setting is not a Docker host/.test(api.imagesView.message ?? '') ? true : undefined));

    await settings().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    await eventually('the rows again', () => Promise.resolve(api.images.state.kind === 'ready' ? true : undefined));
    assert.match(api.imagesView.message ?? '', /^Docker Engine/);
  });
});

suite('Push and pull from the tree', () => {
  test('Push Image on two selected tags pushes both; Pull Image on a tag pulls it back', async () => {
    api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const registryHost = process.env.LAYERLENS_TEST_REGISTRY!;
    for (const tag of ['a', 'b']) await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', `${registryHost}/multi/select:${tag}`], { env: process.env });
    const tags = await eventually('both tags in the tree', async () => {
      const parent = (await rootItems()).find((entry) => entry.item.label === `${registryHost}/multi/select`);
      const children = parent ? await api.imagesProvider.getChildren(parent.node) : [];
      return children.length === 2 ? children : undefined;
    });
    await vscode.commands.executeCommand('layerlens.image.push', tags[0], tags);
    for (const tag of ['a', 'b']) {
      const response = await fetch(`http://${registryHost}/v2/multi/select/manifests/${tag}`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
      assert.equal(response.status, 200, `multi/select:${tag} is not in the registry`);
    }
    await run('/usr/bin/docker', ['rmi', `${registryHost}/multi/select:b`], { env: process.env });
    const tagB = tags.find((node) => labelOf(api.imagesProvider.getTreeItem(node)) === 'b');
    await vscode.commands.executeCommand('layerlens.image.pull', tagB);
    await run('/usr/bin/docker', ['image', 'inspect', `${registryHost}/multi/select:b`], { env: process.env });
  });
});
