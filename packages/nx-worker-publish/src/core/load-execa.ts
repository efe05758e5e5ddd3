// execa 9 is ESM-only; `module: node16` keeps this a real dynamic import in the CommonJS build.
export type Execa = typeof import('execa', { with: { 'resolution-mode': 'import' } });

export async function loadExeca(): Promise<Execa> {
  return import('execa');
}
