/** Publishing to the registry failed, or could not start; the message is safe to print (no API key). */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly details: { url?: string; status?: number; body?: string; attempts?: number } = {},
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
