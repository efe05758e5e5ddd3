import { versionIn } from '../engine/external/engine-version';
import { checkSdkAgainstEngine, SdkNewerThanEngineError } from './sdk-engine-check';

const sdk = (version: string) => ({ sdk: { language: 'rust' as const, version, source: 'w/Cargo.lock' } });
const realEngine = (version?: string) => ({ label: 'external engine `iii`', version });

test.each([
  ['0.26.0-rc.4', '0.23.0'],
  ['0.26.0-rc.4', '0.25.1'],
  ['0.27.1', '0.24.6'],
])('iii-sdk %s against a real engine %s fails, naming both versions', (sdkVersion, engineVersion) => {
  expect(() => checkSdkAgainstEngine('w', sdk(sdkVersion), realEngine(engineVersion))).toThrow(SdkNewerThanEngineError);
  expect(() => checkSdkAgainstEngine('w', sdk(sdkVersion), realEngine(engineVersion))).toThrow(
    `worker w is built on iii-sdk ${sdkVersion} (w/Cargo.lock), newer than the external engine \`iii\` (version ${engineVersion})`,
  );
});

test.each([
  ['0.26.0-rc.4', '0.26.1-rc.1'],
  ['0.26.0', '0.28.0'],
  ['0.25.0', '0.23.0'], // a 0.25 SDK withholds nothing from an older engine
  ['0.11.3', '0.11.6'],
])('iii-sdk %s against a real engine %s passes', (sdkVersion, engineVersion) => {
  expect(checkSdkAgainstEngine('w', sdk(sdkVersion), realEngine(engineVersion))).toBeUndefined();
});

test('an embedded generation is judged by the features it advertises, not its version', () => {
  const generation = (features: string[]) => ({ label: 'embedded engine generation x', version: '9.9.9', features });
  expect(() => checkSdkAgainstEngine('w', sdk('0.26.0'), generation(['observe.v1']))).toThrow(SdkNewerThanEngineError);
  expect(checkSdkAgainstEngine('w', sdk('0.26.0'), generation(['observe.v1', 'observe.v2']))).toBeUndefined();
});

test('an unknown SDK or engine version is a note for the step line, never a failure', () => {
  expect(checkSdkAgainstEngine('w', { sdk: undefined, reason: 'no iii-sdk version found for w' }, realEngine('0.23.0'))).toBe(
    'iii-sdk version unknown (no iii-sdk version found for w): not checked against the engine',
  );
  expect(checkSdkAgainstEngine('w', sdk('0.26.0'), realEngine())).toBe('engine version unknown: iii-sdk 0.26.0 not checked against it');
});

test.each([
  ['iii 0.23.0', '0.23.0'],
  ['iii-engine 0.26.1-rc.1 (abc123)\n', '0.26.1-rc.1'],
  ['iii 0.23.0 (nx-worker-publish embedded engine, generation 0.23)', '0.23.0'],
  ['usage: iii [options]', undefined],
])('versionIn(%j) is %j', (text, version) => {
  expect(versionIn(text)).toBe(version);
});
