// Credentials entered in Layerlens ("Log In to Registry"), kept in VS Code's SecretStorage:
// never in settings, never in a log line.

import type * as vscode from 'vscode';
import { type RegistryCredential } from '../dockerConfig/credentials';

const KEY_PREFIX = 'layerlens.registry:';

export class RegistryCredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(host: string): Promise<RegistryCredential | undefined> {
    const stored = await this.secrets.get(KEY_PREFIX + host);
    if (!stored) return undefined;
    try {
      const value = JSON.parse(stored) as RegistryCredential;
      return typeof value === 'object' && value !== null ? value : undefined;
    } catch {
      // A damaged entry is as good as none; logging in again replaces it.
      return undefined;
    }
  }

  async set(host: string, credential: RegistryCredential): Promise<void> {
    await this.secrets.store(KEY_PREFIX + host, JSON.stringify(credential));
  }

  async delete(host: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + host);
  }
}
