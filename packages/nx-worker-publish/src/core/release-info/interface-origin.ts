import type { CollectedFrom } from '../interface/collected-from';
import type { DeployKind } from '../manifest/worker-manifest';
import { ReleaseInfoError } from './release-info-error';

/** The launch mode that runs what a release ships, per deploy kind; an image is built elsewhere and has none. */
const RELEASE_LAUNCH: Partial<Record<DeployKind, CollectedFrom['launch']>> = { binary: 'release-binary', bundle: 'release-bundle' };

export interface InterfaceOriginInput {
  deploy?: DeployKind;
  /** The release this publish ships (the `tag` option, or `<worker>/v<version>`). */
  tag: string;
  collectedFrom?: CollectedFrom;
  dryRun: boolean;
  /** The interface file, as messages name it. */
  interfaceLabel: string;
  /** The command that publishes the release's own interface, e.g. `nx run skills:publish-interface --tag=skills/v0.1.5`. */
  releaseCommand: string;
}

/**
 * A binary or bundle publish ships a release's assets, so its interface must be what that release registers (issue
 * 17 §1): a leftover `target/release/<bin>` or a local start script may register something else. A local launch the
 * `launch`/`binaryPath` option chose is published with a warning; any other mismatch fails a publish and is a
 * warning in a dry run (a pull request's dry run collects the build that is not released yet). Returns the warning.
 */
export function checkInterfaceOrigin(input: InterfaceOriginInput): string | undefined {
  const releaseLaunch = input.deploy ? RELEASE_LAUNCH[input.deploy] : undefined;
  const origin = input.collectedFrom;
  if (!releaseLaunch || (origin?.launch === releaseLaunch && origin.release === input.tag)) return undefined;
  if (origin?.forced && origin.launch !== releaseLaunch) {
    return `⚠ the interface in ${input.interfaceLabel} comes from a local ${origin.launch} (chosen by the launch or binaryPath option), not from the release ${input.tag} this publish ships`;
  }
  const ran = !origin
    ? 'does not say what ran to collect it (an older plugin or a person wrote it)'
    : origin.release
      ? `was collected from the release ${origin.release}`
      : `was collected from a local ${origin.launch}`;
  const problem = `${input.interfaceLabel} ${ran}, but this publish ships the release ${input.tag}, whose ${input.deploy} users install`;
  if (input.dryRun) return `⚠ ${problem}: a real publish would refuse it`;
  throw new ReleaseInfoError(`${problem}. ${howToPublishTheRelease(input.releaseCommand, releaseLaunch)}`);
}

function howToPublishTheRelease(releaseCommand: string, releaseLaunch: CollectedFrom['launch']): string {
  return (
    `Publish the interface that release registers: \`${releaseCommand}\` (collection then runs ${releaseLaunch}). ` +
    "To publish a local build's interface on purpose, name its launch mode, e.g. `--launch=build-output`."
  );
}

export interface ReleaseLaunchInput {
  deploy?: DeployKind;
  /** The release the publish that follows this collection ships. */
  publishTag: string;
  /** The collection's own `tag`. */
  collectTag?: string;
  /** The `launch` or `binaryPath` option chose the launch. */
  forced: boolean;
  releaseCommand: string;
}

/**
 * The same rule before collecting, when a publish follows in the same run: a collection without that release's tag
 * would run a local launch (a `cargo run` compile can take minutes) only for the publish to refuse its interface.
 */
export function checkReleaseLaunch(input: ReleaseLaunchInput): void {
  const releaseLaunch = input.deploy ? RELEASE_LAUNCH[input.deploy] : undefined;
  if (!releaseLaunch || input.forced || input.collectTag === input.publishTag) return;
  const given = input.collectTag ? `runs the release ${input.collectTag}` : 'has no release tag, so it would run a local launch';
  throw new ReleaseInfoError(
    `the publish that follows ships the release ${input.publishTag}, but this collection ${given}, whose interface that publish refuses. ` +
      howToPublishTheRelease(input.releaseCommand, releaseLaunch),
  );
}
