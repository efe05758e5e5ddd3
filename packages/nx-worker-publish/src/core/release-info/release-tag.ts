import { ReleaseInfoError } from './release-info-error';

/** What a release tag `<worker>/v<version>` says (spec publish-pipeline §1.1). */
export interface ReleaseTag {
  tag: string;
  worker: string;
  /** Verbatim from the tag; never checked against the language manifest, as in the workflow. */
  version: string;
  isPrerelease: boolean;
  isDryRun: boolean;
}

const TAG_SHAPE = /^([a-z0-9][a-z0-9_-]*)\/v(.+)$/;
const DRY_RUN_SUFFIX = /-dry-run\.\d+$/;
// Only `-word.N`: `-rc1`, `-alpha` and `-beta.x.1` stay stable, exactly as the workflow's regex decides.
const PRERELEASE_SUFFIX = /-[a-z]+\.\d+$/;

export function parseReleaseTag(rawTag: string): ReleaseTag {
  const tag = rawTag.trim();
  const match = TAG_SHAPE.exec(tag);
  if (!match) {
    throw new ReleaseInfoError(
      `Invalid tag shape ${JSON.stringify(rawTag)}: a release tag is <worker>/v<version>, e.g. skills/v0.1.4, ` +
        'where <worker> is the worker folder name (lowercase letters, digits, "-" and "_", starting with a letter ' +
        'or digit). Pass a tag of that shape with the `tag` option.',
    );
  }
  const [, worker, version] = match;
  const isDryRun = DRY_RUN_SUFFIX.test(version);
  return { tag, worker, version, isDryRun, isPrerelease: isDryRun || PRERELEASE_SUFFIX.test(version) };
}

/** The tag a version is released under when none is given. */
export function defaultTag(worker: string, version: string): string {
  return `${worker}/v${version}`;
}
