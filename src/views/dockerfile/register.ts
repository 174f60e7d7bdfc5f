// The Dockerfile side: lenses (registered only while layerlens.dockerfile.codeLens is on),
// hover, moved-tag warnings and the pin commands.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { type RegistriesProvider } from '../registries/provider';
import { RegistryCredentialStore } from '../../registry/credentialStore';
import { registerLensWhileEnabled } from '../lensWhileEnabled';
import { registerDockerfileCommands } from './commands';
import { MovedTagDiagnostics, MovedTagQuickFix } from './diagnostics';
import { DockerfileHoverProvider } from './hover';
import { DockerfileLensProvider } from './lenses';
import { DOCKERFILE_SELECTOR, DockerfilePinning } from './pinning';

const LENS_SETTING = 'layerlens.dockerfile.codeLens';

export function registerDockerfileSupport(ctx: LayerlensContext, registries: RegistriesProvider): DockerfilePinning {
  const pinning = new DockerfilePinning(ctx, registries, new RegistryCredentialStore(ctx.extension.secrets));
  ctx.subscriptions.push(
    pinning,
    new MovedTagDiagnostics(pinning),
    vscode.languages.registerHoverProvider(DOCKERFILE_SELECTOR, new DockerfileHoverProvider(pinning)),
    vscode.languages.registerCodeActionsProvider(DOCKERFILE_SELECTOR, new MovedTagQuickFix(pinning), { providedCodeActionKinds: MovedTagQuickFix.kinds }),
  );

  registerLensWhileEnabled(ctx, LENS_SETTING, true, DOCKERFILE_SELECTOR, () => new DockerfileLensProvider(pinning));
  registerDockerfileCommands(ctx, pinning);
  return pinning;
}
