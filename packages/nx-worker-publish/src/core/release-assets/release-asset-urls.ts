import { ReleaseAssetError } from './release-asset-error';
import { isWindowsTarget } from './release-targets';

export interface ReleaseAssetRef {
  /** e.g. `https://github.com/iii-hq/workers/releases/download` */
  releaseBaseUrl: string;
  /** e.g. `skills/v0.1.4`; its `/` stays a path separator. */
  tag: string;
  bin: string;
  target: string;
}

export interface ReleaseAssetUrls {
  archiveName: string;
  archiveFormat: 'tar.gz' | 'zip';
  /** `{releaseBaseUrl}/{tag}/{bin}-{target}.tar.gz` (`.zip` for Windows targets) */
  archiveUrl: string;
  /** `{releaseBaseUrl}/{tag}/{bin}-{target}.sha256` (no archive extension, spec §3 / #42) */
  checksumUrl: string;
}

// Names are put into URLs verbatim (as the release tooling does), so refuse anything that would need escaping.
const SEGMENT = /^[A-Za-z0-9_+@~-][A-Za-z0-9._+@~-]*$/;

export function releaseAssetUrls(ref: ReleaseAssetRef): ReleaseAssetUrls {
  const base = ref.releaseBaseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(base)) {
    throw invalid(`releaseBaseUrl "${ref.releaseBaseUrl}" must be an http(s) URL, e.g. https://github.com/<owner>/<repo>/releases/download`);
  }
  if (!ref.tag || !ref.tag.split('/').every((part) => SEGMENT.test(part))) {
    throw invalid(`release tag "${ref.tag}" must be path segments of letters, digits and . _ + @ ~ - joined by "/" (e.g. skills/v0.1.4)`);
  }
  if (!SEGMENT.test(ref.bin)) throw invalid(`binary name "${ref.bin}" must be a plain file name (letters, digits, . _ + -)`);
  if (!SEGMENT.test(ref.target)) throw invalid(`target "${ref.target}" must be a Rust target triple such as x86_64-unknown-linux-gnu`);

  const archiveFormat = isWindowsTarget(ref.target) ? 'zip' : 'tar.gz';
  const stem = `${ref.bin}-${ref.target}`;
  const archiveName = `${stem}.${archiveFormat}`;
  return {
    archiveName,
    archiveFormat,
    archiveUrl: `${base}/${ref.tag}/${archiveName}`,
    checksumUrl: `${base}/${ref.tag}/${stem}.sha256`,
  };
}

const invalid = (message: string) => new ReleaseAssetError(`Cannot build a release asset URL: ${message}.`, 'invalid-input');
