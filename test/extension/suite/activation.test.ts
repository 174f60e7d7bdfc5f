// The extension is installed, activates, and registers its commands in a real VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'layerlens.layerlens';

suite('activation', () => {
  test(`extension ${EXTENSION_ID} is present and activates`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('commands are registered', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['layerlens.images.refresh', 'layerlens.images.removeDangling']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });
});
