import { posix } from 'node:path';

export interface ArchiveEntryInfo {
  path: string;
  type: string;
  linkpath?: string;
  /** Bytes the entry writes (files only). */
  size?: number;
}

/** Bounds on what one archive may write; the defaults fit any real worker release, not a decompression bomb. */
export interface ArchiveLimits {
  /** Total bytes of all files (default 2 GiB). Option `maxArchiveBytes`. */
  maxBytes?: number;
  /** Number of entries (default 100 000). Option `maxArchiveEntries`. */
  maxEntries?: number;
  /** Path segments of one entry (default 32). Option `maxArchivePathDepth`. */
  maxDepth?: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Required<ArchiveLimits> = { maxBytes: 2 * 1024 ** 3, maxEntries: 100_000, maxDepth: 32 };

/** Symlinks followed while resolving one link target, as the kernel's ELOOP bound. */
const MAX_LINK_HOPS = 40;

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
 * later entry can be written through one (a symlinked folder would defeat the lexical checks), and resolves
 * link targets through earlier symlinks so a chain (`t -> .`, `s1 -> t/..`) cannot reach outside either.
 * Also counts entries, bytes and path depth against `limits`.
 */
export class ArchiveEntryRules {
  /** symlink path (normalized) → its link target as written. */
  private readonly symlinks = new Map<string, string>();
  private readonly limits: Required<ArchiveLimits>;
  private entries = 0;
  private bytes = 0;

  constructor(limits: ArchiveLimits = {}) {
    this.limits = { ...DEFAULT_ARCHIVE_LIMITS, ...definedOnly(limits) };
  }

  /** The limit `entry` breaks (a message naming the limit and its option), or `undefined`. Counts the entry. */
  limitExceeded(entry: ArchiveEntryInfo): string | undefined {
    const { maxBytes, maxEntries, maxDepth } = this.limits;
    this.entries += 1;
    if (this.entries > maxEntries) return `it has more than ${maxEntries} entries (the maxArchiveEntries limit)`;
    if (FILE_TYPES.has(entry.type)) this.bytes += entry.size ?? 0;
    if (this.bytes > maxBytes) return `its files add up to more than ${formatBytes(maxBytes)} (the maxArchiveBytes limit)`;
    const depth = normalizeEntryPath(entry.path).split('/').length;
    if (depth > maxDepth) return `entry "${entry.path}" is ${depth} folders deep, more than ${maxDepth} (the maxArchivePathDepth limit)`;
    return undefined;
  }

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
      const written = linkpath.replace(/\\/g, '/');
      const target = type === 'SymbolicLink' ? posix.normalize(posix.join(posix.dirname(normalized), written)) : posix.normalize(written);
      if (escapesRoot(target)) return `its link target "${linkpath}" leaves the extraction folder`;
      // A hard link to a symlink is a second symlink whose relative target is read from a new place.
      if (type === 'Link' && this.symlinks.has(normalizeEntryPath(target))) {
        return `it hard-links to the symbolic link "${linkpath}"`;
      }
      // Lexically inside is not enough: the kernel follows earlier symlinks on the way (`s1 -> t/..` with `t -> .`).
      const base = type === 'SymbolicLink' ? parentSegments(normalized) : [];
      const resolved = this.resolve([...base, ...written.split('/')], 0);
      if (resolved.problem) return `its link target "${linkpath}" ${resolved.problem}`;
    }
    // Once a path was a symlink it stays one for these checks, even if a later entry claims to replace it.
    if (type === 'SymbolicLink') this.symlinks.set(normalized, (linkpath ?? '').replace(/\\/g, '/'));
    return undefined;
  }

  /** Walks `segments` from the extraction root, following the symlinks seen so far. */
  private resolve(segments: string[], hops: number): { at: string[]; problem?: string } {
    const at: string[] = [];
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (at.length === 0) return { at, problem: 'leaves the extraction folder through a chain of symbolic links' };
        at.pop();
        continue;
      }
      at.push(segment);
      const link = this.symlinks.get(at.join('/'));
      if (link === undefined) continue;
      if (hops >= MAX_LINK_HOPS) return { at, problem: `goes through more than ${MAX_LINK_HOPS} symbolic links (a loop)` };
      if (isAbsolute(link)) return { at, problem: `goes through the symbolic link "${at.join('/')}" to an absolute path` };
      at.pop();
      const followed = this.resolve([...at, ...link.split('/')], hops + 1);
      if (followed.problem) return followed;
      at.splice(0, at.length, ...followed.at);
    }
    return { at };
  }
}

const parentSegments = (normalized: string) => normalized.split('/').slice(0, -1);

function definedOnly(limits: ArchiveLimits): ArchiveLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined && Number.isFinite(value) && value > 0));
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(2)} MiB`;
  return `${bytes} bytes`;
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
