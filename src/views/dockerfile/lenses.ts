// CodeLenses above every FROM and COPY --from that names an image. provideCodeLenses only
// parses (no I/O, so typing is never held up); resolveCodeLens asks the registry, and VS Code
// calls it only for the lenses on screen.

import * as vscode from 'vscode';
import { type PinnableImage } from '../../pinning/pinnable';
import { notPinnableMessage, type PinStatus } from '../../pinning/pinStatus';
import { type DockerfilePinning } from './pinning';
import { shortDigest } from '../../util/format';
import { describeChoice, firstSentence, tagName } from './statusText';
import { errorDetails, errorText } from '../../util/errors';
import { COMMANDS } from '../commandIds';

class StatusLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly document: vscode.TextDocument,
    readonly image: PinnableImage,
  ) {
    super(range);
  }
}

export class DockerfileLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly pinning: DockerfilePinning) {
    this.onDidChangeCodeLenses = pinning.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.pinning.isDockerfile(document)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const image of this.pinning.parse(document).images) {
      if (image.kind === 'scratch' || image.kind === 'stage') continue;
      const range = new vscode.Range(image.line, 0, image.line, 0);
      if (image.kind !== 'image') {
        const reason = notPinnableMessage(image);
        lenses.push(new vscode.CodeLens(range, { title: `$(circle-slash) ${firstSentence(reason)}`, tooltip: reason, command: '' }));
        continue;
      }
      lenses.push(new StatusLens(range, document, image));
      if (image.reference?.tag && image.reference.digest && image.pinTarget.kind !== 'none') {
        lenses.push(new vscode.CodeLens(range, { title: 'Unpin', tooltip: `Remove the digest and keep ${tagName(image.reference)}`, command: COMMANDS.unpinImage, arguments: [document.uri, image.line] }));
      }
    }
    return lenses;
  }

  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    if (!(lens instanceof StatusLens) || lens.command) return lens;
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      const status = await this.pinning.status(lens.image, lens.document.uri, abort.signal);
      lens.command = statusCommand(lens.document.uri, lens.image, status);
    } catch (error) {
      lens.command = retryCommand(errorText(error), errorDetails(error));
    } finally {
      subscription.dispose();
    }
    return lens;
  }
}

function statusCommand(uri: vscode.Uri, image: PinnableImage, status: PinStatus): vscode.Command {
  const pin = (title: string, tooltip: string): vscode.Command =>
    image.pinTarget.kind === 'none'
      ? { title: `$(circle-slash) Cannot pin: ${firstSentence(image.pinTarget.reason)}`, tooltip: image.pinTarget.reason, command: '' }
      : { title, tooltip: image.pinTarget.kind === 'arg' ? `${tooltip} The digest goes into ARG ${image.pinTarget.name}'s default (line ${image.pinTarget.line + 1}).` : tooltip, command: COMMANDS.pinImage, arguments: [uri, image.line] };
  const name = image.reference ? tagName(image.reference) : image.text;
  switch (status.kind) {
    case 'not-pinnable':
      return { title: `$(circle-slash) ${status.message}`, tooltip: status.message, command: '' };
    case 'unpinned':
      return pin('$(pin) Pin to digest', `Pin ${name} to ${status.choice.digest}: ${describeChoice(status.choice)}.`);
    case 'current':
      return { title: '$(pass) Pinned · tag current', tooltip: `${name} still points at ${shortDigest(status.choice.digest)}; this line is pinned to ${status.pinned}.`, command: '' };
    case 'moved':
      return pin(
        status.pinnedStillExists ? '$(warning) Tag moved · update digest' : '$(warning) Tag moved, pinned digest gone from the registry · update digest',
        `${name} now points at ${status.choice.digest}; this line is pinned to ${status.pinned}.`,
      );
    case 'digest-only':
      return status.exists
        ? { title: '$(pin) Pinned by digest · no tag to follow', tooltip: `${image.text} names no tag, so there is nothing to compare the digest with.`, command: '' }
        : { title: '$(error) Digest no longer in the registry', tooltip: `The registry no longer has ${status.pinned}: builds from this line fail. Pin a tag instead.`, command: '' };
    case 'error':
      return retryCommand(status.message, status.details);
  }
}

function retryCommand(message: string, details?: string): vscode.Command {
  return { title: `$(error) ${firstSentence(message)} · Retry`, tooltip: details === undefined ? message : `${message}\n\n${details}`, command: COMMANDS.retryPinStatus };
}
