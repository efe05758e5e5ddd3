export * from './release-info-error';
export * from './release-tag';
export * from './read-registry-tag';
export * from './repo-url';
export * from './release-version';
export * from './interface-origin';
