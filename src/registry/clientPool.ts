// The one set of registry clients: one per host and plain-HTTP flag, so the Registries view,
// pinning and transfers share each registry's tokens. Credentials come from one lookup
// (Layerlens's store, then the Docker configuration).

import { type CredentialGetter } from './auth';
import { RegistryClient, type RegistryClientOptions } from './client';

export type PoolClientOptions = Omit<RegistryClientOptions, 'host' | 'insecure' | 'getCredential'>;

export class RegistryClientPool {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(
    private readonly getCredential: CredentialGetter,
    private readonly options: PoolClientOptions = {},
  ) {}

  client(host: string, insecure = false): RegistryClient {
    const key = `${host}|${insecure}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new RegistryClient({ userAgent: 'layerlens', ...this.options, host, insecure, getCredential: this.getCredential });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Drops the clients of a host (every host without one): after a login, or a change of address. */
  forget(host?: string): void {
    if (host === undefined) this.clients.clear();
    else for (const insecure of [false, true]) this.clients.delete(`${host}|${insecure}`);
  }
}
