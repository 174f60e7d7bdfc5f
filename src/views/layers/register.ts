// The Layers feature: the panels, the "Layers of <image>" lens, and the size lenses while
// layerlens.layers.dockerfileSizes is on. "Show Layers" itself is in ./commands.ts.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { DOCKERFILE_SELECTOR } from '../dockerfile/pinning';
import { registerLensWhileEnabled } from '../lensWhileEnabled';
import { DockerfileLayersMatcher, LayersOfLensProvider, LayerSizeLensProvider } from './lenses';
import { LayersLoader } from './loader';
import { LayersPanels } from './panels';
import { ImageContentsStore } from './contentsStore';

export const SIZES_SETTING = 'layerlens.layers.dockerfileSizes';

export function registerLayers(ctx: LayerlensContext): LayersPanels {
  const loader = new LayersLoader(ctx);
  const contents = new ImageContentsStore(ctx);
  const panels = new LayersPanels(ctx, loader, contents);
  const matcher = new DockerfileLayersMatcher(ctx, loader);
  ctx.subscriptions.push(contents, panels, matcher, vscode.languages.registerCodeLensProvider(DOCKERFILE_SELECTOR, new LayersOfLensProvider(matcher)));

  registerLensWhileEnabled(ctx, SIZES_SETTING, false, DOCKERFILE_SELECTOR, () => new LayerSizeLensProvider(matcher));
  return panels;
}
