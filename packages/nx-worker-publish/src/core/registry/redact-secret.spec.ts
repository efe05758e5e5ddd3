import { redactSecret } from './redact-secret';

describe('redactSecret', () => {
  it('replaces every occurrence of the secret', () => {
    expect(redactSecret('key=s3cr3t-KEY; again s3cr3t-KEY.', 's3cr3t-KEY')).toBe('key=***; again ***.');
  });

  it('also replaces the URL-encoded form', () => {
    expect(redactSecret('GET /x?k=a%2Fb%3Dc and a/b=c', 'a/b=c')).toBe('GET /x?k=*** and ***');
  });

  it('leaves text alone when there is no secret or no occurrence', () => {
    expect(redactSecret('nothing here', '')).toBe('nothing here');
    expect(redactSecret('nothing here', undefined)).toBe('nothing here');
    expect(redactSecret('nothing here', 'other')).toBe('nothing here');
  });
});
