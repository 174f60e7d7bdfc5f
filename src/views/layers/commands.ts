// "Show Layers": from a tree node or the selection, from the "Layers of <image>" lens (its
// argument is a LayersRequest), or from the palette with a pick.

import { formatBytes } from '../../util/format';
import { announceSuccess } from '../announce';
import { type CommandContext } from '../commandContext';
import { COMMANDS } from '../commandIds';
import { resolveTargets } from '../images/pick';
import { type CommandTable } from '../registerCommand';
import { epochNow } from './panel';
import { isLayersRequest, type LayersRequest } from './request';

async function layersRequestFor(ctx: CommandContext, title: string, node?: unknown, nodes?: unknown): Promise<LayersRequest | undefined> {
  if (isLayersRequest(node)) return node;
  const [target] = await resolveTargets(ctx.images, node, nodes, { title });
  return target ? { kind: 'layersRequest', imageId: target.image.id, engineName: target.engineName, displayName: target.displayName } : undefined;
}

async function showLayers(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  const request = await layersRequestFor(ctx, 'Show Layers', node, nodes);
  // From here: the palette's pick (a person choosing) is not the command's time.
  if (request) await ctx.layers.show(request, epochNow());
}

/** The Layers panel on its Files view: what each layer holds (read from the archive unless cached). */
async function showContents(ctx: CommandContext, node?: unknown, nodes?: unknown): Promise<void> {
  const request = await layersRequestFor(ctx, 'Show Layer Contents', node, nodes);
  if (request) await ctx.layers.show({ ...request, view: request.view ?? 'files' }, epochNow());
}

/** Forgets every layer's entry list; the next look at an image's contents reads its archive again. */
async function clearLayerCache(ctx: CommandContext): Promise<void> {
  const cleared = await ctx.layerCache.clear();
  announceSuccess(`Cleared the layer contents cache: ${cleared.files} layer ${cleared.files === 1 ? 'index' : 'indexes'}, ${formatBytes(cleared.bytes)}`);
}

export const LAYERS_COMMANDS = {
  [COMMANDS.showLayers]: showLayers,
  [COMMANDS.showContents]: showContents,
  [COMMANDS.clearLayerCache]: clearLayerCache,
} satisfies CommandTable<CommandContext>;
