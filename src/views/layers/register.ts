// The Layers feature: "Show Layers" (tree, palette, Dockerfile lens), the panels, the
// "Layers of <image>" lens, and the size lenses while layerlens.layers.dockerfileSizes is on.

import * as vscode from 'vscode';
import { type LayerlensContext } from '../../context';
import { DOCKERFILE_SELECTOR } from '../dockerfile/pinning';
import { resolveTargets } from '../images/pick';
import { registerLensWhileEnabled } from '../lensWhileEnabled';
import { registerCommand } from '../registerCommand';
import { DockerfileLayersMatcher, LayersOfLensProvider, LayerSizeLensProvider, SHOW_LAYERS_COMMAND } from './lenses';
import { LayersLoader } from './loader';
import { epochNow } from './panel';
import { LayersPanels } from './panels';
import { isLayersRequest, type LayersRequest } from './request';

export const SIZES_SETTING = 'layerlens.layers.dockerfileSizes';

export function registerLayers(ctx: LayerlensContext): LayersPanels {
  const loader = new LayersLoader(ctx);
  const panels = new LayersPanels(ctx, loader);
  const matcher = new DockerfileLayersMatcher(ctx, loader);
  ctx.subscriptions.push(panels, matcher, vscode.languages.registerCodeLensProvider(DOCKERFILE_SELECTOR, new LayersOfLensProvider(matcher)));

  registerLensWhileEnabled(ctx, SIZES_SETTING, false, DOCKERFILE_SELECTOR, () => new LayerSizeLensProvider(matcher));

  registerCommand(ctx, SHOW_LAYERS_COMMAND, async (node, nodes) => {
    let request: LayersRequest | undefined;
    if (isLayersRequest(node)) {
      request = node;
    } else {
      const [target] = await resolveTargets(ctx.images, node, nodes, { title: 'Show Layers' });
      if (!target) return;
      request = { kind: 'layersRequest', imageId: target.image.id, engineName: target.engineName, displayName: target.displayName };
    }
    // From here: the palette's pick (a person choosing) is not the command's time.
    await panels.show(request, epochNow());
  });
  return panels;
}
