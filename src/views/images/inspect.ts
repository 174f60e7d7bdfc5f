// Inspect Image: the engine's JSON in a read-only editor (a content provider, so there is
// no "save changes?" prompt and nothing to lose).

import * as vscode from 'vscode';
import { inspectImage } from '../../engine/images';
import { type EngineSession } from '../../engine/session';

export const INSPECT_SCHEME = 'layerlens-inspect';

export class ImageInspectProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: EngineSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = new URLSearchParams(uri.query).get('name') ?? '';
    const document = await this.session.run(`inspect ${name}`, (connection) => inspectImage(connection.calls, name));
    return JSON.stringify(document, null, 2) + '\n';
  }
}

export function inspectUri(engineName: string, displayName: string): vscode.Uri {
  const file = displayName.replace(/[/\\:@<>|?*"]+/g, '_');
  // A timestamp in the query makes each Inspect a fresh read, not a cached document.
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${file}.json`, query: new URLSearchParams({ name: engineName, at: String(Date.now()) }).toString() });
}
