// The Registries tree: registries from your Docker configuration and those you added; their
// repositories (catalog) and tags, a page at a time; tag details (digest, platforms, size,
// age) fetched lazily with bounded concurrency; errors shown on the node they belong to.

import * as vscode from 'vscode';
import { configuredRegistries, type RegistryCredential } from '../../dockerConfig/credentials';
import { DockerHubError, hubRepositories } from '../../registry/dockerHub';
import { RegistryClient, RegistryError } from '../../registry/client';
import { compareTagsNewestFirst } from '../../registry/tagOrder';
import { settleWithConcurrency } from '../../util/concurrency';
import { type Logger } from '../../util/logger';
import { type RegistryCredentialStore } from '../../registry/credentialStore';
import { dockerCredentialInputs, resolveRegistryCredential } from '../../registry/registryAuth';
import { LoadMoreNode, MessageNode, type RegistriesNode, type RegistryEntry, RegistryNode, RegistryRepositoryNode, RegistryTagNode, type TagDetails } from './nodes';
import { errorText } from '../../util/errors';
import { COMMANDS } from '../commandIds';

export const REGISTRIES_VIEW_ID = 'layerlens.registries';
const PAGE = 50;
const DETAIL_CONCURRENCY = 4;
const ADDED_KEY = 'layerlens.registries.added';
const HIDDEN_KEY = 'layerlens.registries.hidden';
const REPOSITORIES_KEY = 'layerlens.registries.repositories';

interface Listing {
  iterator: AsyncGenerator<string, void, undefined>;
  items: string[];
  done: boolean;
  error?: unknown;
}

