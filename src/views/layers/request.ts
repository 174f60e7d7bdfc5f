// What "Show Layers" is asked to show: an image, and the Dockerfile when the caller knows it
// (the lens at the top of a Dockerfile). A plain object, so a lens can pass it as an argument.

import { PANEL_VIEWS, type PanelView } from './contentsProtocol';

export interface LayersRequest {
  kind: 'layersRequest';
  /** `sha256:...`: one panel per image. */
  imageId: string;
  /** The name to use with the engine (a tag, a digest reference or the ID). */
  engineName: string;
  displayName: string;
  /** The Dockerfile's URI (string form), when known. */
  dockerfile?: string;
  /** A 0-based Dockerfile line whose rows to highlight once shown. */
  line?: number;
  /** The view to show: Files and Waste read the layer contents. */
  view?: PanelView;
}

export function isLayersRequest(value: unknown): value is LayersRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Partial<Record<keyof LayersRequest, unknown>>;
  return (
    request.kind === 'layersRequest' &&
    typeof request.imageId === 'string' &&
    typeof request.engineName === 'string' &&
    typeof request.displayName === 'string' &&
    (request.dockerfile === undefined || typeof request.dockerfile === 'string') &&
    (request.line === undefined || (typeof request.line === 'number' && Number.isSafeInteger(request.line) && request.line >= 0)) &&
    (request.view === undefined || PANEL_VIEWS.includes(request.view as PanelView))
  );
}
