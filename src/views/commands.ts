// Every command's handler, by id. Typed as a full Record, so an id in COMMANDS without a
// handler does not compile; activate() registers them all at once.

import { type CommandContext } from './commandContext';
import { type CommandId } from './commandIds';
import { DOCKERFILE_COMMANDS } from './dockerfile/commands';
import { IMAGE_COMMANDS } from './images/commands';
import { LAYERS_COMMANDS } from './layers/commands';
import { REGISTRY_COMMANDS } from './registries/commands';
import { REGISTRY_TAG_COMMANDS } from './registries/tagCommands';
import { type CommandHandler } from './registerCommand';
import { TRANSFER_COMMANDS } from './transfer/commands';

export const COMMAND_HANDLERS: Record<CommandId, CommandHandler<CommandContext>> = {
  ...IMAGE_COMMANDS,
  ...TRANSFER_COMMANDS,
  ...REGISTRY_COMMANDS,
  ...REGISTRY_TAG_COMMANDS,
  ...DOCKERFILE_COMMANDS,
  ...LAYERS_COMMANDS,
};
