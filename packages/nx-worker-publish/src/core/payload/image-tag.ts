import { PayloadError } from './payload-error';

export interface ImageTagRequest {
  /** The `imageTag` option, possibly with `{version}` in it. */
  template: string;
  /** The version being published. */
  version: string;
  /** With `requireImageDigest`, a tag naming another version fails instead of warning. */
  requireImageDigest: boolean;
  /** A dry run only warns about placeholders; a publish fails on them. */
  dryRun: boolean;
}

/** Placeholders that scaffolding leaves for the user to replace (the worker generator's `your-org`, `<owner>`). */
const PLACEHOLDER = /your-org|your-repo|<[^>]*>/;

/** The tag part of an image reference: after the last `:` that follows the last `/` (a registry port is not a tag). */
function tagOf(reference: string): string | undefined {
  const name = reference.split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : name.slice(colon + 1);
}

const VERSION_LIKE = /^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/;

/**
 * The image reference to publish: `{version}` replaced by the version, then checked. A tag that names another
 * version than the one published (a bump to 0.2.0 still publishing `:0.1.0`) warns, or fails with
 * `requireImageDigest`; a placeholder fails a publish and warns in a dry run.
 */
export function resolveImageTag(request: ImageTagRequest): { imageTag: string; warnings: string[] } {
  const imageTag = request.template.replaceAll('{version}', request.version);
  const warnings: string[] = [];
  if (PLACEHOLDER.test(imageTag)) {
    const message = `imageTag "${imageTag}" still holds a placeholder (${PLACEHOLDER.exec(imageTag)![0]}): set it to the worker's image, e.g. ghcr.io/<owner>/<worker>:{version}, in project.json.`;
    if (!request.dryRun) throw new PayloadError(message);
    warnings.push(`⚠ ${message}`);
  }
  const tagVersion = VERSION_LIKE.exec(tagOf(imageTag) ?? '')?.[1];
  if (tagVersion !== undefined && tagVersion !== request.version) {
    const message =
      `imageTag "${imageTag}" names version ${tagVersion}, but version ${request.version} is being published. ` +
      'Write the tag as `…:{version}` so that it follows the version, or pin the image by digest.';
    if (request.requireImageDigest) throw new PayloadError(message);
    warnings.push(`⚠ ${message}`);
  }
  return { imageTag, warnings };
}
