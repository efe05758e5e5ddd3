export const REDACTED = '***';

/**
 * Every spelling of the secret a server may echo back: raw, JSON-escaped (a key with `"` or `\` inside a JSON error
 * body), URL-encoded (both `%20` and form `+`), and base64 / base64url (with and without padding).
 */
function encodings(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
  // Longest first, so a form that contains another is replaced whole.
  return [...new Set(forms)].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * Removes every occurrence of the secret, in every encoding above, from text. Applied to everything the registry
 * client prints, throws or writes, so no code path, including rethrown transport errors, can leak the API key.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  for (const form of encodings(secret)) out = out.split(form).join(REDACTED);
  return out;
}
