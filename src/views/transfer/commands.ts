// Pull, Tag, Push and Log In: from the tree and the palette, with per-layer progress,
// cancellation, bounded concurrency for several at once, and "Log In" when a registry
// refuses.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type CommandHandler, registerCommand } from '../registerCommand';
import { checkRegistryLogin, tagImage } from '../../engine/images';
import { pullImage, pushImage, TransferError, type TransferKind, type TransferResult } from '../../engine/transfer';
import { credentialServerAddress } from '../../dockerConfig/credentials';
import { familiarRepositoryName, formatFamiliarReference, type ImageReference, parseReference, repositoryName, withDefaultTag } from '../../image/reference';
import { settleWithConcurrency } from '../../util/concurrency';
import { resolveTargets } from '../images/pick';
import { type ImageNodeTarget, RepositoryNode } from '../images/nodes';
import { RegistryCredentialStore } from '../../registry/credentialStore';
import { resolveRegistryAuth } from '../../registry/registryAuth';
import { withTransferProgress } from './progress';
import { askForPullReference, askForTagTarget, type ReferenceRequest } from './referenceInput';
import { withNotificationProgress } from '../notificationProgress';
import { errorText } from '../../util/errors';

const CONCURRENT_TRANSFERS = 3;

export function registerTransferCommands(ctx: LayerlensContext): void {
  const { images, session, log } = ctx;
  const store = new RegistryCredentialStore(ctx.extension.secrets);

  const transfer = async (kind: TransferKind, request: ReferenceRequest): Promise<TransferResult | undefined> => {
    const reference = formatFamiliarReference(request.reference);
    const auth = await resolveRegistryAuth(request.reference.domain, store, log);
    log.info(`${kind} ${reference}${request.platform ? ` (${request.platform})` : ''} with ${auth.description}`);
    try {
      const result = await withTransferProgress(`${kind === 'pull' ? 'Pulling' : 'Pushing'} ${reference}`, (onProgress, signal) =>
        session.run(`${kind} ${reference}`, (connection) =>
          (kind === 'pull' ? pullImage : pushImage)(connection.streams, request.reference, { registryAuth: auth.header, platform: request.platform, signal, onProgress }),
        ),
      );
      log.info(`${kind} ${reference}: ${result.status ?? 'done'}${result.digest ? `, ${result.digest}` : ''}`);
      if (kind === 'push' && result.digest) showPushedDigest(reference, result.digest);
      return result;
    } catch (error) {
      if (error instanceof TransferError) {
        if (error.problem === 'cancelled') {
          log.info(error.message);
          vscode.window.setStatusBarMessage(`Layerlens: ${error.message}`, 4000);
          return undefined;
        }
        log.error(`${error.message} (engine: ${error.engineText})`);
        // The command ends here; the notification's actions (a login and a retry) run on their own.
        void vscode.window.showErrorMessage(error.message, ...(error.needsLogin ? ['Log In', 'Show Log'] : ['Show Log'])).then(async (choice) => {
          if (choice === 'Show Log') log.show(true);
          if (choice === 'Log In' && (await logIn(request.reference.domain))) await transfer(kind, request);
        });
        return undefined;
      }
      throw error;
    }
  };

  const logIn = async (suggestedHost?: string): Promise<boolean> => {
    const host = await vscode.window.showInputBox({
      title: 'Log In to Registry',
      prompt: 'The registry host, as in image names: docker.io, ghcr.io, registry.example.com:5000',
      value: suggestedHost ?? '',
      validateInput: (text) => (/^[a-zA-Z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(text.trim()) ? undefined : 'A host name with an optional port, without https:// or a path.'),
    });
    if (!host) return false;
    const username = await vscode.window.showInputBox({ title: `Log In to ${host.trim()}`, prompt: 'User name', ignoreFocusOut: true, validateInput: (text) => (text.trim() ? undefined : 'The user name is empty.') });
    if (!username) return false;
    const password = await vscode.window.showInputBox({ title: `Log In to ${host.trim()}`, prompt: `Password or access token for ${username}`, password: true, ignoreFocusOut: true });
    if (!password) return false;
    const registry = host.trim();
    try {
      const identityToken = await withNotificationProgress({ title: `Checking the credentials with ${registry}` }, () =>
        session.run(`log in to ${registry}`, (connection) => checkRegistryLogin(connection.calls, { username: username.trim(), password, serveraddress: credentialServerAddress(registry) })),
      );
      await store.set(registry, identityToken ? { username: username.trim(), identityToken } : { username: username.trim(), password });
      log.info(`registry: logged in to ${registry} as ${username.trim()} (kept in VS Code's secret storage)`);
      vscode.window.setStatusBarMessage(`Layerlens: logged in to ${registry}`, 4000);
      return true;
    } catch (error) {
      const reason = errorText(error);
      void vscode.window.showErrorMessage(`Cannot log in to ${registry} as ${username.trim()}: ${reason}. Nothing was saved; check the user name and password (or token).`);
      return false;
    }
  };

  const register = (id: string, handler: CommandHandler): void => registerCommand(ctx, id, handler);

  register('layerlens.image.pull', async (node, nodes) => {
    const fromTree = (Array.isArray(nodes) && nodes.length ? nodes : node ? [node] : []) as unknown[];
    const requests: ReferenceRequest[] = [];
    for (const item of fromTree) {
      if (item instanceof RepositoryNode) {
        const request = await askForPullReference(images, `${item.group.label}:`);
        if (request) requests.push(request);
      } else if (item && typeof item === 'object' && 'tagReference' in item && typeof item.tagReference === 'string') {
        requests.push({ reference: withDefaultTag(parseReference(item.tagReference)) });
      }
    }
    if (!fromTree.length) {
      const request = await askForPullReference(images);
      if (request) requests.push(request);
    }
    await settleWithConcurrency(requests, CONCURRENT_TRANSFERS, (request) => transfer('pull', request));
  });

  register('layerlens.image.push', async (node, nodes) => {
    const targets = await resolveTargets(images, node, nodes, { title: 'Push Images', canPickMany: true, filter: (target) => Boolean(target.tagReference) });
    await settleWithConcurrency(targets, CONCURRENT_TRANSFERS, (target) => transfer('push', { reference: withDefaultTag(parseReference(target.tagReference!)) }));
  });

  register('layerlens.image.tag', async (node, nodes) => {
    const [target] = await resolveTargets(images, node, nodes, { title: 'Tag Image' });
    if (!target) return;
    const next = await askForTagTarget(currentName(target));
    if (!next) return;
    await session.run(`tag ${target.engineName} ${formatFamiliarReference(next)}`, (connection) => tagImage(connection.calls, target.image.id, { repository: tagRepository(next), tag: next.tag ?? 'latest' }));
    vscode.window.setStatusBarMessage(`Layerlens: tagged ${formatFamiliarReference(next)}`, 4000);
  });

  register('layerlens.registry.login', async (host) => {
    const hostName = typeof host === 'string' ? host : host && typeof host === 'object' && 'entry' in host ? (host as { entry: { host: string } }).entry.host : undefined;
    if (await logIn(hostName)) await vscode.commands.executeCommand('layerlens.registries.refresh');
  });

  register('layerlens.registry.logout', async () => {
    const host = await vscode.window.showInputBox({ title: 'Log Out of Registry', prompt: 'The registry host whose Layerlens credentials to forget' });
    if (!host?.trim()) return;
    await store.delete(host.trim());
    vscode.window.setStatusBarMessage(`Layerlens: forgot the credentials for ${host.trim()} (your Docker configuration is unchanged)`, 4000);
  });
}

function showPushedDigest(reference: string, digest: string): void {
  void vscode.window.showInformationMessage(`Pushed ${reference}: ${digest}`, 'Copy Digest').then(async (choice) => {
    if (choice === 'Copy Digest') await vscode.env.clipboard.writeText(digest);
  });
}

function currentName(target: ImageNodeTarget): string {
  if (target.tagReference) return formatFamiliarReference(parseReference(target.tagReference));
  return '';
}

/** The repository as the engine's tag API wants it: the familiar name keeps docker.io images short. */
function tagRepository(ref: ImageReference): string {
  return ref.domain === 'docker.io' ? familiarRepositoryName(ref) : repositoryName(ref);
}
