/** The 9 targets every `deploy: binary` release builds (spec publish-pipeline §3, RBA `DEFAULT_TARGETS`). */
export const DEFAULT_RELEASE_TARGETS = [
  'x86_64-apple-darwin',
  'aarch64-apple-darwin',
  'x86_64-pc-windows-msvc',
  'i686-pc-windows-msvc',
  'aarch64-pc-windows-msvc',
  'x86_64-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu',
  'armv7-unknown-linux-gnueabihf',
  'x86_64-unknown-linux-musl',
] as const;

export const FALLBACK_HOST_TARGET = 'x86_64-unknown-linux-gnu';

/** Windows targets ship `.zip` archives, every other target `.tar.gz`. */
export const isWindowsTarget = (target: string): boolean => target.includes('-windows-');

/**
 * The release target matching this machine, so the downloaded binary can run here. Unknown hosts get
 * the linux-gnu x64 build (what CI runners use). `isMusl` is only consulted on linux x64.
 */
export function hostReleaseTarget(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  isMusl: () => boolean = hostIsMusl,
): string {
  if (platform === 'linux') {
    if (arch === 'x64') return isMusl() ? 'x86_64-unknown-linux-musl' : 'x86_64-unknown-linux-gnu';
    if (arch === 'arm64') return 'aarch64-unknown-linux-gnu';
    if (arch === 'arm') return 'armv7-unknown-linux-gnueabihf';
  }
  if (platform === 'darwin') {
    if (arch === 'arm64') return 'aarch64-apple-darwin';
    if (arch === 'x64') return 'x86_64-apple-darwin';
  }
  if (platform === 'win32') {
    if (arch === 'x64') return 'x86_64-pc-windows-msvc';
    if (arch === 'arm64') return 'aarch64-pc-windows-msvc';
    if (arch === 'ia32') return 'i686-pc-windows-msvc';
  }
  return FALLBACK_HOST_TARGET;
}

/** glibc-based Node reports its glibc version; musl builds (Alpine) do not. */
function hostIsMusl(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return !report?.header?.glibcVersionRuntime;
}
