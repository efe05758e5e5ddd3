import { DEFAULT_ENGINE_GENERATION, parseEngineGeneration } from './generation';

describe('parseEngineGeneration', () => {
  test.each([
    ['0.23', '0.23'],
    ['0.13', '0.13'],
    ['0.11', '0.11'],
    ['current', '0.13'],
    ['legacy', '0.11'],
  ])('%s is generation %s', (name, generation) => {
    expect(parseEngineGeneration(name)).toBe(generation);
  });

  test.each(['0.22', '0.12', 'latest', '', 'CURRENT', 'constructor', 'toString'])('%j is not a generation', (name) => {
    expect(parseEngineGeneration(name)).toBeUndefined();
  });

  test('the default is 0.23', () => {
    expect(DEFAULT_ENGINE_GENERATION).toBe('0.23');
  });
});
