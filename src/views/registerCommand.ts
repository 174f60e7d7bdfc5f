// Every command goes through here: a failure becomes one error message and a log line,
// never an unhandled rejection.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../context';
import { errorText } from '../util/errors';

export type CommandHandler = (node?: unknown, nodes?: unknown) => Promise<unknown>;

export function registerCommand(ctx: LayerlensContext, id: string, handler: CommandHandler): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(id, async (node?: unknown, nodes?: unknown) => {
      try {
        await handler(node, nodes);
      } catch (error) {
        const message = errorText(error);
        ctx.log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message);
      }
    }),
  );
}
