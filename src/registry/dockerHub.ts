// Docker Hub has no catalog API: a namespace's repositories come from Hub's own API
// (hub.docker.com/v2/repositories/<namespace>/), page by page. Private repositories need a
// Hub token, which Hub gives for the user name and password (or access token).

import { type RegistryCredential } from '../dockerConfig/credentials';
import { DescribedError } from '../util/errors';

const HUB = 'https://hub.docker.com';
const MAX_PAGES = 1_000;

export interface HubOptions {
  fetch?: typeof fetch;
  credential?: RegistryCredential;
  pageSize?: number;
  timeoutMs?: number;
}

export class DockerHubError extends DescribedError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DockerHubError';
  }
}

interface HubPage {
  next?: string | null;
  results?: Array<{ name?: unknown; namespace?: unknown }>;
}

/** Every repository of a Docker Hub namespace, as `namespace/name`. */
export async function* hubRepositories(namespace: string, options: HubOptions = {}): AsyncGenerator<string, void, undefined> {
  const fetchImpl = options.fetch ?? fetch;
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(namespace)) {
    throw new DockerHubError(`"${namespace}" is not a Docker Hub namespace: use the lowercase user or organization name, as in docker.io/<namespace>/app.`);
  }
  const token = options.credential?.username && options.credential.password ? await hubToken(options.credential, fetchImpl, options.timeoutMs) : undefined;
  let url: string | undefined = `${HUB}/v2/repositories/${namespace}/?page_size=${options.pageSize ?? 100}`;
  const seen = new Set<string>();
  for (let page = 0; url && page < MAX_PAGES; page++) {
    if (seen.has(url)) return;
    seen.add(url);
    const response = await fetchImpl(url, { headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    if (response.status === 404) throw new DockerHubError(`Docker Hub has no namespace "${namespace}". Check layerlens.dockerHub.namespace.`, 404);
    if (response.status === 401 || response.status === 403) throw new DockerHubError(`Docker Hub refused to list the repositories of "${namespace}" (${response.status}). Log in to docker.io as a member of it.`, response.status);
    if (!response.ok) throw new DockerHubError(`Docker Hub answered ${response.status} when listing the repositories of "${namespace}". Try again later.`, response.status);
    const body = (await response.json()) as HubPage;
    for (const result of body.results ?? []) {
      if (typeof result.name === 'string') yield `${typeof result.namespace === 'string' ? result.namespace : namespace}/${result.name}`;
    }
    url = nextHubPage(body.next);
  }
}

/** Hub's next-page link, only on Hub itself: never follow a link elsewhere with a token. */
function nextHubPage(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  try {
    const url = new URL(next, HUB);
    return url.origin === HUB ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

async function hubToken(credential: RegistryCredential, fetchImpl: typeof fetch, timeoutMs?: number): Promise<string> {
  const response = await fetchImpl(`${HUB}/v2/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: credential.username, password: credential.password }),
    signal: AbortSignal.timeout(timeoutMs ?? 30_000),
  });
  if (!response.ok) throw new DockerHubError(`Docker Hub refused the saved credentials for ${credential.username ?? 'your user'} (${response.status}). Log in to docker.io again.`, response.status);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new DockerHubError('Docker Hub answered the login without a token. Try again later.');
  return body.token;
}
