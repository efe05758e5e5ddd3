/** No way to start the worker, or the forced `launch` mode cannot apply. The message says how to fix it. */
export class LaunchPlanError extends Error {
  override readonly name = 'LaunchPlanError';
}
