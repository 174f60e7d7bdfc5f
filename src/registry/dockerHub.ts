// Docker Hub has no catalog API: a namespace's repositories come from Hub's own API
// (hub.docker.com/v2/repositories/<namespace>/), page by page. Private repositories need a
// Hub token, which Hub gives for the user name and password (or access token). Requests go
// through http.ts: retries, timeouts, a size cap, and the token only ever sent to Hub.

import { type RegistryCredential } from '../dockerConfig/credentials';
import { DescribedError } from '../util/errors';
import { type RequestSubject } from './httpErrors';
import { discard, RegistryHttp, type HttpOptions } from './http';

const HUB = 'https://hub.docker.com';
const MAX_PAGES = 1_000;
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export interface HubOptions extends HttpOptions {
  credential?: RegistryCredential;
  pageSize?: number;
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
  const http = new RegistryHttp(options);
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(namespace)) {
    throw new DockerHubError(`"${namespace}" is not a Docker Hub namespace: use the lowercase user or organization name, as in docker.io/<namespace>/app.`);
  }
  const token = options.credential?.username && options.credential.password ? await hubToken(options.credential, http) : undefined;
  let url: string | undefined = `${HUB}/v2/repositories/${namespace}/?page_size=${options.pageSize ?? 100}`;
  const seen = new Set<string>();
  for (let page = 0; url && page < MAX_PAGES; page++) {
    if (seen.has(url)) return;
    seen.add(url);
    const subject: RequestSubject = { registry: 'docker.io', action: `list the repositories of namespace ${namespace} on` };
    const { response } = await http.send({ method: 'GET', url: new URL(url), subject, headers: { Accept: 'application/json' }, authorization: token ? `Bearer ${token}` : undefined, credentialOrigin: HUB });
    if (!response.ok) await discard(response);
    if (response.status === 404) throw new DockerHubError(`Docker Hub has no namespace "${namespace}". Check layerlens.dockerHub.namespace.`, 404);
    if (response.status === 401 || response.status === 403) throw new DockerHubError(`Docker Hub refused to list the repositories of "${namespace}" (${response.status}). Log in to docker.io as a member of it.`, response.status);
    if (!response.ok) throw new DockerHubError(`Docker Hub answered ${response.status} when listing the repositories of "${namespace}". Try again later.`, response.status);
    const body = parseHubJson<HubPage>(await http.readText(response, MAX_PAGE_BYTES, subject, 'page', 'Docker Hub answered more than a page of repositories holds; try again later'));
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

async function hubToken(credential: RegistryCredential, http: RegistryHttp): Promise<string> {
  const subject: RequestSubject = { registry: 'docker.io', action: 'log in to Docker Hub for' };
  const { response } = await http.send({
    method: 'POST',
    url: new URL(`${HUB}/v2/users/login`),
    subject,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: credential.username, password: credential.password }),
    secretBody: true,
  });
  if (!response.ok) {
    await discard(response);
    throw new DockerHubError(`Docker Hub refused the saved credentials for ${credential.username ?? 'your user'} (${response.status}). Log in to docker.io again.`, response.status);
  }
  const body = parseHubJson<{ token?: unknown }>(await http.readText(response, MAX_PAGE_BYTES, subject, 'login answer', 'try again later'));
  if (typeof body.token !== 'string') throw new DockerHubError('Docker Hub answered the login without a token. Try again later.');
  return body.token;
}

function parseHubJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DockerHubError('Docker Hub answered with something that is not JSON. Try again later; if it persists, check for a proxy in between.');
  }
}
