// Asking for an image reference: validated as you type with the one reference parser, with
// the local repositories offered as suggestions, and an optional `--platform os/arch`.

import * as vscode from 'vscode';
import { type LocalImagesModel } from '../../engine/localImages';
import { formatReference, type ImageReference, parseReference, ImageReferenceError, withDefaultTag } from '../../image/reference';
import { parseReferenceRequest, type ReferenceRequest } from '../../image/referenceRequest';
import { errorText } from '../../util/errors';

export type { ReferenceRequest } from '../../image/referenceRequest';

export async function askForPullReference(images: LocalImagesModel, initial = ''): Promise<ReferenceRequest | undefined> {
  type Item = vscode.QuickPickItem & { request?: ReferenceRequest };
  const state = images.state;
  // Local tags, newest three a repository: pulling one again fetches what its tag names now.
  const suggestions: Item[] = [];
  if (state.kind === 'ready') {
    for (const tag of state.groups.repositories.flatMap((group) => group.tags.slice(0, 3))) {
      const reference = parseReferenceSafe(tag.reference);
      if (reference) suggestions.push({ label: tag.familiar, description: 'local: pull again', request: { reference } });
    }
  }
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = 'Pull Image';
  quickPick.placeholder = 'nginx:1.27, ghcr.io/org/app@sha256:…, localhost:5000/app:dev --platform linux/arm64';
  quickPick.matchOnDescription = true;
  quickPick.value = initial;
  const typedItem = (value: string): Item[] => {
    if (!value.trim()) return [];
    try {
      const request = parseReferenceRequest(value);
      return [{ label: `$(cloud-download) Pull ${formatReference(request.reference)}`, description: request.platform ? `for ${request.platform}` : undefined, alwaysShow: true, request }];
    } catch (error) {
      const reason = error instanceof ImageReferenceError ? error.message : errorText(error);
      return [{ label: `$(error) ${reason}`, alwaysShow: true }];
    }
  };
  const update = (): void => {
    quickPick.items = [...typedItem(quickPick.value), ...suggestions];
  };
  update();
  return new Promise((resolve) => {
    quickPick.onDidChangeValue(update);
    quickPick.onDidAccept(() => {
      const request = quickPick.selectedItems[0]?.request;
      if (!request) return; // an error row: stay open so the text can be fixed
      resolve(request);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

function parseReferenceSafe(text: string): ImageReference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

/** An input box for a new name, validated as you type: a tag target has a tag and no digest. */
export async function askForTagTarget(current: string): Promise<ImageReference | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Tag ${current}`,
    prompt: 'The new name: repository[:tag], with a registry host to push there (localhost:5000/app:1)',
    value: current,
    valueSelection: [current.lastIndexOf(':') + 1, current.length],
    validateInput: (text) => {
      try {
        const ref = parseReference(text);
        return ref.digest ? 'A tag cannot name a digest: remove the @sha256:… part.' : undefined;
      } catch (error) {
        return errorText(error);
      }
    },
  });
  return value === undefined ? undefined : withDefaultTag(parseReference(value));
}
