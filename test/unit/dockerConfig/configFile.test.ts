import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerConfigFileForDisplay } from '../../../src/dockerConfig/configFile';

test('the config file named to the user is the one read: DOCKER_CONFIG\'s, else ~/.docker/config.json', () => {
  assert.equal(dockerConfigFileForDisplay({ env: {}, homeDir: '/home/ada' }), '~/.docker/config.json');
  assert.equal(dockerConfigFileForDisplay({ env: { DOCKER_CONFIG: '/tmp/sample-docker-config' }, homeDir: '/home/ada' }), '/tmp/sample-docker-config/config.json');
  assert.equal(dockerConfigFileForDisplay({ env: { DOCKER_CONFIG: '/home/ada/.config/docker' }, homeDir: '/home/ada/' }), '~/.config/docker/config.json');
  assert.equal(dockerConfigFileForDisplay({ env: { DOCKER_CONFIG: '/home/adam/docker' }, homeDir: '/home/ada' }), '/home/adam/docker/config.json');
});
