export * from './core/interface/worker-interface';
