export * from './schema-changes';
export * from './diff-interfaces';
export * from './version-bump';
export * from './breaking-gate';
export * from './interface-diff-report';
export * from './plain-text';
export * from './read-registry-reference';
