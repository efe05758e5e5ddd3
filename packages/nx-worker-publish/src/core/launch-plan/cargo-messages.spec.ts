import { crateOfPackageId, readCargoLog } from './cargo-messages';

const artifact = (packageId: string, name: string, kind: string, executable: string | null = null) =>
  JSON.stringify({ reason: 'compiler-artifact', package_id: packageId, target: { name, kind: [kind] }, executable });

describe('crateOfPackageId', () => {
  it('reads the crate name from every package id form cargo has used', () => {
    expect(crateOfPackageId('registry+https://github.com/rust-lang/crates.io-index#tokio@1.48.0')).toBe('tokio');
    expect(crateOfPackageId('path+file:///work/workers/skills#0.1.4')).toBe('skills');
    expect(crateOfPackageId('path+file:///work/workers/x#skills@0.1.4')).toBe('skills');
    expect(crateOfPackageId('skills 0.1.4 (path+file:///work/workers/skills)')).toBe('skills');
  });
});

describe('readCargoLog', () => {
  it('counts artifacts and finds the executable of the wanted bin among status lines', () => {
    const log = [
      '   Compiling serde v1.0.228',
      artifact('registry+https://github.com/rust-lang/crates.io-index#serde@1.0.228', 'serde', 'lib'),
      artifact('path+file:///w/skills#0.1.4', 'skills-helper', 'bin', '/t/debug/skills-helper'),
      artifact('path+file:///w/skills#0.1.4', 'skills', 'bin', '/t/debug/skills'),
      JSON.stringify({ reason: 'build-finished', success: true }),
      '    Finished `dev` profile [unoptimized] target(s) in 1.2s',
    ].join('\n');
    expect(readCargoLog(log, 'skills')).toEqual({ artifacts: 3, lastCrate: 'skills', executable: '/t/debug/skills', success: true });
  });

  it('keeps the first compiler error with its crate, not the later ones', () => {
    const error = (crate: string, rendered: string) =>
      JSON.stringify({ reason: 'compiler-message', package_id: `path+file:///w/${crate}#0.1.0`, message: { level: 'error', rendered } });
    const warning = JSON.stringify({ reason: 'compiler-message', package_id: 'path+file:///w/a#0.1.0', message: { level: 'warning', rendered: 'warning: unused' } });
    const log = [warning, error('skills', 'error[E0308]: mismatched types\n --> src/main.rs:2:21\n'), error('skills', 'error: aborting')].join('\n');
    expect(readCargoLog(log, 'skills').firstError).toEqual({ crate: 'skills', text: 'error[E0308]: mismatched types\n --> src/main.rs:2:21' });
  });

  it("takes cargo's own error block when no compiler spoke (a lockfile --locked may not update)", () => {
    const log = [
      '    Updating crates.io index',
      'error: the lock file /w/Cargo.lock needs to be updated but --locked was passed to prevent this',
      'If you want to try to generate the lock file without accessing the network, remove the --locked flag and use --offline instead.',
      '',
      'error: something later',
    ].join('\n');
    expect(readCargoLog(log, 'skills').firstError).toEqual({
      crate: undefined,
      text:
        'error: the lock file /w/Cargo.lock needs to be updated but --locked was passed to prevent this\n' +
        'If you want to try to generate the lock file without accessing the network, remove the --locked flag and use --offline instead.',
    });
  });

  it("names the crate from cargo's \"could not compile\" line when the error came without one", () => {
    const log = ['error: linking with `cc` failed: exit status: 1', '  |', '  = note: ld: cannot find -lssl', '', 'error: could not compile `skills` (bin "skills") due to 1 previous error'].join('\n');
    expect(readCargoLog(log, 'skills').firstError?.crate).toBe('skills');
  });
});
