export * from './release-asset-error';
export * from './release-targets';
export * from './release-asset-urls';
export type { DownloadRetryOptions } from './retry';
export { defaultReleaseCacheDir } from './release-cache';
export * from './download-release-binary';
export * from './resolve-binaries-map';
export * from './release-bundle';
export { sharedConnections } from './http-get';
