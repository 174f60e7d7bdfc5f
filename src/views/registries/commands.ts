// Commands of the Registries view on registries and repositories: add, edit, remove, refresh,
// filter, load more and open in a browser. A tree message's `command:` passes a host, a name or
// a node; from the palette each asks instead.

import * as vscode from 'vscode';
import { dockerConfigFileForDisplay } from '../../dockerConfig/configFile';
import { repositoryWebPage } from '../../registry/browserUrl';
import { dockerCredentialInputs } from '../../registry/registryAuth';
import { parseReference } from '../../image/reference';
import { errorText } from '../../util/errors';
import { type CommandContext } from '../commandContext';
import { COMMANDS } from '../commandIds';
import { type CommandTable } from '../registerCommand';
import { parseRegistryInput } from './registryInput';
import { LoadMoreNode, RegistryNode, RegistryRepositoryNode, RegistryTagNode } from './nodes';

async function addRegistry(ctx: CommandContext, hostArgument?: unknown): Promise<void> {
  const text =
    typeof hostArgument === 'string'
      ? hostArgument
      : await vscode.window.showInputBox({
          title: 'Add Registry',
          prompt: 'The registry host, as in image names (ghcr.io, registry.example.com:5000); http://host for a plain-HTTP registry',
          validateInput: registryInputProblem,
        });
  if (!text) return;
  const parsed = parseRegistryInput(text);
  if (typeof parsed === 'string') throw new Error(`Cannot add "${text}": ${parsed}`);
  await ctx.registries.addRegistry({ host: parsed.host, insecure: parsed.insecure, source: 'added' });
  if (typeof hostArgument === 'string') return;
  const credentials = await vscode.window.showQuickPick(
    [
      { label: 'Use my Docker credentials', description: `from ${dockerConfigFileForDisplay(dockerCredentialInputs())}, or anonymous`, login: false },
      { label: 'Log in with a user name and password…', description: "kept in VS Code's secret storage", login: true },
    ],
    { title: `Credentials for ${parsed.host}` },
  );
  if (credentials?.login) await vscode.commands.executeCommand(COMMANDS.logIn, parsed.host);
}

async function editRegistry(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!(node instanceof RegistryNode) || node.entry.source !== 'added') return;
  const current = node.entry.insecure ? `http://${node.entry.host}` : node.entry.host;
  const text = await vscode.window.showInputBox({
    title: `Edit Registry ${node.entry.host}`,
    prompt: 'The registry host (http://host for a plain-HTTP registry)',
    value: current,
    validateInput: registryInputProblem,
  });
  if (!text || text === current) return;
  const parsed = parseRegistryInput(text);
  if (typeof parsed === 'string') throw new Error(`Cannot change ${node.entry.host} to "${text}": ${parsed}`);
  if (parsed.host !== node.entry.host) await ctx.registries.removeRegistry(node.entry);
  await ctx.registries.addRegistry({ host: parsed.host, insecure: parsed.insecure, source: 'added' });
}

async function removeRegistry(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!(node instanceof RegistryNode)) return;
  await ctx.registries.removeRegistry(node.entry);
}

async function addRepository(ctx: CommandContext, node?: unknown, nameArgument?: unknown): Promise<void> {
  if (!(node instanceof RegistryNode)) return;
  const validate = (value: string): string | undefined => {
    try {
      const ref = parseReference(`${node.entry.host}/${value.trim()}`);
      return ref.tag || ref.digest ? 'A repository name only, without :tag or @digest.' : undefined;
    } catch (error) {
      return errorText(error);
    }
  };
  const name = typeof nameArgument === 'string' ? nameArgument : await vscode.window.showInputBox({ title: `Add Repository to ${node.entry.host}`, prompt: 'The repository name, as in org/app', validateInput: validate });
  if (!name) return;
  const problem = validate(name);
  if (problem) throw new Error(`Cannot add "${name}" to ${node.entry.host}: ${problem}`);
  await ctx.registries.addRepository(node, name.trim());
}

async function openRepositoryInBrowser(_ctx: CommandContext, node?: unknown): Promise<void> {
  const target = node instanceof RegistryTagNode ? node.repository : node;
  if (!(target instanceof RegistryRepositoryNode)) return;
  const page = repositoryWebPage(target.registry.host, target.name);
  if (!page) throw new Error(`${target.registry.host} has no web page Layerlens knows: Open in Browser knows Docker Hub, GHCR and Quay.`);
  await vscode.env.openExternal(vscode.Uri.parse(page));
}

/** The view's title and the palette: everything. VS Code hands a title action the focused row, which is ignored. */
function refreshRegistries(ctx: CommandContext): Promise<void> {
  ctx.registries.refresh();
  return Promise.resolve();
}

/** A row's own Refresh (and an error row's Retry): what is below that registry or repository. */
function refreshRegistry(ctx: CommandContext, node?: unknown): Promise<void> {
  ctx.registries.refresh(node instanceof RegistryNode || node instanceof RegistryRepositoryNode ? node : undefined);
  return Promise.resolve();
}

async function filterTags(ctx: CommandContext, textArgument?: unknown): Promise<void> {
  const text = typeof textArgument === 'string' ? textArgument : await vscode.window.showInputBox({ title: 'Filter Tags', prompt: 'Show the tags that contain this text (empty: all)', value: ctx.registries.filter });
  if (text !== undefined) ctx.registries.setFilter(text);
}

function clearTagFilter(ctx: CommandContext): Promise<void> {
  ctx.registries.setFilter('');
  return Promise.resolve();
}

async function loadMoreTags(ctx: CommandContext, node?: unknown): Promise<void> {
  if (node instanceof LoadMoreNode) await ctx.registries.loadMore(node);
}

export const REGISTRY_COMMANDS = {
  [COMMANDS.addRegistry]: addRegistry,
  [COMMANDS.editRegistry]: editRegistry,
  [COMMANDS.removeRegistry]: removeRegistry,
  [COMMANDS.addRepository]: addRepository,
  [COMMANDS.openRepositoryInBrowser]: openRepositoryInBrowser,
  [COMMANDS.refreshRegistries]: refreshRegistries,
  [COMMANDS.refreshRegistry]: refreshRegistry,
  [COMMANDS.filterTags]: filterTags,
  [COMMANDS.clearTagFilter]: clearTagFilter,
  [COMMANDS.loadMoreTags]: loadMoreTags,
} satisfies CommandTable<CommandContext>;

/** As the user types; an empty box is no error yet (Enter on it adds nothing). */
function registryInputProblem(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const parsed = parseRegistryInput(value);
  return typeof parsed === 'string' ? parsed : undefined;
}
