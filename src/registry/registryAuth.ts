// Which credentials a registry call uses: those entered in Layerlens first, then the user's
// Docker configuration (credHelpers, credsStore, auths), else anonymous. One rule for pulls
// and pushes through the engine and for the Registries view's own requests.

import * as os from 'node:os';
import { type CredentialInputs, credentialServerAddress, describeCredential, engineAuthHeader, type RegistryCredential, resolveDockerCredential } from '../dockerConfig/credentials';
import { readTextFileIfExists } from '../util/files';
import { type Logger } from '../util/logger';
import { type RegistryCredentialStore } from './credentialStore';

export interface RegistryAuth {
  /** The X-Registry-Auth value; undefined for anonymous. */
  header?: string;
  /** For the log: where the credentials came from, never what they are. */
  description: string;
}

/** This process's Docker configuration, as the docker CLI would find it. */
export function dockerCredentialInputs(): CredentialInputs {
  return { env: process.env, homeDir: os.homedir(), readTextFile: readTextFileIfExists };
}

export async function resolveRegistryCredential(host: string, store: RegistryCredentialStore): Promise<{ credential: RegistryCredential; description: string } | undefined> {
  const entered = await store.get(host);
  if (entered) return { credential: entered, description: `credentials for ${host} entered in Layerlens` };
  const fromDocker = await resolveDockerCredential(host, dockerCredentialInputs());
  return fromDocker ? { credential: fromDocker, description: describeCredential(fromDocker) } : undefined;
}

export async function resolveRegistryAuth(host: string, store: RegistryCredentialStore, log: Logger): Promise<RegistryAuth> {
  const found = await resolveRegistryCredential(host, store);
  if (!found) return { description: `no credentials for ${host} (anonymous)` };
  log.debug(`registry: ${found.description}`);
  return { header: engineAuthHeader(found.credential, credentialServerAddress(host)), description: found.description };
}
