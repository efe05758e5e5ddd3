export * from './fixture-catalog';
export * from './lay-fixture-worker';
export * from './archives';
export * from './release-assets';
export * from './fixture-markers';
export * from './process-scan';
