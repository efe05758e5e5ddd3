export * from './launch-plan';
export * from './launch-plan-error';
export * from './resolve-launch-plan';
export { inferStartCommand, type StartCommand } from './start-command';
export { renderLaunchCommand, renderLaunchArgs, type RenderedLaunchCommand } from './render-launch-command';
