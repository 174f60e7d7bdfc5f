import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repositoryWebPage } from '../../../src/registry/browserUrl';

test('web pages of Docker Hub, GHCR and Quay repositories; none for others', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['docker.io', 'library/nginx', 'https://hub.docker.com/_/nginx'],
    ['docker.io', 'grafana/grafana', 'https://hub.docker.com/r/grafana/grafana'],
    ['registry-1.docker.io', 'library/redis', 'https://hub.docker.com/_/redis'],
    ['ghcr.io', 'org/app', 'https://ghcr.io/org/app'],
    ['quay.io', 'prometheus/node-exporter', 'https://quay.io/repository/prometheus/node-exporter'],
    ['registry.example.com:5000', 'team/app', undefined],
    ['127.0.0.1:5000', 'app', undefined],
  ];
  for (const [host, repository, expected] of cases) assert.equal(repositoryWebPage(host, repository), expected, `${host}/${repository}`);
});
