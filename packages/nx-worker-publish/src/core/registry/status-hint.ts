/** What the user can do about a refused write, by status: one sentence appended to the registry's own answer. */
export function statusHint(status: number, apiKeyEnv: string, location: string | undefined): string {
  if (status === 401 || status === 403) {
    return `The registry did not accept the API key: check the value of ${apiKeyEnv} (the variable the \`apiKeyEnv\` option names).`;
  }
  if (status === 422) {
    return 'The registry rejected the payload; the response above names the field at fault. Do a dry run (`nx run <project>:publish-interface:dry-run` or NX_DRY_RUN=true) to write the payload and inspect it.';
  }
  if (status >= 300 && status < 400) {
    return `The registry redirects${location ? ` to ${location}` : ''} instead of answering; a write is never sent on to another address: set \`apiUrl\` to the registry's final address.`;
  }
  if (status >= 200 && status < 300) return 'Only 200 confirms a publish; check that `apiUrl` points at the workers registry.';
  return '';
}
