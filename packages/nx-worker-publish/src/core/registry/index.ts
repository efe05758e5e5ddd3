export * from './redact-secret';
export * from './registry-error';
export * from './resolve-api-key';
export * from './publish-to-registry';
