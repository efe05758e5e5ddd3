export * from './payload-error';
export * from './publish-payload';
export * from './normalize-dependencies';
export * from './build-publish-payload';
export * from './serialize-payload';
export * from './summarize-payload';
export * from './resolve-payload-config';
export * from './typed-schemas';
