// One pull or push with per-layer progress and cancellation. A registry's refusal offers
// "Log In" and then the same transfer again.

import * as vscode from 'vscode';
import { pullImage, pushImage, TransferError, type TransferKind, type TransferResult } from '../../engine/transfer';
import { formatFamiliarReference } from '../../image/reference';
import { resolveRegistryAuth } from '../../registry/registryAuth';
import { type CommandContext } from '../commandContext';
import { SHOW_DETAILS } from '../registerCommand';
import { logInToRegistry } from './logIn';
import { withTransferProgress } from './progress';
import { type ReferenceRequest } from './referenceInput';
import { pullSummary } from './summary';
import { announceSuccess } from '../announce';

/** The engine's result; undefined when cancelled or when the failure was already shown. */
export async function transferImage(ctx: CommandContext, kind: TransferKind, request: ReferenceRequest): Promise<TransferResult | undefined> {
  const { session, log } = ctx;
  const reference = formatFamiliarReference(request.reference);
  const auth = await resolveRegistryAuth(request.reference.domain, ctx.credentials, log);
  log.info(`${kind} ${reference}${request.platform ? ` (${request.platform})` : ''} with ${auth.description}`);
  try {
    const result = await withTransferProgress(`${kind === 'pull' ? 'Pulling' : 'Pushing'} ${reference}`, (onProgress, signal) =>
      session.run(`${kind} ${reference}`, (connection) =>
        (kind === 'pull' ? pullImage : pushImage)(connection.streams, request.reference, { registryAuth: auth.header, platform: request.platform, signal, onProgress, knownRegistries: ctx.knownRegistries }),
      ),
    );
    log.info(`${kind} ${reference}: ${result.status ?? 'done'}${result.digest ? `, ${result.digest}` : ''}`);
    if (kind === 'pull') {
      announceSuccess(pullSummary(reference, result));
      void ctx.imagesTree.revealTag(reference);
    }
    if (kind === 'push') {
      // The registry the push touched shows the new repository or tag without a manual refresh.
      const host = request.reference.domain;
      if (ctx.registriesModel.registries().some((entry) => entry.host === host)) ctx.registriesModel.refresh(host);
      if (result.digest) showPushedDigest(reference, result.digest);
    }
    return result;
  } catch (error) {
    if (error instanceof TransferError) {
      if (error.problem === 'cancelled') {
        log.info(error.message);
        vscode.window.setStatusBarMessage(`Layerlens: ${error.message}`, 4000);
        return undefined;
      }
      log.error(`${error.message}\n  The engine: ${error.engineText}`);
      // The command ends here; the notification's actions (a login and a retry) run on their own.
      void vscode.window.showErrorMessage(error.message, ...(error.needsLogin ? ['Log In', SHOW_DETAILS] : [SHOW_DETAILS])).then(async (choice) => {
        if (choice === SHOW_DETAILS) log.show(true);
        if (choice === 'Log In' && (await logInToRegistry(ctx, request.reference.domain))) await transferImage(ctx, kind, request);
      });
      return undefined;
    }
    throw error;
  }
}

function showPushedDigest(reference: string, digest: string): void {
  void vscode.window.showInformationMessage(`Pushed ${reference}: ${digest}`, 'Copy Digest').then(async (choice) => {
    if (choice === 'Copy Digest') await vscode.env.clipboard.writeText(digest);
  });
}
