// The Registries tree over RegistriesModel (src/registry/registriesModel.ts): the model reads
// and keeps; this turns its listings into nodes, keeps each node's identity (VS Code knows
// nodes by identity, so a change fired for one reaches the row on screen), and says on the
// node itself what went wrong.

import * as vscode from 'vscode';
import { DockerHubError } from '../../registry/dockerHub';
import { RegistryError } from '../../registry/client';
import { type Listing, type RegistriesChange, type RegistriesModel, type RegistryEntry, tagKey } from '../../registry/registriesModel';
import { compareTagsNewestFirst } from '../../image/tagOrder';
import { errorText } from '../../util/errors';
import { COMMANDS } from '../commandIds';
import { LoadMoreNode, MessageNode, type RegistriesNode, RegistryNode, RegistryRepositoryNode, RegistryTagNode } from './nodes';

export const REGISTRIES_VIEW_ID = 'layerlens.registries';

export class RegistriesProvider implements vscode.TreeDataProvider<RegistriesNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RegistriesNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly tagNodes = new Map<string, RegistryTagNode>();
  private readonly registryNodes = new Map<string, RegistryNode>();
  private readonly repositoryNodes = new Map<string, RegistryRepositoryNode>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(readonly model: RegistriesModel) {
    this.subscriptions = [
      model.onDidChange((change) => this.changed(change)),
      model.onDidChangeDetails((key) => {
        const node = this.tagNodes.get(key);
        if (node) this.changeEmitter.fire(node);
      }),
      model.onDidChangeFilter(() => {
        for (const node of this.repositoryNodes.values()) this.changeEmitter.fire(node);
      }),
    ];
  }

  get onDidChangeFilter(): RegistriesModel['onDidChangeFilter'] {
    return this.model.onDidChangeFilter;
  }

  registries(): RegistryEntry[] {
    return this.model.registries();
  }

  addRegistry(entry: RegistryEntry): Promise<void> {
    return this.model.addRegistry(entry);
  }

  removeRegistry(entry: RegistryEntry): Promise<void> {
    return this.model.removeRegistry(entry);
  }

  addedRepositories(host: string): string[] {
    return this.model.addedRepositories(host);
  }

  addRepository(node: RegistryNode, name: string): Promise<void> {
    return this.model.addRepository(node.entry.host, name);
  }

  /** Deletes the tag's manifest by digest (every tag on it goes too) and reads the repository again. */
  deleteTag(node: RegistryTagNode, digest: string): Promise<void> {
    return this.model.deleteManifest(node.repository.registry, node.repository.name, digest);
  }

  get filter(): string {
    return this.model.filter;
  }

  setFilter(text: string): void {
    this.model.setFilter(text);
  }

  /** Forgets what was read below the node (all of it without one) and reads again. */
  refresh(node?: RegistriesNode): void {
    if (node instanceof RegistryNode) this.model.refresh(node.entry.host);
    else if (node instanceof RegistryRepositoryNode) this.model.refresh(node.reference);
    else this.model.refresh();
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    await this.model.loadMore(node.parent instanceof RegistryNode ? node.parent.entry.host : node.parent.reference);
  }

  async getChildren(node?: RegistriesNode): Promise<RegistriesNode[]> {
    if (!node) {
      const entries = this.model.registries();
      return entries.length ? entries.map((entry) => this.registryNode(entry)) : [new MessageNode('none', 'No registries yet: Add Registry… or docker login', 'info', { command: COMMANDS.addRegistry, title: 'Add Registry' })];
    }
    if (node instanceof RegistryNode) return this.repositoriesOf(node);
    if (node instanceof RegistryRepositoryNode) return this.tagsOf(node);
    return [];
  }

  getTreeItem(node: RegistriesNode): vscode.TreeItem {
    return node.treeItem();
  }

  private async repositoriesOf(node: RegistryNode): Promise<RegistriesNode[]> {
    const listing = await this.model.repositories(node.entry);
    if ('needsNamespace' in listing) {
      return [new MessageNode('docker.io:namespace', 'Docker Hub has no catalog: set layerlens.dockerHub.namespace, or log in', 'info', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['layerlens.dockerHub.namespace'] })];
    }
    const added = this.model.addedRepositories(node.entry.host).filter((name) => !listing.items.includes(name));
    const children: RegistriesNode[] = [...listing.items, ...added].map((name) => this.repositoryNode(node.entry, name));
    if (listing.error !== undefined && !listing.items.length) children.unshift(this.errorNode(node.entry.host, listing.error, node));
    else if (!children.length) children.push(new MessageNode(`${node.entry.host}:empty`, 'No repositories', 'info'));
    if (!listing.done) children.push(new LoadMoreNode(node, listing.items.length));
    return children;
  }

  private async tagsOf(node: RegistryRepositoryNode): Promise<RegistriesNode[]> {
    const listing: Listing = await this.model.tags(node.registry, node.name);
    if (listing.error !== undefined && !listing.items.length) return [this.errorNode(node.reference, listing.error, node)];
    const tags = listing.items.filter((tag) => this.model.matchesFilter(tag)).sort(compareTagsNewestFirst);
    if (this.model.filter && !tags.length) {
      return [new MessageNode(`${node.reference}:filtered`, `No tag of those read contains "${this.model.filter}"`, 'filter', { command: COMMANDS.clearTagFilter, title: 'Clear Filter' }), ...(listing.done ? [] : [new LoadMoreNode(node, listing.items.length)])];
    }
    const children: RegistriesNode[] = tags.map((tag) => this.tagNode(node, tag));
    void this.model.readDetails(node.registry, node.name, tags);
    if (!listing.done) children.push(new LoadMoreNode(node, listing.items.length));
    return children;
  }

  /** The model says what changed: fire for its node, after dropping the nodes below what it forgot. */
  private changed({ key, forgotten }: RegistriesChange): void {
    if (key === undefined) {
      this.tagNodes.clear();
      this.registryNodes.clear();
      this.repositoryNodes.clear();
      this.changeEmitter.fire(undefined);
      return;
    }
    if (!forgotten) {
      this.changeEmitter.fire(this.registryNodes.get(key) ?? this.repositoryNodes.get(key));
      return;
    }
    // The node itself stays (VS Code holds it); what is below it goes.
    const below = (other: string): boolean => other.startsWith(`${key}/`) || other.startsWith(`${key}:`);
    for (const other of [...this.tagNodes.keys()]) if (below(other)) this.tagNodes.delete(other);
    for (const other of [...this.repositoryNodes.keys()]) if (below(other)) this.repositoryNodes.delete(other);
    this.changeEmitter.fire(this.registryNodes.get(key) ?? this.repositoryNodes.get(key));
  }

  private registryNode(entry: RegistryEntry): RegistryNode {
    const cached = this.registryNodes.get(entry.host);
    if (cached && cached.entry.source === entry.source && cached.entry.insecure === entry.insecure && cached.entry.label === entry.label) return cached;
    const node = new RegistryNode(entry);
    this.registryNodes.set(entry.host, node);
    return node;
  }

  private repositoryNode(registry: RegistryEntry, name: string): RegistryRepositoryNode {
    const key = `${registry.host}/${name}`;
    let node = this.repositoryNodes.get(key);
    if (!node) {
      node = new RegistryRepositoryNode(registry, name);
      this.repositoryNodes.set(key, node);
    }
    return node;
  }

  private tagNode(repository: RegistryRepositoryNode, tag: string): RegistryTagNode {
    const key = tagKey(repository.registry, repository.name, tag);
    let node = this.tagNodes.get(key);
    if (!node) {
      node = new RegistryTagNode(repository, tag, () => this.model.tagDetails(repository.registry, repository.name, tag));
      this.tagNodes.set(key, node);
    }
    return node;
  }

  private errorNode(key: string, error: unknown, node: RegistryNode | RegistryRepositoryNode): MessageNode {
    const host = node instanceof RegistryNode ? node.entry.host : node.registry.host;
    if ((error instanceof RegistryError || error instanceof DockerHubError) && (error.status === 401 || error.status === 403)) {
      return new MessageNode(`${key}:auth`, `${error.status === 401 ? 'Log in to see this' : 'Access denied'}: ${error.message}`, 'lock', { command: COMMANDS.logIn, title: 'Log In', arguments: [host] });
    }
    if (error instanceof RegistryError && error.status === 404 && node instanceof RegistryNode) {
      return new MessageNode(`${key}:nocatalog`, `${host} does not list its repositories: Add Repository… by name`, 'info', { command: COMMANDS.addRepository, title: 'Add Repository', arguments: [node] });
    }
    return new MessageNode(`${key}:error`, errorText(error), 'error', { command: COMMANDS.refreshRegistry, title: 'Retry', arguments: [node] });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}
