// The Local Images tree: delegates to the nodes, reflects the model's state in the view's
// message (the engine and endpoint, or why it cannot be reached) and context keys, and asks the engine for nothing until shown.

import * as vscode from 'vscode';
import { describeEngine } from '../../engine/client';
import { isConnectionProblem } from '../../engine/errors';
import { inspectImage } from '../../engine/images';
import { type ImagesState, type LocalImagesModel } from '../../engine/localImages';
import { type EngineSession } from '../../engine/session';
import { ActionNode, DanglingGroupNode, DanglingImageNode, DigestNode, type ImagesNode, imageTooltip, isImageTarget, RepositoryNode, TagNode } from './nodes';
import { COMMANDS } from '../commandIds';

export const IMAGES_VIEW_ID = 'layerlens.images';

export class LocalImagesProvider implements vscode.TreeDataProvider<ImagesNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ImagesNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly platforms = new Map<string, { os?: string; architecture?: string; variant?: string }>();
  private view: vscode.TreeView<ImagesNode> | undefined;
  private readonly shown: { contextState?: string; message?: string } = {};
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: LocalImagesModel,
    private readonly session: EngineSession,
  ) {
    this.subscription = model.onDidChange((state) => {
      this.reflectState(state);
      this.changeEmitter.fire(undefined);
    });
  }

  attach(view: vscode.TreeView<ImagesNode>): void {
    this.view = view;
  }

  async getChildren(node?: ImagesNode): Promise<ImagesNode[]> {
    if (node) return node instanceof RepositoryNode || node instanceof DanglingGroupNode ? node.children() : [];
    this.model.start();
    const state = await this.model.whenSettled();
    if (state.kind === 'error') {
      return [
        new ActionNode('Retry', 'refresh', COMMANDS.refreshImages),
        new ActionNode('Open Settings', 'settings-gear', COMMANDS.openEngineSettings),
        new ActionNode('Show Log', 'output', COMMANDS.showLog),
      ];
    }
    if (state.kind !== 'ready') return [];
    const roots: ImagesNode[] = state.groups.repositories.map((group) => new RepositoryNode(group));
    if (state.groups.dangling.length) roots.push(new DanglingGroupNode(state.groups.dangling));
    return roots;
  }

  getTreeItem(node: ImagesNode): vscode.TreeItem {
    return node.treeItem();
  }

  /** For reveal: a tag's or digest's parent is its repository (matched by the row's id). */
  getParent(node: ImagesNode): ImagesNode | undefined {
    const state = this.model.state;
    if (state.kind !== 'ready') return undefined;
    if (node instanceof TagNode || node instanceof DigestNode) {
      const group = state.groups.repositories.find((candidate) => (node instanceof TagNode ? candidate.tags.includes(node.tagged) : candidate.untagged.includes(node.entry)));
      return group ? new RepositoryNode(group) : undefined;
    }
    if (node instanceof DanglingImageNode) return new DanglingGroupNode(state.groups.dangling);
    return undefined;
  }

  /**
   * Selects a tag's row once the list has it (a pull or tag shows up through the event stream
   * a moment later), without taking focus, and only when the view is on screen: revealing a
   * hidden view would open it over whatever the user was looking at. False when it is not shown.
   */
  async revealTag(reference: string, timeoutMs = 10_000): Promise<boolean> {
    const tagged = await this.model.whenTagListed(reference, timeoutMs);
    if (!tagged || !this.view?.visible) return false;
    await this.view.reveal(new TagNode(tagged), { select: true, focus: false, expand: true });
    return true;
  }

  /** Tooltips need the platform, which only inspect knows: fetched on hover, once per image. */
  async resolveTreeItem(item: vscode.TreeItem, node: ImagesNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!isImageTarget(node)) return item;
    let platform = this.platforms.get(node.image.id);
    if (!platform) {
      try {
        const inspected = await this.session.run(`inspect ${node.engineName}`, (connection) => inspectImage(connection.calls, node.image.id));
        platform = { os: inspected.Os as string | undefined, architecture: inspected.Architecture as string | undefined, variant: inspected.Variant as string | undefined };
        this.platforms.set(node.image.id, platform);
      } catch {
        // The tooltip still shows what the list gave; the log has the failure.
      }
    }
    if (!token.isCancellationRequested) item.tooltip = imageTooltip(node, platform);
    return item;
  }

  private reflectState(state: ImagesState): void {
    const contextState = state.kind === 'ready' ? (state.images.length ? 'ready' : 'empty') : state.kind;
    if (contextState !== this.shown.contextState) {
      this.shown.contextState = contextState;
      void vscode.commands.executeCommand('setContext', 'layerlens.images.state', contextState);
    }
    if (!this.view) return;
    // The engine and endpoint are said once, in the message line: it wraps in a narrow side bar,
    // where the pane header's description is cut short (and hidden while the view is alone).
    let message: string | undefined;
    if (state.kind === 'ready') {
      const engine = `${describeEngine(state.engine)} · ${state.endpoint}`;
      message = state.images.length ? engine : `${engine} has no images yet. Pull or build one and it appears here at once.`;
      if (this.platforms.size > 10_000) this.platforms.clear();
    } else if (state.kind === 'error') {
      // The error names the endpoint itself.
      const recovers = isConnectionProblem(state.error.kind) && state.error.kind !== 'bad-endpoint' && state.error.kind !== 'too-old';
      message = recovers ? `${state.error.message} The view reconnects by itself when the engine is back.` : state.error.message;
    }
    // Only real changes: the extension host debounces a tree's refreshes together with its
    // message changes (200 ms), so re-setting the same message would hold back new rows.
    if (message !== this.shown.message) this.view.message = this.shown.message = message;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
