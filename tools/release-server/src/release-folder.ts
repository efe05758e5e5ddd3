import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the server looks for an asset of a release: `<root>/<owner>/<repo>/<tag…>/<asset>` (a tag's `/` is a folder). */
export function releaseAssetFile(root: string, release: { owner: string; repo: string; tag: string }, asset: string): string {
  return join(root, release.owner, release.repo, ...release.tag.split('/'), asset);
}

/** Writes (or replaces) one asset of a release into the served folder. */
export function writeReleaseAsset(root: string, release: { owner: string; repo: string; tag: string }, asset: string, body: Buffer | string): string {
  const file = releaseAssetFile(root, release, asset);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
  return file;
}
