import { PayloadError } from './payload-error';

/** The registry's wire form of a worker dependency (spec publish-pipeline §5.4). */
export interface PayloadDependency {
  name: string;
  version: string;
}

const ALLOWED_FORMS =
  'Allowed forms: a map of name to version (`dependencies: {helper: "^0.1.0"}`), ' +
  'a list of names (`dependencies: [helper]`), or a list of `{name, version}` objects ' +
  '(`dependencies: [{name: helper, version: "^0.1.0"}]`).';

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value} (${JSON.stringify(value)})`;
}

/** YAML may read `1.2` as a number; the registry wants strings. Lists and maps are not versions. */
function versionText(value: unknown, where: string, sourceLabel: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new PayloadError(
    `\`dependencies\` in ${sourceLabel}: the version of ${where} is ${describeType(value)}; ` +
      `a version must be a string such as "^0.1.0". ${ALLOWED_FORMS}`,
  );
}

/**
 * Turns the manifest's `dependencies` into the list the registry accepts. The registry answered 422 when it
 * was sent the map form as an object (commit 435f889), so every accepted form is converted to `[{name, version}]`.
 */
export function normalizeDependencies(raw: unknown, sourceLabel: string): PayloadDependency[] {
  if (raw === null || raw === undefined || raw === '') return [];

  if (Array.isArray(raw)) {
    return raw.map((entry, index) => {
      if (typeof entry === 'string') return { name: entry, version: '' };
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && typeof (entry as { name?: unknown }).name === 'string') {
        const { name, version } = entry as { name: string; version?: unknown };
        return { name, version: versionText(version, `dependencies[${index}] (${name})`, sourceLabel) };
      }
      throw new PayloadError(
        `\`dependencies\` in ${sourceLabel}: entry ${index} is ${describeType(entry)}; ` +
          `list entries must be names or \`{name, version}\` objects with a string name. ${ALLOWED_FORMS}`,
      );
    });
  }

  if (typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([name, version]) => ({
      name,
      version: versionText(version, `"${name}"`, sourceLabel),
    }));
  }

  throw new PayloadError(
    `\`dependencies\` in ${sourceLabel} must be a map or a list, got ${describeType(raw)}. ${ALLOWED_FORMS}`,
  );
}
