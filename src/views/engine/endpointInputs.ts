import * as os from 'node:os';
import * as vscode from 'vscode';
import { type EndpointInputs } from '../../engine/connection';
import { readTextFileIfExists } from '../../util/files';

export const DOCKER_HOST_SETTING = 'layerlens.dockerHost';

export function readEndpointInputs(): EndpointInputs {
  return {
    setting: vscode.workspace.getConfiguration('layerlens').get<string>('dockerHost', ''),
    env: process.env,
    homeDir: os.homedir(),
    platform: process.platform,
    readTextFile: readTextFileIfExists,
  };
}
