import { parse } from 'yaml';
import { renderEngineConfig } from './engine-config';

test('binds only the worker manager, to the given host and port: no iii-sandbox entry, which a 0.26 engine refuses', () => {
  expect(parse(renderEngineConfig({ host: '127.0.0.1', port: 40123 }))).toEqual({
    workers: [{ name: 'iii-worker-manager', config: { host: '127.0.0.1', port: 40123 } }],
  });
});
