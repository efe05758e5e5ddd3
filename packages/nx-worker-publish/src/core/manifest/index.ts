export * from './manifest-error';
export * from './worker-manifest';
export * from './read-worker-manifest';
export * from './read-worker-version';
export * from './read-worker-files';
export * from './manifest-warnings';
