// "Log In to Registry": host, user name and password asked in turn, checked with the engine
// before anything is kept, and kept only in VS Code's secret storage.

import * as vscode from 'vscode';
import { checkRegistryLogin } from '../../engine/images';
import { credentialServerAddress } from '../../dockerConfig/credentials';
import { errorText } from '../../util/errors';
import { type CommandContext } from '../commandContext';
import { withNotificationProgress } from '../notificationProgress';

/** True when the credentials were checked and saved; a refusal is shown here, not thrown. */
export async function logInToRegistry(ctx: CommandContext, suggestedHost?: string): Promise<boolean> {
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
      ctx.session.run(`log in to ${registry}`, (connection) => checkRegistryLogin(connection.calls, { username: username.trim(), password, serveraddress: credentialServerAddress(registry) })),
    );
    await ctx.credentials.set(registry, identityToken ? { username: username.trim(), identityToken } : { username: username.trim(), password });
    // Tokens cached under the old credentials must not be used again.
    ctx.registryClients.forget(registry);
    ctx.log.info(`registry: logged in to ${registry} as ${username.trim()} (kept in VS Code's secret storage)`);
    vscode.window.setStatusBarMessage(`Layerlens: logged in to ${registry}`, 4000);
    return true;
  } catch (error) {
    const reason = errorText(error);
    void vscode.window.showErrorMessage(`Cannot log in to ${registry} as ${username.trim()}: ${reason}. Nothing was saved; check the user name and password (or token).`);
    return false;
  }
}
