// Every open Layers panel, one per image: a second Show Layers of the same image reveals the
// panel it has. Routes Dockerfile selections and edits to the panels showing that file.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type LayersLoader } from './loader';
import { type ImageContentsStore } from './contentsStore';
import { type ContentsPaint, epochNow, LayersPanel, type LayersPaint } from './panel';
import { type LayersRequest } from './request';

export class LayersPanels implements vscode.Disposable {
  private readonly panels = new Map<string, LayersPanel>();
  private readonly paintEmitter = new vscode.EventEmitter<LayersPaint>();
  /** Fires when a panel painted the rows a command asked for (tests and benchmarks wait on it). */
  readonly onDidPaint = this.paintEmitter.event;
  private readonly contentsPaintEmitter = new vscode.EventEmitter<ContentsPaint>();
  /** Fires when a panel painted the Files or Waste view "Show Layer Contents" asked for. */
  readonly onDidPaintContents = this.contentsPaintEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: LayerlensContext,
    private readonly loader: LayersLoader,
    /** What the images' layers hold: the panels' Files and Waste views and the size lenses read it. */
    readonly contents: ImageContentsStore,
  ) {
    this.subscriptions.push(
      this.paintEmitter,
      this.contentsPaintEmitter,
      vscode.window.onDidChangeTextEditorSelection((event) => {
        const uri = event.textEditor.document.uri.toString();
        for (const panel of this.panels.values()) {
          if (panel.dockerfileUri?.toString() === uri) panel.highlightLine(event.selections[0]?.active.line ?? 0);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!event.contentChanges.length) return;
        for (const panel of this.panels.values()) panel.dockerfileChanged(event.document);
      }),
    );
  }

  /** Shows the image's panel, reading the image the first time; `started` is the command's start (epoch ms). */
  async show(request: LayersRequest, started = epochNow()): Promise<void> {
    const existing = this.panels.get(request.imageId);
    if (existing) {
      existing.reveal(request.line);
      if (request.view) existing.showView(request.view, started);
      return;
    }
    const panel = new LayersPanel(this.ctx, this.loader, request, (paint) => this.paintEmitter.fire(paint), this.contents, (paint) => this.contentsPaintEmitter.fire(paint));
    this.panels.set(request.imageId, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(request.imageId) === panel) this.panels.delete(request.imageId);
    });
    if (request.view) panel.showView(request.view, started);
    await panel.load(request, started);
  }

  /** The open panels: image ID, title, rows shown and the Dockerfile they are linked to. */
  get open(): ReadonlyArray<{ imageId: string; title: string; rows?: number; dockerfile?: string; visible: boolean }> {
    return [...this.panels.values()].map((panel) => ({
      imageId: panel.imageId,
      title: panel.title,
      rows: panel.rowCount,
      dockerfile: panel.dockerfileUri?.toString(),
      visible: panel.panel.visible,
    }));
  }

  /** Hands `message` to an image's panel exactly as if its webview had posted it (same checks); false when no panel is open. */
  deliver(imageId: string, message: unknown): boolean {
    const panel = this.panels.get(imageId);
    panel?.receive(message);
    return Boolean(panel);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
