// activate(): builds the parts, registers them, pushes disposables. No logic, no engine I/O.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { type LayerlensContext } from './context';
import { DEFAULT_LAYER_CACHE_BYTES, LayerIndexCache } from './engine/layerIndexCache';
import { LocalImagesModel } from './engine/localImages';
import { KnownRegistries } from './image/registryReach';
import { EngineSession } from './engine/session';
import { readEndpointInputs } from './views/engine/endpointInputs';
import { ImageInspectProvider, INSPECT_SCHEME } from './views/images/inspect';
import { type ImagesNode } from './views/images/nodes';
import { IMAGES_VIEW_ID, LocalImagesProvider } from './views/images/provider';
import { type RegistriesNode } from './views/registries/nodes';
import { RegistriesProvider, REGISTRIES_VIEW_ID } from './views/registries/provider';
import { RegistryCredentialStore } from './registry/credentialStore';
import { RegistryClientPool } from './registry/clientPool';
import { RegistriesModel } from './registry/registriesModel';
import { configuredRegistries } from './dockerConfig/credentials';
import { dockerCredentialInputs, resolveRegistryCredential } from './registry/registryAuth';
import { type DockerfilePinning } from './views/dockerfile/pinning';
import { registerDockerfileSupport } from './views/dockerfile/register';
import { type LayersPanels } from './views/layers/panels';
import { registerLayers } from './views/layers/register';
import { type CommandContext } from './views/commandContext';
import { COMMAND_HANDLERS } from './views/commands';
import { registerCommands } from './views/registerCommand';

/** What activate() returns: the parts behind the views, for extension tests and other extensions. */
export interface LayerlensApi {
  readonly images: LocalImagesModel;
  readonly imagesProvider: LocalImagesProvider;
  readonly imagesView: vscode.TreeView<ImagesNode>;
  readonly registries: RegistriesProvider;
  readonly dockerfile: DockerfilePinning;
  /** The open Layers panels and how long the last one took to paint. */
  readonly layers: LayersPanels;
  /** The layer contents cache (tests fill and clear it). */
  readonly layerCache: LayerIndexCache;
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
}

export function activate(extension: vscode.ExtensionContext): LayerlensApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Layerlens', { log: true });
  const session = new EngineSession(readEndpointInputs, log);
  const images = new LocalImagesModel(session, log);
  const credentials = new RegistryCredentialStore(extension.secrets);
  const credentialFor = async (host: string) => (await resolveRegistryCredential(host, credentials))?.credential;
  // The Registries view lists the configured and added registries; it is built next, and asked only after a failure.
  const knownRegistries = new KnownRegistries(() => registriesModel.registries().map((entry) => entry.host));
  const registryClients = new RegistryClientPool(credentialFor, { knownRegistries });
  const registriesModel: RegistriesModel = new RegistriesModel({
    state: extension.globalState,
    pool: registryClients,
    log,
    credentialFor,
    configuredHosts: () => configuredRegistries(dockerCredentialInputs()),
    hubNamespace: () => vscode.workspace.getConfiguration('layerlens').get<string>('dockerHub.namespace', '').trim(),
    registryLabels: () => vscode.workspace.getConfiguration('layerlens').get<Record<string, string>>('registries.labels', {}),
  });
  const layerCache = new LayerIndexCache(path.join(extension.globalStorageUri.fsPath, 'layer-index'), DEFAULT_LAYER_CACHE_BYTES, (problem) =>
    log.warn(`layer cache: the index of ${problem.diffId} did not read back (${problem.reason}); it was deleted and is read again from the engine when needed`),
  );
  const ctx: LayerlensContext = { extension, log, session, images, credentials, registryClients, knownRegistries, registriesModel, subscriptions: extension.subscriptions, layerCache };
  ctx.subscriptions.push(log, { dispose: () => images.dispose() }, { dispose: () => registriesModel.dispose() });

  const provider = new LocalImagesProvider(images, session);
  const view = vscode.window.createTreeView<ImagesNode>(IMAGES_VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  provider.attach(view);
  ctx.subscriptions.push(provider, view);
  ctx.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new ImageInspectProvider(session)));
  ctx.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('layerlens.dockerHost')) images.reconnect();
      if (event.affectsConfiguration('layerlens.registries.labels')) registriesModel.labelsChanged();
    }),
  );
  const registries = new RegistriesProvider(registriesModel);
  const registriesView = vscode.window.createTreeView<RegistriesNode>(REGISTRIES_VIEW_ID, { treeDataProvider: registries, showCollapseAll: true });
  ctx.subscriptions.push(
    registries,
    registriesView,
    registries.onDidChangeFilter((text) => {
      registriesView.description = text ? `tags containing "${text}"` : undefined;
      void vscode.commands.executeCommand('setContext', 'layerlens.registries.filtered', Boolean(text));
    }),
  );
  const dockerfile = registerDockerfileSupport(ctx);
  const layers = registerLayers(ctx);
  const commandContext: CommandContext = { ...ctx, imagesTree: provider, registries, pinning: dockerfile, layers };
  registerCommands(commandContext, COMMAND_HANDLERS);
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { images, imagesProvider: provider, imagesView: view, registries, dockerfile, layers, layerCache, activationMs };
}

export function deactivate(): void {
  // Everything is in extension.subscriptions.
}
