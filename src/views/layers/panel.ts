// One Layers panel: the webview of one image. The host reads the image, attributes it to a
// Dockerfile, sends the rows once the webview says "ready", opens the Dockerfile line a click
// names (the path is the host's own, never the message's), and highlights the rows of the line
// the user selects in that Dockerfile.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type ImageLayersModel } from '../../dockerfile/layers';
import { layersPanelHtml } from './html';
import { type DockerfileSource, type LayersLoader, type LayersSource, readDockerfileText } from './loader';
import { rowsAtLine, toPanelData } from './panelData';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from './protocol';
import { type LayersRequest } from './request';

export const LAYERS_VIEW_TYPE = 'layerlens.layers';
const REBUILD_DELAY_MS = 250;

/** Epoch milliseconds with sub-millisecond precision: comparable with the webview's clock. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** How long one Show Layers took, from the command to the painted rows. */
export interface LayersPaint {
  imageId: string;
  title: string;
  rows: number;
  /** Command start to the webview's first paint of the rows. */
  totalMs: number;
  /** Engine reads (inspect, history, every local image's layers the first time). */
  readMs: number;
  /** The model and the panel's rows, Dockerfile search included. */
  modelMs: number;
  /** Command start to the webview's "ready". */
  webviewReadyMs: number;
  /** The webview's render of the rows, to its paint. */
  renderMs: number;
}

interface Timing {
  started: number;
  readMs?: number;
  modelMs?: number;
  readyAt?: number;
}

