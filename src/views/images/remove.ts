// Remove Image: confirm, name the containers that block it, offer force, report what went.

import * as vscode from 'vscode';
import { announceSuccess } from '../announce';
import { EngineError } from '../../engine/errors';
import { removeImage } from '../../engine/images';
import { type EngineSession } from '../../engine/session';
import { type ImageNodeTarget } from './nodes';
import { withNotificationProgress } from '../notificationProgress';
import { errorText } from '../../util/errors';

export async function removeImagesWithConfirmation(session: EngineSession, targets: ImageNodeTarget[]): Promise<void> {
  if (!targets.length) return;
  const blocked = targets.filter((target) => target.image.containers.length > 0 && isLastReference(target));
  const subject = targets.length === 1 ? targets[0]!.displayName : `${targets.length} images`;
  const detailLines = targets.length > 1 ? [targets.slice(0, 10).map((t) => t.displayName).join('\n') + (targets.length > 10 ? `\n… and ${targets.length - 10} more` : '')] : [];
  if (blocked.length) detailLines.push(describeBlockers(blocked));
  const choice = await vscode.window.showWarningMessage(
    `Remove ${subject}?`,
    { modal: true, detail: detailLines.join('\n\n') || 'A tag is removed; the image goes too when no other tag refers to it.' },
    ...(blocked.length === targets.length ? ['Force Remove'] : blocked.length ? ['Remove Others', 'Force Remove All'] : ['Remove']),
  );
  if (!choice) return;
  const force = choice.startsWith('Force');
  const chosen = choice === 'Remove Others' ? targets.filter((target) => !blocked.includes(target)) : targets;
  await removeTargets(session, chosen, force);
}

async function removeTargets(session: EngineSession, targets: ImageNodeTarget[], force: boolean): Promise<void> {
  const conflicts: Array<{ target: ImageNodeTarget; error: EngineError }> = [];
  const failures: string[] = [];
  let removed = 0;
  await withNotificationProgress({ title: 'Removing images', cancellable: true }, async (progress, token) => {
    for (const target of targets) {
      if (token.isCancellationRequested) break;
      progress.report({ message: target.displayName, increment: 100 / targets.length });
      try {
        await session.run(`remove ${target.engineName}${force ? ' (force)' : ''}`, (connection) => removeImage(connection.calls, target.engineName, { force }));
        removed++;
      } catch (error) {
        if (error instanceof EngineError && error.kind === 'conflict' && !force) conflicts.push({ target, error });
        else if (error instanceof EngineError && error.kind === 'not-found') removed++;
        else failures.push(`${target.displayName}: ${errorText(error)}`);
      }
    }
  });
  if (failures.length) {
    void vscode.window.showErrorMessage(`Could not remove ${failures.length === 1 ? failures[0] : `${failures.length} images:\n${failures.join('\n')}`}`);
  }
  if (conflicts.length) {
    const names = conflicts.map((c) => c.target.displayName).join(', ');
    const choice = await vscode.window.showWarningMessage(
      `${names} ${conflicts.length === 1 ? 'is' : 'are'} in use or referenced elsewhere: ${conflicts[0]!.error.message}`,
      { modal: true, detail: describeBlockers(conflicts.map((c) => c.target)) },
      'Force Remove',
    );
    if (choice === 'Force Remove') await removeTargets(session, conflicts.map((c) => c.target), true);
  } else if (removed && !failures.length) {
    announceSuccess(`Removed ${removed === 1 ? targets[0]!.displayName : `${removed} images`}`);
  }
}

function isLastReference(target: ImageNodeTarget): boolean {
  return target.image.repoTags.length + target.image.repoDigests.length <= 1 || !target.tagReference;
}

function describeBlockers(targets: ImageNodeTarget[]): string {
  return targets
    .map((target) => {
      const containers = target.image.containers.map((container) => `${container.name} (${container.state})`).join(', ');
      return `${target.displayName} is used by ${target.image.containers.length === 1 ? 'container' : 'containers'} ${containers}. Force removes it anyway: stopped containers stay but lose their image; a running container's image is only untagged.`;
    })
    .join('\n');
}
