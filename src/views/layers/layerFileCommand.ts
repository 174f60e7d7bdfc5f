// The command that opens a layer's file read-only (layerFileDocuments.ts registers it); the
// panel runs it with the path and layer its own table names.
export const LAYER_FILE_COMMAND = 'layerlens.layers.openFile';
