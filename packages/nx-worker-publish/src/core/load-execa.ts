// execa 9 is ESM-only; `module: node16` keeps this a real dynamic import in the CommonJS build.
export async function loadExeca(): Promise<typeof import('execa')> {
  return import('execa');
}
