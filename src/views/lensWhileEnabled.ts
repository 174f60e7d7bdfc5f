// A CodeLens provider registered only while its boolean setting is on (GitLens's pattern): an
// editor with the setting off pays nothing for it, and turning it on or off takes effect at once.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../context';

export function registerLensWhileEnabled(ctx: LayerlensContext, setting: string, defaultValue: boolean, selector: vscode.DocumentSelector, create: () => vscode.CodeLensProvider): void {
  let registration: vscode.Disposable | undefined;
  const update = (): void => {
    const enabled = vscode.workspace.getConfiguration().get<boolean>(setting, defaultValue);
    if (enabled && !registration) registration = vscode.languages.registerCodeLensProvider(selector, create());
    if (!enabled && registration) {
      registration.dispose();
      registration = undefined;
    }
  };
  update();
  ctx.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(setting)) update();
    }),
    { dispose: () => void registration?.dispose() },
  );
}
