// What a command handler is given: the shared context and the parts activate() builds after it,
// so a handler reaches the registries, the pins and the Layers panels without a closure.

import { type LayerlensContext } from '../context';
import { type DockerfilePinning } from './dockerfile/pinning';
import { type LayersPanels } from './layers/panels';
import { type RegistriesProvider } from './registries/provider';
import { type LocalImagesProvider } from './images/provider';

export interface CommandContext extends LayerlensContext {
  readonly imagesTree: LocalImagesProvider;
  readonly registries: RegistriesProvider;
  readonly pinning: DockerfilePinning;
  readonly layers: LayersPanels;
}
