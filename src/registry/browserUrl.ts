// The web page of a repository, for the registries that have one people know.

/** Docker Hub, GHCR and Quay; undefined for registries without a known page. */
export function repositoryWebPage(host: string, repository: string): string | undefined {
  const name = repository.replace(/^\/+|\/+$/g, '');
  switch (host.toLowerCase()) {
    case 'docker.io':
    case 'index.docker.io':
    case 'registry-1.docker.io':
      return name.startsWith('library/') ? `https://hub.docker.com/_/${name.slice('library/'.length)}` : `https://hub.docker.com/r/${name}`;
    case 'ghcr.io':
      // ghcr.io/<owner>/<image> in a browser leads to the package's page on GitHub.
      return `https://ghcr.io/${name}`;
    case 'quay.io':
      return `https://quay.io/repository/${name}`;
    default:
      return undefined;
  }
}
