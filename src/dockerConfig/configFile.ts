// Where the docker CLI keeps its configuration ($DOCKER_CONFIG, else ~/.docker) and its
// config.json: shared by the engine's context resolution and the registry credentials, each of
// which reads the file and words its own errors (their next steps differ). Pure.

import * as path from 'node:path';

export interface DockerConfigInputs {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** Returns a file's text, or undefined when it does not exist. Other read errors throw. */
  readTextFile(filePath: string): string | undefined;
}

export function dockerConfigDir(inputs: Pick<DockerConfigInputs, 'env' | 'homeDir'>): string {
  const fromEnv = inputs.env.DOCKER_CONFIG?.trim();
  return fromEnv ? fromEnv : path.join(inputs.homeDir, '.docker');
}

export function dockerConfigFilePath(inputs: Pick<DockerConfigInputs, 'env' | 'homeDir'>): string {
  return path.join(dockerConfigDir(inputs), 'config.json');
}

/** The config.json the docker CLI reads, as a user would type it: `~/.docker/config.json`, or DOCKER_CONFIG's. */
export function dockerConfigFileForDisplay(inputs: Pick<DockerConfigInputs, 'env' | 'homeDir'>): string {
  const file = dockerConfigFilePath(inputs);
  const home = inputs.homeDir.replace(/[\\/]+$/, '');
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}
