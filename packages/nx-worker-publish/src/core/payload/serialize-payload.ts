import type { PublishPayload } from './publish-payload';

/** The exact bytes that are POSTed and written on dry run: 2-space JSON in field order, trailing newline. */
export function serializePayload(payload: PublishPayload): string {
  return JSON.stringify(payload, null, 2) + '\n';
}
