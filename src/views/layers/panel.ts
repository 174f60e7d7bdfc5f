// One Layers panel: the webview of one image. The host reads the image, attributes it to a
// Dockerfile, sends the rows once the webview says "ready", opens the Dockerfile line a click
// names (the path is the host's own, never the message's), and highlights the rows of the line
// the user selects in that Dockerfile.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type ImageLayersModel } from '../../layers/model';
import { layersPanelHtml } from './html';
import { type ParsedStages } from '../../layers/dockerfileSteps';
import { type DockerfileSource, type LayersLoader, type LayersSource } from './loader';
import { rowsAtLine, toPanelData } from './panelData';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from './protocol';
import { type LayersRequest } from './request';
import { errorText } from '../../util/errors';
import { type ImageContentsStore } from './contentsStore';
import { type PanelView } from './contentsProtocol';
import { PanelContents } from './panelContents';
import { LAYER_FILE_COMMAND } from './layerFileCommand';

export const LAYERS_VIEW_TYPE = 'layerlens.layers';
const REBUILD_DELAY_MS = 250;
const ROWS_PAINT_WAIT_MS = 1000;

/** Epoch milliseconds with sub-millisecond precision: comparable with the webview's clock. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** How long one Show Layers took, from the command to the painted rows and their Dockerfile lines. */
export interface LayersPaint {
  imageId: string;
  title: string;
  rows: number;
  /** Command start to the webview's first paint of the rows. */
  totalMs: number;
  /** Command start to the paint of the rows linked to their Dockerfile lines; undefined when no Dockerfile matched. */
  linkedMs?: number;
  dockerfile?: string;
  /** Engine reads (inspect, history, every local image's layers the first time). */
  readMs: number;
  /** The rows' model and panel data. */
  modelMs: number;
  /** Command start to the webview's "ready". */
  webviewReadyMs: number;
  /** The webview's render of the rows, to its paint. */
  renderMs: number;
}

/** How long "Show Layer Contents" took, from the command to the Files (or Waste) view painted. */
export interface ContentsPaint {
  imageId: string;
  view: PanelView;
  /** Paths in the table, and the rows the view drew. */
  nodes: number;
  rows: number;
  cachedLayers: number;
  archiveBytes: number;
  /** Command start to the painted view. */
  totalMs: number;
  /** Command start to the webview's "ready" (its own start); 0 when the panel was open already. */
  webviewReadyMs: number;
  /** The data posted to the view painted. */
  afterDataMs: number;
  renderMs: number;
}

type PaintedMessage = Extract<WebviewMessage, { type: 'painted' }>;
type ContentsPaintedMessage = Extract<WebviewMessage, { type: 'contentsPainted' }>;

