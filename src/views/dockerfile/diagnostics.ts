// With layerlens.dockerfile.movedTagWarnings on: a warning on each pinned image whose tag has
// moved, in every open Dockerfile, refreshed when a file opens, changes (after a pause) or
// the cached answers are dropped. Off by default: it asks the registry for every FROM, seen
// or not.

import * as vscode from 'vscode';
import { type PinStatus } from '../../pinning/pinStatus';
import { type DockerfilePinning } from './pinning';
import { COMMANDS } from '../commandIds';
import { movedMessage } from './statusText';

const SETTING = 'layerlens.dockerfile.movedTagWarnings';
const CHANGE_PAUSE_MS = 800;

export class MovedTagDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerlens');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per document, the newest check: an older one finishing late does not overwrite it. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly pinning: DockerfilePinning) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document, CHANGE_PAUSE_MS)),
      vscode.workspace.onDidCloseTextDocument((document) => this.clear(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTING) || event.affectsConfiguration('layerlens.dockerfile.pinPlatform')) this.checkAll();
      }),
      pinning.onDidChange(() => this.checkAll()),
    );
    this.checkAll();
  }

  private enabled(scope?: vscode.Uri): boolean {
    return vscode.workspace.getConfiguration('layerlens.dockerfile', scope).get<boolean>('movedTagWarnings', false);
  }

  private checkAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!this.pinning.isDockerfile(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    if (!this.enabled(document.uri)) {
      this.clear(document.uri);
      return;
    }
    this.timers.set(key, setTimeout(() => void this.check(document), delayMs));
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const version = document.version;
    const pinned = this.pinning.parse(document).images.filter((image) => image.kind === 'image' && image.reference?.tag && image.reference.digest);
    const statuses = await Promise.all(pinned.map(async (image) => ({ image, status: await this.pinning.status(image, document.uri).catch((): PinStatus | undefined => undefined) })));
    if (this.generations.get(key) !== generation || document.version !== version || document.isClosed) return;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const { image, status } of statuses) {
      if (status?.kind !== 'moved') continue;
      const range = new vscode.Range(document.positionAt(image.span.start), document.positionAt(image.span.end));
      const diagnostic = new vscode.Diagnostic(range, movedMessage(image, status), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'Layerlens';
      diagnostic.code = 'tag-moved';
      diagnostics.push(diagnostic);
    }
    this.collection.set(document.uri, diagnostics);
  }

  private clear(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** "Update the digest" on a moved-tag warning: the same edit as the lens. */
export class MovedTagQuickFix implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly pinning: DockerfilePinning) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'Layerlens' || diagnostic.code !== 'tag-moved') continue;
      const offset = document.offsetAt(diagnostic.range.start);
      const image = this.pinning.parse(document).images.find((candidate) => candidate.span.start === offset);
      if (!image) continue;
      const action = new vscode.CodeAction('Update the pinned digest to where the tag points now', vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.command = { title: action.title, command: COMMANDS.pinImage, arguments: [document.uri, image.line] };
      actions.push(action);
    }
    return actions;
  }
}
