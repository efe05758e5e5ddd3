import { redactSecret } from './redact-secret';

describe('redactSecret', () => {
  it('replaces every occurrence of the secret', () => {
    expect(redactSecret('key=s3cr3t-KEY; again s3cr3t-KEY.', 's3cr3t-KEY')).toBe('key=***; again ***.');
  });

  it('also replaces the URL-encoded forms (percent and form-encoded spaces)', () => {
    expect(redactSecret('GET /x?k=a%2Fb%3Dc and a/b=c', 'a/b=c')).toBe('GET /x?k=*** and ***');
    expect(redactSecret('k=a+b%22c', 'a b"c')).toBe('k=***');
  });

  it('replaces the JSON-escaped form a 401/422 body echoes for a key with " or \\', () => {
    const key = 'k"ey\\with-quote';
    const body = JSON.stringify({ error: `invalid key ${key}` });
    expect(body).not.toContain(key); // the raw form is not in the body: only its escaped spelling is
    expect(redactSecret(body, key)).toBe('{"error":"invalid key ***"}');
  });

  it('replaces the base64 and base64url forms', () => {
    const key = 'sk-live?>>~~';
    const b64 = Buffer.from(key).toString('base64');
    const b64url = Buffer.from(key).toString('base64url');
    expect(b64).not.toBe(b64url);
    expect(redactSecret(`token ${b64} / ${b64url} / ${b64.replace(/=+$/, '')}`, key)).toBe('token *** / *** / ***');
  });

  it('leaves text alone when there is no secret or no occurrence', () => {
    expect(redactSecret('nothing here', '')).toBe('nothing here');
    expect(redactSecret('nothing here', undefined)).toBe('nothing here');
    expect(redactSecret('nothing here', 'other')).toBe('nothing here');
  });
});
