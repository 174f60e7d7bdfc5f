// Credentials for fixtures and assertions that talk to a test registry directly.
import { type TestRegistry } from './registry';

export interface RegistryCredentials {
  username: string;
  password: string;
}

function credentialsOf(registry: TestRegistry, override?: RegistryCredentials): RegistryCredentials | undefined {
  if (override) return override;
  if (registry.username === undefined || registry.password === undefined) return undefined;
  return { username: registry.username, password: registry.password };
}

export function basicAuthValue(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * Asks the token registry's realm for a token covering `scope` (e.g. "repository:team/app:pull,push").
 * Without credentials (pass `null`) the token is anonymous and grants nothing.
 */
export async function fetchRegistryToken(
  registry: TestRegistry,
  scope: string | undefined,
  credentials?: RegistryCredentials | null,
): Promise<string> {
  if (!registry.tokenRealm) throw new Error(`registry ${registry.host} (auth ${registry.auth}) has no token realm`);
  const url = new URL(registry.tokenRealm);
  url.searchParams.set('service', registry.tokenService ?? '');
  if (scope) url.searchParams.set('scope', scope);
  const creds = credentials === null ? undefined : credentialsOf(registry, credentials);
  const response = await fetch(url, { headers: creds ? { Authorization: basicAuthValue(creds) } : {} });
  const text = await response.text();
  if (!response.ok) throw new Error(`token request to ${url.href} answered ${response.status}: ${text}`);
  const body = JSON.parse(text) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error(`token response from ${url.href} had no token: ${text}`);
  return token;
}

/** The Authorization header for `scope` on this registry: {} without auth, Basic, or a fresh Bearer token. */
export async function registryAuthHeader(
  registry: TestRegistry,
  scope?: string,
  credentials?: RegistryCredentials,
): Promise<Record<string, string>> {
  if (registry.auth === 'none') return {};
  if (registry.auth === 'basic') {
    const creds = credentialsOf(registry, credentials);
    return creds ? { Authorization: basicAuthValue(creds) } : {};
  }
  return { Authorization: `Bearer ${await fetchRegistryToken(registry, scope, credentials)}` };
}
