/**
 * What to do about a read the registry could not answer, from how it failed: a message must say what the registry
 * did and what the user can do. Redirects and inconsistent channels carry their own advice in the reason.
 */
export function unavailableAdvice(reason: string): string {
  if (/answered 5\d\d/.test(reason)) return "The registry failed on its side: run the target again later; if it persists, report it to the registry's operators.";
  if (/answered 40[134]/.test(reason)) return 'Check `apiUrl` (it must be the workers registry\'s base URL) and the worker name.';
  if (/exceeded .* the cap/.test(reason)) return '';
  if (/no answer|ECONN|ENOTFOUND|EAI_AGAIN|deadline|socket|network/i.test(reason)) {
    return 'Check `apiUrl` and the network (a proxy or firewall in the way), raise publishTimeoutSeconds for a slow registry, then run the target again.';
  }
  return '';
}
