// Asking for an image reference: validated as you type with the one reference parser, with
// the local repositories offered as suggestions, and an optional `--platform os/arch`.

import * as vscode from 'vscode';
import { type LocalImagesModel } from '../../engine/localImages';
import { type ImageReference, parseReference, withDefaultTag } from '../../image/reference';
import { type ReferenceRequest } from '../../image/referenceRequest';
import { errorText } from '../../util/errors';
import { pullInputRow } from './pullInput';

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
  let typed = false;
  const update = (): void => {
    const row = pullInputRow(quickPick.value, typed);
    quickPick.items = [...(row ? [{ ...row, alwaysShow: true }] : []), ...suggestions];
  };
  update();
  return new Promise((resolve) => {
    quickPick.onDidChangeValue(() => {
      typed = true;
      update();
    });
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
