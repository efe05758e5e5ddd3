import { DEFAULT_ENGINE_GENERATION, NEWEST_ENGINE_GENERATION, parseEngineGeneration } from './generation';
import { generationForSdk } from './generation-for-sdk';

describe('parseEngineGeneration', () => {
  test.each([
    ['0.26', '0.26'],
    ['0.25', '0.25'],
    ['0.23', '0.23'],
    ['0.13', '0.13'],
    ['0.11', '0.11'],
    ['current', '0.13'],
    ['legacy', '0.11'],
  ])('%s is generation %s', (name, generation) => {
    expect(parseEngineGeneration(name)).toBe(generation);
  });

  test.each(['0.22', '0.24', '0.12', 'latest', 'auto', '', 'CURRENT', 'constructor', 'toString'])('%j is not a generation', (name) => {
    expect(parseEngineGeneration(name)).toBeUndefined();
  });

  test('the standalone engine defaults to 0.23; auto falls back to the newest, 0.26', () => {
    expect(DEFAULT_ENGINE_GENERATION).toBe('0.23');
    expect(NEWEST_ENGINE_GENERATION).toBe('0.26');
  });
});

describe('generationForSdk (engineGeneration: auto)', () => {
  const sdk = (version: string) => ({ sdk: { language: 'rust' as const, version, source: 'w/Cargo.lock' } });
  test.each([
    ['0.26.0-rc.4', '0.26'],
    ['0.27.1', '0.26'],
    ['1.0.0', '0.26'],
    ['0.25.0', '0.25'],
    ['0.24.6', '0.23'],
    ['0.23.0-rc.4', '0.23'],
    ['0.22.1', '0.13'],
    ['0.13.0', '0.13'],
    ['0.12.4', '0.11'],
    ['0.11.3', '0.11'],
  ])('iii-sdk %s is served by generation %s', (version, generation) => {
    expect(generationForSdk(sdk(version))).toEqual({ generation, why: `iii-sdk ${version} in w/Cargo.lock` });
  });

  test('an unreadable SDK version falls back to the newest generation and says why', () => {
    expect(generationForSdk({ sdk: undefined, reason: 'no iii-sdk version found for w' })).toEqual({
      generation: '0.26',
      why: 'no iii-sdk version found for w; using the newest generation',
    });
  });
});
