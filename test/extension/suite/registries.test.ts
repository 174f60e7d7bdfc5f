// The Registries view inside a real VS Code, against the plain test registry whose host the
// runner passes in LAYERLENS_TEST_REGISTRY.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';
import { type RegistriesNode } from '../../../src/views/registries/nodes';

const EXTENSION_ID = 'layerlens.layerlens';

function label(api: LayerlensApi, node: RegistriesNode): string {
  const item = api.registries.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
    assert.match(appDescription, /^sha256:[0-9a-f]{12} · linux\/amd64 · [\d.]+ (B|kB|MB) · (just now|\d+ \w+ ago)$/);

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

  test('an address that is not a registry host is refused with the accepted form', async () => {
    const api = await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
    const before = (await api.registries.getChildren()).length;
    await vscode.commands.executeCommand('layerlens.registry.add', 'not a host/with spaces');
    assert.equal((await api.registries.getChildren()).length, before);
  });
});
