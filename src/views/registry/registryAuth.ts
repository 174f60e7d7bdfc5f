// Which credentials a pull or push to a registry uses: those entered in Layerlens first, then
// the user's Docker configuration (credHelpers, credsStore, auths), else anonymous.

import * as os from 'node:os';
import { credentialServerAddress, describeCredential, engineAuthHeader, resolveDockerCredential } from '../../registry/credentials';
import { readTextFileIfExists } from '../../util/files';
import { type Logger } from '../../util/logger';
import { type RegistryCredentialStore } from './credentialStore';

export interface RegistryAuth {
  /** The X-Registry-Auth value; undefined for anonymous. */
  header?: string;
  /** For the log: where the credentials came from, never what they are. */
  description: string;
}

export async function resolveRegistryAuth(host: string, store: RegistryCredentialStore, log: Logger): Promise<RegistryAuth> {
  const serverAddress = credentialServerAddress(host);
  const entered = await store.get(host);
  if (entered) return { header: engineAuthHeader(entered, serverAddress), description: `credentials for ${host} entered in Layerlens` };
  const fromDocker = await resolveDockerCredential(host, { env: process.env, homeDir: os.homedir(), readTextFile: readTextFileIfExists });
  if (fromDocker) {
    const description = describeCredential(fromDocker);
    log.debug(`registry: ${description}`);
    return { header: engineAuthHeader(fromDocker, serverAddress), description };
  }
  return { description: `no credentials for ${host} (anonymous)` };
}
