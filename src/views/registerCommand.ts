// Every command goes through here: a failure becomes one error message and a log line,
// never an unhandled rejection.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../context';
import { errorDetails, errorText } from '../util/errors';
import { type CommandId } from './commandIds';

/**
 * A command's body. VS Code passes a tree command the clicked node and the selection, and a
 * lens or a `command:` field its own arguments; from the palette both are undefined.
 */
export type CommandHandler<C> = (ctx: C, node?: unknown, nodes?: unknown) => Promise<unknown>;

export type CommandTable<C> = Partial<Record<CommandId, CommandHandler<C>>>;

/** The button that opens the log, where a failure's details were written. */
export const SHOW_DETAILS = 'Show Details';

export function registerCommand<C extends LayerlensContext>(ctx: C, id: CommandId, handler: CommandHandler<C>): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(id, async (node?: unknown, nodes?: unknown) => {
      try {
        // The result goes back to executeCommand's caller: extension tests read what a command did.
        return await handler(ctx, node, nodes);
      } catch (error) {
        const message = errorText(error);
        const details = errorDetails(error);
        ctx.log.error(`${id}: ${message}${details === undefined ? '' : `\n${details}`}`);
        void vscode.window.showErrorMessage(message, ...(details === undefined ? [] : [SHOW_DETAILS])).then((choice) => {
          if (choice === SHOW_DETAILS) ctx.log.show(true);
        });
        return undefined;
      }
    }),
  );
}

export function registerCommands<C extends LayerlensContext>(ctx: C, table: CommandTable<C>): void {
  for (const [id, handler] of Object.entries(table) as [CommandId, CommandHandler<C>][]) registerCommand(ctx, id, handler);
}
