/**
 * Variables of the host (a CI runner, a developer's shell) that change what the executors do. Each test starts
 * without them and sets only what it means to test.
 */
const HOST_VARIABLES = [
  'GITHUB_ACTIONS',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_SERVER_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_TOKEN',
  'NX_DRY_RUN',
  'WORKERS_REGISTRY_API_KEY',
  'III_URL',
  'III_ENGINE_URL',
  'III_WORKER_NAME',
];

/** Clears the host variables and returns a function that puts the whole environment back as it was. */
export function isolateEnv(): () => void {
  const saved = { ...process.env };
  for (const name of HOST_VARIABLES) delete process.env[name];
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}