export class RegistriesProvider implements vscode.TreeDataProvider<RegistriesNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RegistriesNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly clients = new Map<string, RegistryClient>();
  private readonly listings = new Map<string, Listing>();
  private readonly details = new Map<string, TagDetails>();
  // VS Code knows nodes by identity: a node handed out once is handed out again, so that a
  // change fired for it (details arrived, a page loaded) reaches the row on screen.
  private readonly tagNodes = new Map<string, RegistryTagNode>();
  private readonly registryNodes = new Map<string, RegistryNode>();
  private readonly repositoryNodes = new Map<string, RegistryRepositoryNode>();

  /** Narrows the tags shown (of the tags read so far) to those containing this text. */
  private tagFilter = '';
  private readonly filterEmitter = new vscode.EventEmitter<string>();
  readonly onDidChangeFilter = this.filterEmitter.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly store: RegistryCredentialStore,
    private readonly log: Logger,
  ) {}

  registries(): RegistryEntry[] {
    const hidden = new Set(this.state.get<string[]>(HIDDEN_KEY, []));
    const added = this.state.get<RegistryEntry[]>(ADDED_KEY, []);
    let fromConfig: string[] = [];
    try {
      fromConfig = configuredRegistries(dockerCredentialInputs());
    } catch (error) {
      this.log.warn(`registries: ${errorText(error)}`);
    }
    const entries = new Map<string, RegistryEntry>();
    for (const host of fromConfig) if (!hidden.has(host)) entries.set(host, { host, source: 'docker config', insecure: false });
    for (const entry of added) entries.set(entry.host, entry);
    if (!entries.has('docker.io') && !hidden.has('docker.io')) entries.set('docker.io', { host: 'docker.io', source: 'docker hub', insecure: false });
    return [...entries.values()].sort((a, b) => a.host.localeCompare(b.host));
  }

  async addRegistry(entry: RegistryEntry): Promise<void> {
    const added = this.state.get<RegistryEntry[]>(ADDED_KEY, []).filter((existing) => existing.host !== entry.host);
    await this.state.update(ADDED_KEY, [...added, { ...entry, source: 'added' }]);
    await this.state.update(HIDDEN_KEY, this.state.get<string[]>(HIDDEN_KEY, []).filter((host) => host !== entry.host));
    this.forget(entry.host);
    this.changeEmitter.fire(undefined);
  }

  async removeRegistry(entry: RegistryEntry): Promise<void> {
    await this.state.update(ADDED_KEY, this.state.get<RegistryEntry[]>(ADDED_KEY, []).filter((existing) => existing.host !== entry.host));
    if (entry.source === 'docker config') await this.state.update(HIDDEN_KEY, [...this.state.get<string[]>(HIDDEN_KEY, []), entry.host]);
    this.forget(entry.host);
    this.changeEmitter.fire(undefined);
  }

  /** Repositories named by hand, for registries without a catalog (GHCR) or beyond it. */
  addedRepositories(host: string): string[] {
    return this.state.get<Record<string, string[]>>(REPOSITORIES_KEY, {})[host] ?? [];
  }

  async addRepository(node: RegistryNode, name: string): Promise<void> {
    const all = this.state.get<Record<string, string[]>>(REPOSITORIES_KEY, {});
    await this.state.update(REPOSITORIES_KEY, { ...all, [node.entry.host]: [...new Set([...(all[node.entry.host] ?? []), name])].sort() });
    this.changeEmitter.fire(node);
  }

  /** Deletes the tag's manifest by digest (every tag on it goes too) and reads the repository again. */
  async deleteTag(node: RegistryTagNode, digest: string): Promise<void> {
    await this.clientFor(node.repository.registry).deleteManifest(node.repository.name, digest);
    this.refresh(node.repository);
  }

  get filter(): string {
    return this.tagFilter;
  }

  setFilter(text: string): void {
    this.tagFilter = text.trim();
    this.filterEmitter.fire(this.tagFilter);
    for (const node of this.repositoryNodes.values()) this.changeEmitter.fire(node);
  }

  /** Forgets what was read below the node (all of it without one) and reads again. */
  refresh(node?: RegistriesNode): void {
    if (node instanceof RegistryNode) this.forget(node.entry.host);
    else if (node instanceof RegistryRepositoryNode) this.forget(node.reference);
    else {
      this.clients.clear();
      this.listings.clear();
      this.details.clear();
      this.tagNodes.clear();
      this.registryNodes.clear();
      this.repositoryNodes.clear();
    }
    this.changeEmitter.fire(node instanceof RegistryNode || node instanceof RegistryRepositoryNode ? node : undefined);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    const key = node.parent instanceof RegistryNode ? node.parent.entry.host : node.parent.reference;
    const listing = this.listings.get(key);
    if (listing) await this.readPage(listing);
    this.changeEmitter.fire(node.parent);
  }

  async getChildren(node?: RegistriesNode): Promise<RegistriesNode[]> {
    if (!node) {
      const entries = this.registries();
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
    let open: () => AsyncGenerator<string, void, undefined>;
    if (node.entry.host === 'docker.io') {
      // Hub has no catalog: list a namespace through Hub's own API.
      const credential = await this.credentialFor('docker.io').catch(() => undefined);
      const namespace = vscode.workspace.getConfiguration('layerlens').get<string>('dockerHub.namespace', '').trim() || credential?.username;
      if (!namespace) {
        return [new MessageNode('docker.io:namespace', 'Docker Hub has no catalog: set layerlens.dockerHub.namespace, or log in', 'info', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['layerlens.dockerHub.namespace'] })];
      }
      open = () => hubRepositories(namespace.toLowerCase(), { credential });
    } else {
      const client = this.clientFor(node.entry);
      open = () => client.catalog();
    }
    const listing = await this.listing(node.entry.host, open);
    const added = this.addedRepositories(node.entry.host).filter((name) => !listing.items.includes(name));
    const children: RegistriesNode[] = [...listing.items, ...added].map((name) => this.repositoryNode(node.entry, name));
    if (listing.error !== undefined && !listing.items.length) children.unshift(this.errorNode(node.entry.host, listing.error, node));
    else if (!children.length) children.push(new MessageNode(`${node.entry.host}:empty`, 'No repositories', 'info'));
    if (!listing.done) children.push(new LoadMoreNode(node, listing.items.length));
    return children;
  }

  private async tagsOf(node: RegistryRepositoryNode): Promise<RegistriesNode[]> {
    const client = this.clientFor(node.registry);
    const listing = await this.listing(node.reference, () => client.tags(node.name));
    if (listing.error !== undefined && !listing.items.length) return [this.errorNode(node.reference, listing.error, node)];
    const filter = this.tagFilter.toLowerCase();
    const tags = listing.items.filter((tag) => !filter || tag.toLowerCase().includes(filter)).sort(compareTagsNewestFirst);
    if (filter && !tags.length) return [new MessageNode(`${node.reference}:filtered`, `No tag of those read contains "${this.tagFilter}"`, 'filter', { command: COMMANDS.clearTagFilter, title: 'Clear Filter' }), ...(listing.done ? [] : [new LoadMoreNode(node, listing.items.length)])];
    const children: RegistriesNode[] = tags.map((tag) => this.tagNode(node, tag));
    this.resolveDetails(client, children.filter((child): child is RegistryTagNode => child instanceof RegistryTagNode));
    if (!listing.done) children.push(new LoadMoreNode(node, listing.items.length));
    return children;
  }

  private registryNode(entry: RegistryEntry): RegistryNode {
    const cached = this.registryNodes.get(entry.host);
    if (cached && cached.entry.source === entry.source && cached.entry.insecure === entry.insecure) return cached;
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
    const key = `${repository.reference}:${tag}`;
    let node = this.tagNodes.get(key);
    if (!node) {
      node = new RegistryTagNode(repository, tag, () => this.details.get(key) ?? { state: 'loading' });
      this.tagNodes.set(key, node);
    }
    return node;
  }

  /** Digest, platforms, size and age for the tags just shown, a few at a time. */
  private resolveDetails(client: RegistryClient, nodes: RegistryTagNode[]): void {
    const wanted = nodes.filter((node) => !this.details.has(node.tagReference));
    for (const node of wanted) this.details.set(node.tagReference, { state: 'loading' });
    void settleWithConcurrency(wanted, DETAIL_CONCURRENCY, async (node) => {
      try {
        const manifest = await client.getManifest(node.repository.name, node.tag);
        this.details.set(node.tagReference, { state: 'ready', manifest });
      } catch (error) {
        this.details.set(node.tagReference, { state: 'error', message: shortReason(error) });
      }
      this.changeEmitter.fire(node);
    });
  }

  private async listing(key: string, open: () => AsyncGenerator<string, void, undefined>): Promise<Listing> {
    let listing = this.listings.get(key);
    if (!listing) {
      listing = { iterator: open(), items: [], done: false };
      this.listings.set(key, listing);
      await this.readPage(listing);
    }
    return listing;
  }

  private async readPage(listing: Listing): Promise<void> {
    try {
      for (let read = 0; read < PAGE; read++) {
        const next = await listing.iterator.next();
        if (next.done) {
          listing.done = true;
          return;
        }
        listing.items.push(next.value);
      }
    } catch (error) {
      listing.error = error;
      listing.done = true;
      this.log.error(`registries: ${errorText(error)}`);
    }
  }

  private errorNode(key: string, error: unknown, node: RegistryNode | RegistryRepositoryNode): MessageNode {
    const host = node instanceof RegistryNode ? node.entry.host : node.registry.host;
    if ((error instanceof RegistryError || error instanceof DockerHubError) && (error.status === 401 || error.status === 403)) {
      return new MessageNode(`${key}:auth`, `${error.status === 401 ? 'Log in to see this' : 'Access denied'}: ${error.message}`, 'lock', { command: COMMANDS.logIn, title: 'Log In', arguments: [host] });
    }
    if (error instanceof RegistryError && error.status === 404 && node instanceof RegistryNode) {
      return new MessageNode(`${key}:nocatalog`, `${host} does not list its repositories: Add Repository… by name`, 'info', { command: COMMANDS.addRepository, title: 'Add Repository', arguments: [node] });
    }
    return new MessageNode(`${key}:error`, errorText(error), 'error', { command: COMMANDS.refreshRegistries, title: 'Retry', arguments: [node] });
  }

  private clientFor(entry: RegistryEntry): RegistryClient {
    let client = this.clients.get(entry.host);
    if (!client) {
      client = new RegistryClient({
        host: entry.host,
        insecure: entry.insecure,
        userAgent: 'layerlens',
        getCredential: (host) => this.credentialFor(host),
      });
      this.clients.set(entry.host, client);
    }
    return client;
  }

  private async credentialFor(host: string): Promise<RegistryCredential | undefined> {
    return (await resolveRegistryCredential(host, this.store))?.credential;
  }

  private forget(prefix: string): void {
    this.clients.delete(prefix);
    // The registry's node stays (VS Code holds it); what is below it goes.
    const below = (key: string): boolean => key.startsWith(`${prefix}/`) || key.startsWith(`${prefix}:`);
    for (const map of [this.listings, this.details, this.tagNodes] as Array<Map<string, unknown>>) {
      for (const key of [...map.keys()]) if (key === prefix || below(key)) map.delete(key);
    }
    for (const key of [...this.repositoryNodes.keys()]) if (below(key)) this.repositoryNodes.delete(key);
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.filterEmitter.dispose();
  }
}

function shortReason(error: unknown): string {
  if (error instanceof RegistryError) return error.code ? `${error.code} (${error.status ?? 'network'})` : error.message;
  return errorText(error);
}