export class LayersPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  /** The latest show (or error) message: sent on "ready", and again if the webview reloads. */
  private latest: HostMessage | undefined;
  /** A highlight asked for before the webview was ready. */
  private pendingHighlight: HostMessage | undefined;
  private disposed = false;
  private source: LayersSource | undefined;
  private model: ImageLayersModel | undefined;
  private dockerfile: vscode.Uri | undefined;
  private highlighted = '';
  private pendingLine: number | undefined;
  private timing: Timing | undefined;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    private readonly ctx: LayerlensContext,
    private readonly loader: LayersLoader,
    private request: LayersRequest,
    private readonly onPaint: (paint: LayersPaint) => void,
  ) {
    const extensionUri = ctx.extension.extensionUri;
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(LAYERS_VIEW_TYPE, `Layers: ${request.displayName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      enableFindWidget: true,
      localResourceRoots: [dist, media],
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'layerlens.svg');
    const webview = this.panel.webview;
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
    );
    webview.html = layersPanelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(), webview.asWebviewUri(vscode.Uri.joinPath(media, 'layers.css')).toString()],
    });
  }

  get imageId(): string {
    return this.request.imageId;
  }

  get title(): string {
    return this.panel.title;
  }

  get dockerfileUri(): vscode.Uri | undefined {
    return this.dockerfile;
  }

  get rowCount(): number | undefined {
    return this.model?.rows.length;
  }

  /** Reads the image and shows it; `started` is when the command began (epoch ms). */
  load(request: LayersRequest, started: number): Promise<void> {
    this.request = request;
    this.timing = { started };
    this.pendingLine = request.line;
    const loading = this.read(request).finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  reveal(line?: number): void {
    this.panel.reveal(undefined, false);
    if (line !== undefined) {
      if (this.loading) this.pendingLine = line;
      else this.highlightLine(line);
    }
  }

  private async read(request: LayersRequest): Promise<void> {
    const timing = this.timing!;
    try {
      const given = request.dockerfile ? vscode.Uri.parse(request.dockerfile) : undefined;
      const givenText = given ? await readDockerfileText(given) : undefined;
      const source = await this.loader.read(request.engineName, request.displayName, given && givenText !== undefined ? { uri: given, text: givenText } : undefined);
      timing.readMs = epochNow() - timing.started;
      let dockerfile: DockerfileSource | undefined = given && givenText !== undefined ? { uri: given, text: givenText } : undefined;
      dockerfile ??= await this.loader.findWorkspaceDockerfile(source.input);
      if (dockerfile) await this.loader.prepareBase(source, dockerfile.text);
      this.source = source;
      this.dockerfile = dockerfile?.uri;
      this.show(dockerfile?.text);
      timing.modelMs = epochNow() - timing.started - timing.readMs;
      this.ctx.log.info(
        `layers: ${request.displayName}: ${this.model!.rows.length} rows, ${dockerfile ? `lines from ${vscode.workspace.asRelativePath(dockerfile.uri)}` : 'no matching Dockerfile'} (read ${timing.readMs.toFixed(0)} ms, model ${timing.modelMs.toFixed(1)} ms)`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`layers: ${request.displayName}: ${message}`);
      this.timing = undefined;
      this.post({ type: 'error', message: `Cannot show the layers of ${request.displayName}: ${message}` });
    }
  }

  /** Builds the model and posts the rows (the Dockerfile text may have changed). */
  private show(dockerfileText: string | undefined): void {
    if (!this.source) return;
    this.model = this.loader.build(this.source, dockerfileText);
    const data = toPanelData(this.model, { name: this.request.displayName, dockerfileLabel: this.dockerfile ? vscode.workspace.asRelativePath(this.dockerfile) : undefined });
    this.post({ type: 'show', data });
    if (this.pendingLine !== undefined) {
      this.highlightLine(this.pendingLine);
      this.pendingLine = undefined;
    } else if (this.highlighted) {
      this.highlighted = '';
      const editor = vscode.window.activeTextEditor;
      if (editor && this.dockerfile && editor.document.uri.toString() === this.dockerfile.toString()) this.highlightLine(editor.selection.active.line);
    }
  }

  /** The Dockerfile was edited: attribute again (debounced; the engine is not asked again). */
  dockerfileChanged(document: vscode.TextDocument): void {
    if (!this.dockerfile || document.uri.toString() !== this.dockerfile.toString() || !this.source) return;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => this.show(document.getText()), REBUILD_DELAY_MS);
  }

  /** Highlights the rows the 0-based Dockerfile line made (none: clears). */
  highlightLine(line: number): void {
    if (!this.model) return;
    const rows = rowsAtLine(this.model, line);
    const key = rows.join(',');
    if (key === this.highlighted) return;
    this.highlighted = key;
    this.post({ type: 'highlight', rows });
  }

  private post(message: HostMessage): void {
    if (message.type !== 'highlight') this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message);
    else if (message.type === 'highlight') this.pendingHighlight = message;
  }

  private receive(value: unknown): void {
    const parsed = parseWebviewMessage(value);
    if (!parsed.ok) {
      this.ctx.log.warn(`layers: ignored a message from the panel of ${this.request.displayName}: ${parsed.reason}`);
      return;
    }
    void this.handle(parsed.message).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`layers: ${parsed.message.type}: ${message}`);
      void vscode.window.showErrorMessage(message);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.timing && this.timing.readyAt === undefined) this.timing.readyAt = epochNow();
        if (this.latest) await this.panel.webview.postMessage(this.latest);
        if (this.pendingHighlight) await this.panel.webview.postMessage(this.pendingHighlight);
        this.pendingHighlight = undefined;
        return;
      case 'painted':
        this.painted(message);
        return;
      case 'openLine':
        await this.openLine(message.row);
        return;
    }
  }

  private painted(message: Extract<WebviewMessage, { type: 'painted' }>): void {
    const timing = this.timing;
    if (!timing || timing.readMs === undefined || timing.modelMs === undefined) return;
    this.timing = undefined;
    const paint: LayersPaint = {
      imageId: this.imageId,
      title: this.title,
      rows: message.rows,
      totalMs: message.at - timing.started,
      readMs: timing.readMs,
      modelMs: timing.modelMs,
      webviewReadyMs: (timing.readyAt ?? message.at) - timing.started,
      renderMs: message.renderMs,
    };
    this.ctx.log.info(
      `layers: ${this.request.displayName}: ${paint.rows} rows painted ${paint.totalMs.toFixed(0)} ms after the command (engine ${paint.readMs.toFixed(0)} ms, model ${paint.modelMs.toFixed(1)} ms, webview ready at ${paint.webviewReadyMs.toFixed(0)} ms, render ${paint.renderMs.toFixed(1)} ms)`,
    );
    this.onPaint(paint);
  }

  private async openLine(rowIndex: number): Promise<void> {
    const row = this.model?.rows[rowIndex];
    const attribution = row?.dockerfile;
    const uri = this.dockerfile;
    if (!row || !attribution || !uri) {
      this.ctx.log.warn(`layers: ignored openLine for row ${rowIndex} of ${this.request.displayName}: no such row with a Dockerfile line`);
      return;
    }
    // The path is the host's own, but a Dockerfile outside the workspace is still not opened from a webview.
    if (uri.scheme !== 'untitled' && !vscode.workspace.getWorkspaceFolder(uri)) {
      this.ctx.log.warn(`layers: refused to open ${uri.toString()}: outside the workspace folders`);
      void vscode.window.showWarningMessage(`${uri.fsPath} is outside the workspace folders, so the Layers panel does not open it. Open its folder to follow rows to lines.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const last = document.lineCount - 1;
    const start = new vscode.Position(Math.min(attribution.startLine, last), 0);
    const end = document.lineAt(Math.min(attribution.endLine, last)).range.end;
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: false });
    // Anchor at the end, cursor at the start: the status bar names the instruction's first line.
    editor.selection = new vscode.Selection(end, start);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.rebuildTimer);
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
