// One jest run for the whole repo. execa 9 is ESM-only: TS `module: node16` keeps `await import('execa')`
// as a real dynamic import, and NODE_OPTIONS=--experimental-vm-modules (set by the npm scripts) lets jest load it.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json'}] };
const common = { rootDir: __dirname, transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Two workers on the 2-core machines CI and developers have: most suites wait on child processes, so the whole
  // suite takes ≈ 10 min instead of ≈ 17 min serially (jest's default there is one worker).
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '/node_modules/'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/packages/*/src/**/*.int.spec.ts', '<rootDir>/tools/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.spec.ts'] },
  ],
};
