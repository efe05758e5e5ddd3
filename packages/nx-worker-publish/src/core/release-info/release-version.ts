import { ReleaseInfoError } from './release-info-error';
import { parseReleaseTag } from './release-tag';

export interface ReleaseVersionInput {
  /** The `version` option, when given: it wins, with a warning when it disagrees. */
  option?: string;
  /** The version a `<worker>/v<version>` tag names, when the tag is one. */
  fromTag?: string;
  tag?: string;
  /** Reads the language manifest's version (lazily: an image worker may have none, and `--version` needs none). */
  fromManifest: () => string;
  manifestLabel: string;
}

/**
 * The version to publish. A release tag must name the version the language manifest holds (spec
 * publish-pipeline-later §5.3): publishing the 1.5.0 release's assets as the manifest's 1.4.0, or the other way
 * round, is caught before anything runs. The `version` option overrides both, with a warning.
 */
export function resolveReleaseVersion(input: ReleaseVersionInput): { version: string; warnings: string[] } {
  if (input.option) {
    const warnings: string[] = [];
    if (input.fromTag && input.fromTag !== input.option) {
      warnings.push(`⚠ the version option ${input.option} overrides the version ${input.fromTag} of tag ${input.tag}`);
    }
    const manifestVersion = readQuietly(input.fromManifest);
    if (manifestVersion && manifestVersion !== input.option) {
      warnings.push(`⚠ the version option ${input.option} overrides the version ${manifestVersion} of ${input.manifestLabel}`);
    }
    return { version: input.option, warnings };
  }
  const manifestVersion = input.fromManifest();
  if (input.fromTag && input.fromTag !== manifestVersion) {
    throw new ReleaseInfoError(
      `tag version ${input.fromTag} does not match ${input.manifestLabel} (${manifestVersion}): tag ${input.tag} names another release than the ` +
        'worker\'s manifest. Bump the manifest to the tag\'s version (or tag the manifest\'s version), or pass --version to publish a version explicitly.',
    );
  }
  return { version: input.fromTag ?? manifestVersion, warnings: [] };
}

/** With `--version` given, an unreadable manifest version is no error: there is simply nothing to compare. */
function readQuietly(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The same check for collection, as a warning: collection has no side effect, and publish-interface refuses the
 * mismatch before it writes anything. Undefined when there is nothing to say (no tag of this worker, an explicit
 * `version` option, a manifest without a readable version, or a match).
 */
export function releaseTagVersionWarning(input: { tag?: string; worker: string; version?: string; readManifestVersion: () => string; manifestLabel: string }): string | undefined {
  if (!input.tag || input.version) return undefined;
  let fromTag: string | undefined;
  try {
    const parsed = parseReleaseTag(input.tag);
    fromTag = parsed.worker === input.worker ? parsed.version : undefined;
  } catch {
    return undefined;
  }
  const manifestVersion = readQuietly(input.readManifestVersion);
  if (!fromTag || !manifestVersion || fromTag === manifestVersion) return undefined;
  return `⚠ tag version ${fromTag} does not match ${input.manifestLabel} (${manifestVersion}): publish-interface will refuse to publish this release until they agree (or --version is given)`;
}
