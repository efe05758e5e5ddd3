export * from './registry-server';
export * from './publish-contract';
