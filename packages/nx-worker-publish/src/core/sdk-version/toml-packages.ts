/** One `[[package]]` entry of a Cargo.lock, uv.lock or poetry.lock. */
export interface LockedPackage {
  name: string;
  version: string;
  /** Cargo.lock: `"iii-sdk"` or, when several versions are locked, `"iii-sdk 0.25.0"`. */
  dependencies: string[];
}

const quoted = (block: string, key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(block)?.[1];

/** The `[[package]]` entries of a TOML lockfile: only the keys we need, read line by line (no full TOML parser). */
export function lockedPackages(text: string): LockedPackage[] {
  return text
    .split(/^\[\[package\]\]\s*$/m)
    .slice(1)
    .map((block) => block.split(/^\[(?!\[package\]\])/m)[0])
    .flatMap((block) => {
      const name = quoted(block, 'name');
      const version = quoted(block, 'version');
      if (!name || !version) return [];
      const list = /^dependencies\s*=\s*\[([\s\S]*?)\]/m.exec(block)?.[1] ?? '';
      const dependencies = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      return [{ name, version, dependencies }];
    });
}
