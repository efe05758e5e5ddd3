export * from './registry-server';
export * from './registry-state';
export * from './publish-contract';
