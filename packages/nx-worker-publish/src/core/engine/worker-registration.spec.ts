import { sanitizeWorkerText } from './worker-registration';

describe('sanitizeWorkerText', () => {
  test('strips control, bidi and separator characters, then trims', () => {
    expect(sanitizeWorkerText('\u0007my\u202E-\u2066worker\u2028 \n')).toBe('my-worker');
  });

  test('keeps at most 280 characters and drops empty results', () => {
    expect(sanitizeWorkerText('x'.repeat(300))).toHaveLength(280);
    expect(sanitizeWorkerText(' \u0000 ')).toBeUndefined();
  });
});
