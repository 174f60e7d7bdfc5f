// What the lens commands and the bulk commands share: which digest a status allows pinning to,
// and applying edits as one WorkspaceEdit, so each command is one undo step.

import * as vscode from 'vscode';
import { mergeEdits, type TextEdit } from '../../pinning/pin';
import { type PinStatus } from '../../pinning/pinStatus';

export function pinnableDigest(status: PinStatus): string | undefined {
  return status.kind === 'unpinned' || status.kind === 'moved' || status.kind === 'current' ? status.choice.digest : undefined;
}

export async function applyEdits(document: vscode.TextDocument, edits: readonly TextEdit[], what: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const { span, newText } of mergeEdits(edits)) edit.replace(document.uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not ${what} in ${vscode.workspace.asRelativePath(document.uri)}: VS Code refused the edit (is the file read-only?).`);
}
