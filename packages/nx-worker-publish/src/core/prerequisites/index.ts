export * from './prerequisite-error';
export * from './publish-prerequisites';
