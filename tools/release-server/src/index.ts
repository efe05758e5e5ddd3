export * from './release-server';
export * from './faults';
export * from './release-folder';
