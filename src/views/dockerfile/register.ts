// The Dockerfile side: lenses (registered only while layerlens.dockerfile.codeLens is on),
// hover and moved-tag warnings. The pin commands are in ./commands.ts.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { registerLensWhileEnabled } from '../lensWhileEnabled';
import { MovedTagDiagnostics, MovedTagQuickFix } from './diagnostics';
import { DockerfileHoverProvider } from './hover';
import { DockerfileLensProvider } from './lenses';
import { DOCKERFILE_SELECTOR, DockerfilePinning } from './pinning';

const LENS_SETTING = 'layerlens.dockerfile.codeLens';

export function registerDockerfileSupport(ctx: LayerlensContext): DockerfilePinning {
  const pinning = new DockerfilePinning(ctx);
  ctx.subscriptions.push(
    pinning,
    new MovedTagDiagnostics(pinning),
    vscode.languages.registerHoverProvider(DOCKERFILE_SELECTOR, new DockerfileHoverProvider(pinning)),
    vscode.languages.registerCodeActionsProvider(DOCKERFILE_SELECTOR, new MovedTagQuickFix(pinning), { providedCodeActionKinds: MovedTagQuickFix.kinds }),
  );

  registerLensWhileEnabled(ctx, LENS_SETTING, true, DOCKERFILE_SELECTOR, () => new DockerfileLensProvider(pinning));
  trackDockerfileEditor(ctx, pinning);
  return pinning;
}

/**
 * `layerlens.editorIsDockerfile` for the menus' `when`: the same rule as the lenses
 * (`editorLangId` would miss a `build.Dockerfile` opened as plain text and count an ignore file).
 */
function trackDockerfileEditor(ctx: LayerlensContext, pinning: DockerfilePinning): void {
  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'layerlens.editorIsDockerfile', document ? pinning.isDockerfile(document) : false);
  };
  update();
  ctx.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidOpenTextDocument((document) => document === vscode.window.activeTextEditor?.document && update()),
  );
}
