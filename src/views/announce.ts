// Where a finished command says it is done (pulled, tagged, removed): the status bar by
// default, out of the way, or a notification that fades by itself, as the
// layerlens.successMessages setting says. Failures are never sent here: they are notifications.

import * as vscode from 'vscode';

export type SuccessPlace = 'statusBar' | 'notification';

const STATUS_BAR_MS = 6000;

export function successPlace(): SuccessPlace {
  return vscode.workspace.getConfiguration('layerlens').get<SuccessPlace>('successMessages', 'statusBar') === 'notification' ? 'notification' : 'statusBar';
}

export function announceSuccess(text: string): void {
  // An information message with no buttons hides itself after a few seconds.
  if (successPlace() === 'notification') void vscode.window.showInformationMessage(text);
  else vscode.window.setStatusBarMessage(`$(check) Layerlens: ${text}`, STATUS_BAR_MS);
}
