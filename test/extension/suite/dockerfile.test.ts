// Pinning Dockerfile FROM lines inside a real VS Code, against the plain test registry whose
// host the runner passes in LAYERLENS_TEST_REGISTRY (it holds team/app:1.0 and the OCI index
// multi/platform:1).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { type LayerlensApi } from '../../../src/extension';
import { eventually } from './helpers';

const run = promisify(execFile);
const EXTENSION_ID = 'layerlens.layerlens';

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  // The second argument asks VS Code to resolve that many lenses (resolveCodeLens runs).
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  // Only the pin lenses (the Layers lens at the top has its own tests); sorted: VS Code does
  // not promise the order of several lenses on one line.
  return lenses
    .filter((lens) => !lens.command?.title.startsWith('$(layers)'))
    .map((lens) => `${lens.range.start.line}: ${lens.command?.title ?? '(unresolved)'}`)
    .sort();
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}

async function headDigest(host: string, repository: string, tag: string): Promise<string> {
  const accept = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: accept } });
  assert.equal(response.status, 200, `${repository}:${tag} is not in ${host}`);
  return response.headers.get('docker-content-digest')!;
}

async function openDockerfile(name: string, text: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const uri = vscode.Uri.joinPath(folder, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

suite('Dockerfile pinning', () => {
  const host = process.env.LAYERLENS_TEST_REGISTRY!;
  suiteSetup(async () => {
    await vscode.extensions.getExtension<LayerlensApi>(EXTENSION_ID)!.activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a lens above each FROM; Pin to digest writes the registry’s digest; undo takes it back', async () => {
    const original = `# syntax=docker/dockerfile:1\nFROM ${host}/team/app:1.0 AS base\nRUN true\n\nFROM scratch\nCOPY --from=base / /\n`;
    const editor = await openDockerfile('pin.Dockerfile', original);
    assert.equal(editor.document.languageId, 'dockerfile');
    assert.deepEqual(await lensTitles(editor.document.uri), ['1: $(pin) Pin to digest']);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
    const pin = lenses.find((lens) => lens.command?.command === 'layerlens.dockerfile.pin')!.command!;
    await vscode.commands.executeCommand(pin.command, ...((pin.arguments ?? []) as unknown[]));
    const digest = await headDigest(host, 'team/app', '1.0');
    assert.equal(editor.document.getText(), original.replace(`team/app:1.0 AS base`, `team/app:1.0@${digest} AS base`));
    assert.deepEqual(await lensTitles(editor.document.uri), ['1: $(pass) Pinned · tag current', '1: Unpin'].sort());

    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
  });

  test('one rule for "is this a Dockerfile": any case counts, an ignore file never does, whatever its language', async () => {
    const text = `FROM ${host}/team/app:1.0\n`;
    const upper = await openDockerfile('BUILD.DOCKERFILE', text);
    assert.deepEqual(await lensTitles(upper.document.uri), ['0: $(pin) Pin to digest']);
    const ignore = await openDockerfile('app.Dockerfile.dockerignore', text);
    assert.deepEqual(await lensTitles(ignore.document.uri), []);
    const asDockerfile = await vscode.languages.setTextDocumentLanguage(ignore.document, 'dockerfile');
    assert.deepEqual(await lensTitles(asDockerfile.uri), []);
  });

  test('Pin All pins every FROM and COPY --from in one undo step; Unpin All takes them out; CRLF stays CRLF', async () => {
    const original = [`ARG BASE=${host}/multi/platform:1`, 'FROM ${BASE} AS build', `FROM --platform=linux/arm64 ${host}/multi/platform:1 AS arm`, 'FROM scratch', `COPY --from=${host}/team/app:1.0 /bin/sh /sh`, ''].join('\r\n');
    const editor = await openDockerfile('Containerfile', original);
    await vscode.commands.executeCommand('layerlens.dockerfile.pinAll');
    const text = editor.document.getText();
    const index = await headDigest(host, 'multi/platform', '1');
    const app = await headDigest(host, 'team/app', '1.0');
    assert.ok(text.startsWith(`ARG BASE=${host}/multi/platform:1@${index}\r\nFROM \${BASE} AS build\r\n`), text);
    const arm = new RegExp(`FROM --platform=linux/arm64 ${host.replace(/[.]/g, '\\.')}/multi/platform:1@(sha256:[0-9a-f]{64}) AS arm\r\n`).exec(text);
    assert.ok(arm, `the arm64 line is pinned: ${text}`);
    assert.notEqual(arm[1], index, 'a literal --platform pins that platform’s manifest, not the index');
    assert.ok(text.includes(`COPY --from=${host}/team/app:1.0@${app} /bin/sh /sh\r\n`), text);
    assert.equal(text.split('\r\n').length, original.split('\r\n').length);

    const hover = await hoverText(editor.document.uri, new vscode.Position(2, 40));
    assert.match(hover, /the linux\/arm64 manifest digest: the pin fixes that one platform/, hover);
    assert.match(hover, /\| linux\/amd64 \| `sha256:[0-9a-f]{64}` \|/, hover);
    assert.match(hover, /\| linux\/arm64 \| `sha256:[0-9a-f]{64}` \|/, hover);
    // A name that is already full is said once (it read "**host/multi/platform:1** · `host/multi/platform:1`").
    assert.equal(hover.split('\n')[0], `**${host.replace(/\./g, '\\.')}/multi/platform:1**`, hover);
    const argHover = await hoverText(editor.document.uri, new vscode.Position(1, 8));
    assert.match(argHover, /The pin lives in `ARG BASE` \(line 1\)/, argHover);

    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo step takes every pin back');
    await vscode.commands.executeCommand('redo');
    await vscode.commands.executeCommand('layerlens.dockerfile.unpinAll');
    assert.equal(editor.document.getText(), original);
  });

  test('a moved tag is reported on its lens and, with the setting on, as a warning; Update All pins the new digest', async () => {
    const reference = `${host}/pin/moving:1`;
    await run('/usr/bin/docker', ['tag', 'layerlens-test/busybox:1', reference], { env: process.env });
    await run('/usr/bin/docker', ['push', reference], { env: process.env });
    const first = await headDigest(host, 'pin/moving', '1');
    const editor = await openDockerfile('moving.Dockerfile', `FROM ${reference}@${first}\nCMD ["sh"]\n`);
    assert.deepEqual(await lensTitles(editor.document.uri), ['0: $(pass) Pinned · tag current', '0: Unpin'].sort());

    // Move the tag: a different image under the same name.
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'll-moved-'));
    try {
      fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM layerlens-test/busybox:1\nLABEL moved=yes\n');
      await run('/usr/bin/docker', ['build', '-q', '-t', reference, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    } finally {
      fs.rmSync(context, { recursive: true, force: true });
    }
    await run('/usr/bin/docker', ['push', reference], { env: process.env });
    const second = await headDigest(host, 'pin/moving', '1');
    assert.notEqual(second, first);
    await vscode.commands.executeCommand('layerlens.dockerfile.retry');
    assert.deepEqual(await lensTitles(editor.document.uri), ['0: $(warning) Tag moved · update digest', '0: Unpin'].sort());

    await vscode.workspace.getConfiguration('layerlens.dockerfile').update('movedTagWarnings', true, vscode.ConfigurationTarget.Global);
    try {
      const [warning] = await eventually('the moved-tag warning', () => {
        const found = vscode.languages.getDiagnostics(editor.document.uri).filter((diagnostic) => diagnostic.source === 'Layerlens');
        return Promise.resolve(found.length ? found : undefined);
      });
      assert.equal(warning!.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning!.message, /pin\/moving:1 has moved: this line is pinned to sha256:[0-9a-f]{12}, the tag now points at sha256:[0-9a-f]{12}\./);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, warning!.range);
      const fix = actions.find((action) => action.title === 'Update the pinned digest to where the tag points now');
      assert.ok(fix?.command, `a quick fix on the warning: ${actions.map((action) => action.title).join(', ')}`);
      await vscode.commands.executeCommand('layerlens.dockerfile.updateAll');
      assert.equal(editor.document.getText(), `FROM ${reference}@${second}\nCMD ["sh"]\n`);
      await eventually('the warning to go', () => Promise.resolve(vscode.languages.getDiagnostics(editor.document.uri).some((diagnostic) => diagnostic.source === 'Layerlens') ? undefined : true));
    } finally {
      await vscode.workspace.getConfiguration('layerlens.dockerfile').update('movedTagWarnings', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('what cannot be pinned says why: an ARG without a value, a tag that does not exist, an unreachable registry', async () => {
    const editor = await openDockerfile('broken.Dockerfile', ['ARG GO_VERSION', `FROM golang:\${GO_VERSION} AS build`, `FROM ${host}/team/app:9.99`, 'FROM 127.0.0.1:9/nothing/here:1', 'FROM build', ''].join('\n'));
    const titles = await lensTitles(editor.document.uri);
    assert.equal(titles.length, 3, titles.join('\n'));
    assert.match(titles[0]!, /^1: \$\(circle-slash\) Cannot pin: \$\{GO_VERSION\} has no value/);
    assert.match(titles[1]!, /^2: \$\(error\) .*team\/app:9\.99.* · Retry$/);
    // Port 9 is one Node's fetch refuses: the lens leads with that cause, not with who was asked.
    assert.match(titles[2]!, /^3: \$\(error\) Cannot reach 127\.0\.0\.1:9: port 9 is one Node's fetch refuses .* · Retry$/);
    const hover = await hoverText(editor.document.uri, new vscode.Position(3, 10));
    const [lead, details] = hover.split('**Details**');
    assert.match(lead!, /Cannot reach 127\\\.0\\\.0\\\.1:9: port 9 is one Node's fetch refuses to connect to \\\(a blocked port\\\)\\\. Use the registry's real port\\\.\s*---\s*$/, hover);
    assert.match(details ?? '', /The registry: Cannot read the manifest of nothing\/here:1 on registry 127\\\.0\\\.0\\\.1:9: .*bad port/, hover);
    assert.match(details ?? '', /The engine: The engine cannot resolve 127\\\.0\\\.0\\\.1:9\/nothing\/here:1/, hover);
  });

  test('Pin All says what it did: pinned of all, already pinned, skipped and not resolved, each line with its reason', async () => {
    const app = await headDigest(host, 'team/app', '1.0');
    const lines = ['ARG GO_VERSION', `FROM golang:\${GO_VERSION} AS build`, `FROM ${host}/team/app:1.0@${app}`, `FROM ${host}/multi/platform:1`, 'FROM 127.0.0.1:9/nothing/here:1', 'FROM build', ''];
    const editor = await openDockerfile('pinall.Dockerfile', lines.join('\n'));
    const summary = await vscode.commands.executeCommand<{ sentence: string; details: string[] } | undefined>('layerlens.dockerfile.pinAll');
    assert.ok(summary, 'Pin All returns its summary');
    assert.equal(
      summary.sentence,
      "Pinned 1 of 4 FROM lines in pinall.Dockerfile · 1 already pinned · 1 skipped · 1 not resolved. Cannot reach 127.0.0.1:9: port 9 is one Node's fetch refuses to connect to (a blocked port). Use the registry's real port.",
    );
    assert.equal(summary.details.length, 2, summary.details.join('\n'));
    assert.match(summary.details[0]!, /^line 2, golang:\$\{GO_VERSION\} \(skipped\): Cannot pin: \$\{GO_VERSION\} has no value/);
    assert.match(summary.details[1]!, /^line 5, 127\.0\.0\.1:9\/nothing\/here:1 \(not resolved\): Cannot reach 127\.0\.0\.1:9: .*\n {2}The registry: .*\n {2}The engine: /);
    assert.match(editor.document.getText(), new RegExp(`FROM ${host.replace(/[.]/g, '\\.')}/multi/platform:1@sha256:[0-9a-f]{64}\n`));

    const again = await vscode.commands.executeCommand<{ sentence: string } | undefined>('layerlens.dockerfile.pinAll');
    assert.match(again?.sentence ?? '', /^Pinned 0 of 4 FROM lines in pinall\.Dockerfile · 2 already pinned · 1 skipped · 1 not resolved\./);
  });

  test('the lenses go away when layerlens.dockerfile.codeLens is off', async () => {
    const editor = await openDockerfile('Dockerfile.off', `FROM ${host}/team/app:1.0\n`);
    await vscode.workspace.getConfiguration('layerlens.dockerfile').update('codeLens', false, vscode.ConfigurationTarget.Global);
    try {
      await eventually('no lenses', async () => ((await lensTitles(editor.document.uri)).length === 0 ? true : undefined));
    } finally {
      await vscode.workspace.getConfiguration('layerlens.dockerfile').update('codeLens', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await lensTitles(editor.document.uri)).length, 1);
  });
});
