import { posix } from 'node:path';

export interface ArchiveEntryInfo {
  path: string;
  type: string;
  linkpath?: string;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const ALLOWED_TYPES = new Set([...FILE_TYPES, 'Directory', 'SymbolicLink', 'Link']);

export const isFileEntry = (entry: ArchiveEntryInfo): boolean => FILE_TYPES.has(entry.type);

/** `./a//b/` → `a/b`; backslashes count as separators so a Windows-style `..\` cannot slip through. */
export function normalizeEntryPath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

const isAbsolute = (path: string) => /^([\\/]|[A-Za-z]:)/.test(path);
const hasParentSegment = (path: string) => path.replace(/\\/g, '/').split('/').includes('..');
const escapesRoot = (normalized: string) => normalized === '..' || normalized.startsWith('../');

/**
 * Checks archive entries one by one, before anything is written, against what may land in the
 * extraction folder: plain files, folders, and links that stay inside it. Remembers symlinks so no
 * later entry can be written through one (a symlinked folder would defeat the lexical checks).
 */
export class ArchiveEntryRules {
  private readonly symlinks = new Set<string>();

  /** The reason `entry` is refused, or `undefined` when it is safe. */
  refusal(entry: ArchiveEntryInfo): string | undefined {
    const { path, type, linkpath } = entry;
    if (!ALLOWED_TYPES.has(type)) return `it is a ${type} entry (only files, folders and links are allowed)`;
    if (!path || normalizeEntryPath(path) === '') return type === 'Directory' ? undefined : 'it has an empty path';
    if (isAbsolute(path)) return 'its path is absolute';
    if (hasParentSegment(path)) return 'its path contains a ".." segment';
    const normalized = normalizeEntryPath(path);
    const parts = normalized.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.symlinks.has(prefix)) return `it would be written through the symbolic link "${prefix}"`;
    }

    if (type === 'SymbolicLink' || type === 'Link') {
      if (!linkpath) return `it is a ${type === 'Link' ? 'hard' : 'symbolic'} link with no target`;
      if (isAbsolute(linkpath)) return `it links to the absolute path "${linkpath}"`;
      const target =
        type === 'SymbolicLink'
          ? posix.normalize(posix.join(posix.dirname(normalized), linkpath.replace(/\\/g, '/')))
          : posix.normalize(linkpath.replace(/\\/g, '/'));
      if (escapesRoot(target)) return `its link target "${linkpath}" leaves the extraction folder`;
      // A hard link to a symlink is a second symlink whose relative target is read from a new place.
      if (type === 'Link' && this.symlinks.has(normalizeEntryPath(target))) {
        return `it hard-links to the symbolic link "${linkpath}"`;
      }
    }
    // Once a path was a symlink it stays one for these checks, even if a later entry claims to replace it.
    if (type === 'SymbolicLink') this.symlinks.add(normalized);
    return undefined;
  }
}

/**
 * Where `{bin}` (or `{bin}.exe`) sits: at the archive root, or inside exactly one top-level folder.
 * Returns the normalized relative path, or an explanation when it is missing or ambiguous.
 */
export function locateBinary(entries: ArchiveEntryInfo[], bin: string): { path: string } | { problem: string } {
  const names = new Set([bin, `${bin}.exe`]);
  const files = entries.filter(isFileEntry).map((entry) => normalizeEntryPath(entry.path));
  const atRoot = files.find((path) => names.has(path));
  if (atRoot) return { path: atRoot };
  const nested = files.filter((path) => {
    const parts = path.split('/');
    return parts.length === 2 && names.has(parts[1]);
  });
  if (nested.length === 1) return { path: nested[0] };
  if (nested.length > 1) return { problem: `"${bin}" is in more than one folder (${nested.join(', ')}), so it is ambiguous` };
  return { problem: `no file named "${bin}" at the archive root or in one top-level folder` };
}

/** A readable list of entries for error messages, bounded so a huge archive does not flood the log. */
export function describeEntries(entries: ArchiveEntryInfo[], limit = 40): string {
  if (entries.length === 0) return 'the archive is empty';
  const shown = entries.slice(0, limit).map((entry) => {
    const name = entry.type === 'Directory' ? `${entry.path.replace(/\/?$/, '/')}` : entry.path;
    return entry.linkpath ? `${name} -> ${entry.linkpath}` : name;
  });
  const more = entries.length > limit ? `, and ${entries.length - limit} more` : '';
  return `it holds: ${shown.join(', ')}${more}`;
}
