import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkerManifest } from './read-worker-manifest';
import { unknownKeyWarnings, versionMismatchWarning } from './manifest-warnings';
import { removeTemps, tempDir } from '../../test-support/temp-dirs';

afterAll(removeTemps);

function worker(files: Record<string, string>) {
  const dir = tempDir('manifest-warnings');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return readWorkerManifest(dir);
}

describe('unknownKeyWarnings (issue 19 #10)', () => {
  it('names each unknown key, the file and the closest known key, nested keys included', () => {
    const manifest = worker({
      'iii.worker.yaml': 'deploy: binary\ndeplyo: image\nscritps:\n  start: x\nscripts:\n  strat: node .\nruntime:\n  langauge: node\nresources:\n  cpu: "0.5"\n',
    });
    expect(unknownKeyWarnings(manifest)).toEqual([
      `⚠ ${manifest.file}: unknown key "deplyo" is ignored (did you mean \`deploy\`?)`,
      `⚠ ${manifest.file}: unknown key "scritps" is ignored (did you mean \`scripts\`?)`,
      `⚠ ${manifest.file}: unknown key "runtime.langauge" is ignored (did you mean \`runtime.language\`?)`,
      `⚠ ${manifest.file}: unknown key "scripts.strat" is ignored (did you mean \`scripts.start\`?)`,
      `⚠ ${manifest.file}: unknown key "resources.cpu" is ignored (did you mean \`resources.cpus\`?)`,
    ]);
  });

  it('says nothing about the keys the real manifests use', () => {
    const manifest = worker({
      'iii.worker.yaml':
        'iii: v1\nname: a\nlanguage: rust\ndeploy: binary\nmanifest: Cargo.toml\nbin: a\nversion: 1.0.0\ndescription: d\nlicense: MIT\ntags: [x]\n' +
        'experimental: false\nconfig: {a: 1}\ndependencies: {b: ^1}\nruntime: {kind: rust, language: rust, entry: x, package_manager: npm, base_image: y}\n' +
        'scripts: {start: a, install: b, setup: c}\nenv: {A: b}\nresources: {memory: 1, cpus: 1}\ntargets: [x]\ninterface_smoke: false\n',
    });
    expect(unknownKeyWarnings(manifest)).toEqual([]);
  });

  it('quotes a key so a control character cannot reach the terminal', () => {
    const manifest = worker({ 'iii.worker.yaml': 'deploy: image\n"de\\u001b[2Jploy": x\n' });
    expect(unknownKeyWarnings(manifest)[0]).toContain('"de\\u001b[2Jploy"');
  });
});

describe('versionMismatchWarning (issue 19 #11)', () => {
  it('warns when iii.worker.yaml states another version than the language manifest', () => {
    const manifest = worker({ 'iii.worker.yaml': 'deploy: image\nmanifest: package.json\nversion: 0.1.0\n', 'package.json': '{"version":"0.2.0"}' });
    expect(versionMismatchWarning(manifest)).toBe(
      `⚠ ${manifest.file}: \`version: "0.1.0"\` is not used; the version published is 0.2.0, from package.json. Remove \`version\` or make it match.`,
    );
  });

  it('is silent when they agree, or when there is no language manifest', () => {
    expect(versionMismatchWarning(worker({ 'iii.worker.yaml': 'deploy: image\nmanifest: package.json\nversion: 0.2.0\n', 'package.json': '{"version":"0.2.0"}' }))).toBeUndefined();
    expect(versionMismatchWarning(worker({ 'iii.worker.yaml': 'deploy: image\nversion: 0.2.0\n' }))).toBeUndefined();
  });
});
