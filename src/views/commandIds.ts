// Every command id the extension registers, in one place: code names a command through this
// table, so a typo is a type error, and test/unit/views/commandIds.test.ts keeps it equal to
// package.json's contributes.commands, so every id here is one VS Code shows.

export const COMMANDS = {
  refreshImages: 'layerlens.images.refresh',
  inspectImage: 'layerlens.image.inspect',
  showLayers: 'layerlens.image.showLayers',
  showContents: 'layerlens.image.showContents',
  clearLayerCache: 'layerlens.layers.clearCache',
  copyImageFullName: 'layerlens.image.copyFullName',
  copyImageId: 'layerlens.image.copyId',
  copyImageDigest: 'layerlens.image.copyDigest',
  removeImages: 'layerlens.image.remove',
  removeDanglingImages: 'layerlens.images.removeDangling',
  openEngineSettings: 'layerlens.engine.openSettings',
  showLog: 'layerlens.engine.showLog',

  pullImage: 'layerlens.image.pull',
  tagImage: 'layerlens.image.tag',
  pushImage: 'layerlens.image.push',
  logIn: 'layerlens.registry.login',
  logOut: 'layerlens.registry.logout',

  addRegistry: 'layerlens.registry.add',
  editRegistry: 'layerlens.registry.edit',
  removeRegistry: 'layerlens.registry.remove',
  addRepository: 'layerlens.registry.addRepository',
  openRepositoryInBrowser: 'layerlens.registryRepository.openInBrowser',
  refreshRegistries: 'layerlens.registries.refresh',
  refreshRegistry: 'layerlens.registry.refresh',
  loadMoreTags: 'layerlens.registries.loadMore',
  filterTags: 'layerlens.registries.filter',
  clearTagFilter: 'layerlens.registries.clearFilter',
  copyTagReference: 'layerlens.registryTag.copyReference',
  copyTagDigest: 'layerlens.registryTag.copyDigest',
  copyPinnedTagReference: 'layerlens.registryTag.copyPinnedReference',
  deleteTag: 'layerlens.registryTag.delete',

  pinImage: 'layerlens.dockerfile.pin',
  unpinImage: 'layerlens.dockerfile.unpin',
  retryPinStatus: 'layerlens.dockerfile.retry',
  pinAll: 'layerlens.dockerfile.pinAll',
  updateAllPins: 'layerlens.dockerfile.updateAll',
  unpinAll: 'layerlens.dockerfile.unpinAll',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
