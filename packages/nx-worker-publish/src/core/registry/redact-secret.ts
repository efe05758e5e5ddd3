export const REDACTED = '***';

/**
 * Removes every occurrence of the secret (raw and URL-encoded) from text. Applied to everything this module
 * prints or throws, so no code path, including rethrown transport errors, can leak the API key.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text.split(secret).join(REDACTED);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  return out;
}