interface Timing {
  started: number;
  readMs?: number;
  modelMs?: number;
  readyAt?: number;
  /** The show with the rows, and its paint. */
  rows?: { seq: number; painted?: PaintedMessage };
  /** The show that links them to Dockerfile lines (when it is a later one), its paint; `done` once known. */
  lines?: { seq?: number; painted?: PaintedMessage; done: boolean };
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
  private showSeq = 0;
  private readonly contents: PanelContents;
  /** The view asked for before the webview was ready. */
  private pendingView: PanelView | undefined;
  /** "Show Layer Contents": from the command to the view painted. */
  private contentsTiming: { started: number; readyAt?: number; seq?: number; postedAt?: number; nodes?: number; cachedLayers?: number; archiveBytes?: number } | undefined;
  private readonly paintEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    private readonly ctx: LayerlensContext,
    private readonly loader: LayersLoader,
    private request: LayersRequest,
    private readonly onPaint: (paint: LayersPaint) => void,
    store: ImageContentsStore,
    private readonly onContentsPaint: (paint: ContentsPaint) => void,
  ) {
    this.contents = new PanelContents(
      ctx,
      store,
      (message) => {
        if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
      },
      (shown) => {
        const timing = this.contentsTiming;
        if (timing && timing.seq === undefined) Object.assign(timing, { seq: shown.seq, postedAt: shown.postedAt, nodes: shown.nodes, cachedLayers: shown.cachedLayers, archiveBytes: shown.archiveBytes });
      },
    );
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
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString()],
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

  /** Shows Files, Waste or Layers; Files and Waste read the contents. `started` (epoch ms) times it to the paint. */
  showView(view: PanelView, started?: number): void {
    if (view !== 'layers') {
      if (started !== undefined) this.contentsTiming = { started, readyAt: this.ready ? started : undefined };
      void this.contents.read();
    }
    if (this.ready) void this.panel.webview.postMessage({ type: 'view', view } satisfies HostMessage);
    else this.pendingView = view;
  }

  /** The layer contents the panel holds, once read. */
  get contentsReading(): PanelContents {
    return this.contents;
  }

  reveal(line?: number): void {
    this.panel.reveal(undefined, false);
    if (line !== undefined) {
      if (this.loading) this.pendingLine = line;
      else this.highlightLine(line);
    }
  }

  /**
   * Given a Dockerfile (the lens), one show with rows and lines. Else two: the rows as soon as the
   * engine answered, then, once they are painted, the match with the workspace's Dockerfiles
   * (parsing is CPU work that would otherwise compete with the webview's own start) and the rows
   * again with their lines.
   */
  private async read(request: LayersRequest): Promise<void> {
    const timing = this.timing!;
    try {
      const given = request.dockerfile ? vscode.Uri.parse(request.dockerfile) : undefined;
      const givenSource: DockerfileSource | undefined = given ? await this.loader.readDockerfile(given) : undefined;
      // The workspace's Dockerfiles are read (not parsed) while the engine answers.
      const texts = givenSource
        ? undefined
        : this.loader.workspaceDockerfileTexts().catch((error: unknown) => {
            this.ctx.log.warn(`layers: could not list the workspace's Dockerfiles: ${errorText(error)}`);
            return [];
          });
      const source = await this.loader.read(request.engineName, request.displayName, givenSource);
      timing.readMs = epochNow() - timing.started;
      this.source = source;
      if (givenSource) {
        await this.loader.prepareBase(source, givenSource.parsed);
        this.dockerfile = givenSource.uri;
      }
      timing.rows = { seq: this.show(givenSource?.parsed) };
      timing.lines = { done: Boolean(givenSource) };
      timing.modelMs = epochNow() - timing.started - timing.readMs;
      if (texts) {
        await this.rowsPainted(timing);
        // Nothing matched: the list may predate a Dockerfile the watcher has not reported yet.
        let dockerfile = this.loader.bestDockerfile(source.input, await texts);
        if (!dockerfile && source.input.history?.length) dockerfile = this.loader.bestDockerfile(source.input, await this.loader.workspaceDockerfileTexts({ fresh: true }));
        if (dockerfile) {
          await this.loader.prepareBase(source, dockerfile.parsed);
          this.dockerfile = dockerfile.uri;
          timing.lines = { seq: this.show(dockerfile.parsed), done: true };
        } else {
          timing.lines = { done: true };
          this.report();
        }
      }
      this.ctx.log.info(
        `layers: ${request.displayName}: ${this.model!.rows.length} rows, ${this.dockerfile ? `lines from ${vscode.workspace.asRelativePath(this.dockerfile)}` : 'no matching Dockerfile'} (read ${timing.readMs.toFixed(0)} ms, model ${timing.modelMs.toFixed(1)} ms)`,
      );
    } catch (error) {
      const message = errorText(error);
      this.ctx.log.error(`layers: ${request.displayName}: ${message}`);
      this.timing = undefined;
      this.post({ type: 'error', message: `Cannot show the layers of ${request.displayName}: ${message}` });
    }
  }

  /**
   * Resolves once the webview painted the rows (or a second passed: a panel opened in the
   * background paints nothing until shown), so the Dockerfile match does not compete with the
   * webview's start for the CPU.
   */
  private rowsPainted(timing: Timing): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ROWS_PAINT_WAIT_MS);
      const subscription = this.paintEmitter.event(() => {
        if (timing.rows?.painted) done();
      });
      function done(): void {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
      if (timing.rows?.painted) done();
    });
  }

  /** Builds the model and posts the rows (the Dockerfile text may have changed); returns the show's number. */
  private show(dockerfile: ParsedStages | undefined): number {
    if (!this.source) return -1;
    this.model = this.loader.build(this.source, dockerfile);
    const data = toPanelData(this.model, { name: this.request.displayName, dockerfileLabel: this.dockerfile ? vscode.workspace.asRelativePath(this.dockerfile) : undefined });
    const seq = ++this.showSeq;
    this.post({ type: 'show', data, seq });
    const input = this.source.input;
    void this.contents.modelChanged({ imageId: input.id, name: this.request.displayName, diffIds: input.diffIds, sizeBytes: input.size }, this.model);
    if (this.pendingLine !== undefined) {
      this.highlightLine(this.pendingLine);
      if (dockerfile) this.pendingLine = undefined;
    } else if (this.highlighted) {
      this.highlighted = '';
      const editor = vscode.window.activeTextEditor;
      if (editor && this.dockerfile && editor.document.uri.toString() === this.dockerfile.toString()) this.highlightLine(editor.selection.active.line);
    }
    return seq;
  }

  /** The Dockerfile was edited: attribute again (debounced; the engine is not asked again). */
  dockerfileChanged(document: vscode.TextDocument): void {
    if (!this.dockerfile || document.uri.toString() !== this.dockerfile.toString() || !this.source) return;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => this.show(this.loader.parse(document.uri, document.getText())), REBUILD_DELAY_MS);
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
    if (this.disposed) return;
    if (message.type !== 'highlight') this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message);
    else if (message.type === 'highlight') this.pendingHighlight = message;
  }

  /** A message from the webview (or one given to `LayersPanels.deliver`): checked, then handled. */
  receive(value: unknown): void {
    const parsed = parseWebviewMessage(value);
    if (!parsed.ok) {
      this.ctx.log.warn(`layers: ignored a message from the panel of ${this.request.displayName}: ${parsed.reason}`);
      return;
    }
    void this.handle(parsed.message).catch((error: unknown) => {
      const message = errorText(error);
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
        if (this.contentsTiming && this.contentsTiming.readyAt === undefined) this.contentsTiming.readyAt = epochNow();
        this.contents.webviewReady();
        if (this.pendingView) await this.panel.webview.postMessage({ type: 'view', view: this.pendingView } satisfies HostMessage);
        this.pendingView = undefined;
        return;
      case 'readContents':
        await this.contents.read();
        return;
      case 'cancelContents':
        this.contents.cancel();
        return;
      case 'openFile':
        await this.openFile(message.node, message.layer);
        return;
      case 'contentsPainted':
        this.contentsPainted(message);
        return;
      case 'painted':
        this.painted(message);
        return;
      case 'openLine':
        await this.openLine(message.row);
        return;
    }
  }

  private painted(message: PaintedMessage): void {
    const timing = this.timing;
    if (!timing) return;
    // A later show may have replaced an earlier one the webview never got (posted before "ready"): it painted both.
    if (timing.rows && !timing.rows.painted && message.seq >= timing.rows.seq) timing.rows.painted = message;
    if (timing.lines?.seq !== undefined && !timing.lines.painted && message.seq >= timing.lines.seq) timing.lines.painted = message;
    this.paintEmitter.fire();
    this.report();
  }

  /** Logs and reports the timing once the rows, and their lines when a Dockerfile matched, are painted. */
  private report(): void {
    const timing = this.timing;
    const rows = timing?.rows?.painted;
    if (!timing || !rows || !timing.lines?.done || (timing.lines.seq !== undefined && !timing.lines.painted) || timing.readMs === undefined || timing.modelMs === undefined) return;
    this.timing = undefined;
    const linked = timing.lines.painted ?? (this.dockerfile ? rows : undefined);
    const paint: LayersPaint = {
      imageId: this.imageId,
      title: this.title,
      rows: rows.rows,
      totalMs: rows.at - timing.started,
      linkedMs: linked ? linked.at - timing.started : undefined,
      dockerfile: this.dockerfile?.toString(),
      readMs: timing.readMs,
      modelMs: timing.modelMs,
      webviewReadyMs: (timing.readyAt ?? rows.at) - timing.started,
      renderMs: rows.renderMs,
    };
    this.ctx.log.info(
      `layers: ${this.request.displayName}: ${paint.rows} rows painted ${paint.totalMs.toFixed(0)} ms after the command (engine ${paint.readMs.toFixed(0)} ms, model ${paint.modelMs.toFixed(1)} ms, webview ready at ${paint.webviewReadyMs.toFixed(0)} ms, render ${paint.renderMs.toFixed(1)} ms)` +
        (paint.linkedMs !== undefined ? `, Dockerfile lines painted at ${paint.linkedMs.toFixed(0)} ms` : ', no Dockerfile lines'),
    );
    this.onPaint(paint);
  }

  private contentsPainted(message: ContentsPaintedMessage): void {
    const timing = this.contentsTiming;
    if (!timing || timing.seq === undefined || message.seq < timing.seq || timing.postedAt === undefined) return;
    this.contentsTiming = undefined;
    const paint: ContentsPaint = {
      imageId: this.imageId,
      view: message.view,
      nodes: timing.nodes ?? 0,
      rows: message.rows,
      cachedLayers: timing.cachedLayers ?? 0,
      archiveBytes: timing.archiveBytes ?? 0,
      totalMs: message.at - timing.started,
      webviewReadyMs: (timing.readyAt ?? timing.started) - timing.started,
      afterDataMs: message.at - timing.postedAt,
      renderMs: message.renderMs,
    };
    this.ctx.log.info(
      `layers: ${this.request.displayName}: ${paint.view} view painted ${paint.totalMs.toFixed(0)} ms after the command (${paint.nodes} paths, ${paint.cachedLayers} layers from the cache, ${paint.archiveBytes} archive bytes, webview ready at ${paint.webviewReadyMs.toFixed(0)} ms, ${paint.afterDataMs.toFixed(0)} ms after the data, render ${paint.renderMs.toFixed(1)} ms)`,
    );
    this.onContentsPaint(paint);
  }

  /** Opens, read-only, the version of a path that a layer wrote (both checked against the host's own table). */
  private async openFile(nodeIndex: number, layer: number): Promise<void> {
    const node = this.contents.node(nodeIndex);
    const input = this.source?.input;
    if (!node || !input || !node.layers.includes(layer) || input.diffIds[layer] === undefined) {
      this.ctx.log.warn(`layers: ignored openFile for node ${nodeIndex} in layer ${layer} of ${this.request.displayName}: no such path in that layer`);
      return;
    }
    await vscode.commands.executeCommand(LAYER_FILE_COMMAND, { imageId: input.id, displayName: this.request.displayName, diffId: input.diffIds[layer], layer, path: node.path });
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
    this.contents.dispose();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.paintEmitter.dispose();
  }
}
