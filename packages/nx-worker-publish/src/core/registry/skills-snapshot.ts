import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RegistryError } from './registry-error';

/** The registry's key rule for skill documents (`build_skills_payload.py`, which says the regex is the server's). */
export const SKILL_KEY = /^[a-z0-9][a-z0-9._/-]*\.md$/i;
export const TOP_SKILL_KEY = 'SKILL.md';
export const DEFAULT_SKILLS_DIR = 'skills';

export interface SkillsSnapshot {
  /** Registry key → Markdown, exactly what `POST /w/<w>/skills` sends. */
  skills: Record<string, string>;
  /** Workspace-independent: the folder read, relative to the worker folder. */
  dir: string;
  /** Blank documents that were left out (the registry refuses empty contents). */
  blank: string[];
}

/**
 * The full skills snapshot of a worker folder (spec publish-pipeline-later §6.1): `<dir>/SKILL.md` is sent as
 * `SKILL.md`, every other `<dir>/**\/*.md` as `skills/<rel>.md` (`prompts/` and `agents/` subfolders are not skills).
 * `<dir>/SKILL.md` is required when other documents exist; a key outside the registry's rule is an error naming
 * the file. Symbolic links are not followed. No folder, or no documents, is the empty snapshot `{}`.
 */
export function readSkillsSnapshot(workerDir: string, dir: string = DEFAULT_SKILLS_DIR): SkillsSnapshot {
  const root = join(workerDir, dir);
  const snapshot: SkillsSnapshot = { skills: {}, dir, blank: [] };
  if (!isDirectory(root)) return snapshot;
  const documents = listMarkdown(root).sort();
  const others = documents.filter((rel) => rel !== TOP_SKILL_KEY);
  for (const rel of documents) {
    const key = rel === TOP_SKILL_KEY ? TOP_SKILL_KEY : `skills/${rel}`;
    const shown = join(dir, rel);
    if (!SKILL_KEY.test(key)) {
      throw new RegistryError(
        `The skill document ${shown} would be sent as "${key}", which the registry refuses (keys must match ${SKILL_KEY.source}, case-insensitive): ` +
          'rename it with lowercase letters, digits, ".", "_", "-" and "/" only, starting with a letter or digit. Nothing was sent.',
      );
    }
    const content = readFileSync(join(root, rel), 'utf8');
    if (content.trim() === '') snapshot.blank.push(shown);
    else snapshot.skills[key] = content;
  }
  if (others.length > 0 && !(TOP_SKILL_KEY in snapshot.skills)) {
    throw new RegistryError(
      `${join(dir, TOP_SKILL_KEY)} is missing${documents.includes(TOP_SKILL_KEY) ? ' (it is blank)' : ''}, but ${others.length} other skill document${others.length === 1 ? '' : 's'} ` +
        `exist (${others.slice(0, 3).map((rel) => join(dir, rel)).join(', ')}${others.length > 3 ? ', …' : ''}): the registry requires the overview ` +
        `${join(dir, TOP_SKILL_KEY)} beside them. Write it (what the worker offers, linking the other documents), or set \`skipSkills\` to publish without skills. Nothing was sent.`,
    );
  }
  return snapshot;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `*.md` below root, as `/`-separated relative paths; `prompts/` and `agents/` are left out, links not followed. */
function listMarkdown(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'prompts' && entry.name !== 'agents') found.push(...listMarkdown(root, path));
    } else if (entry.isFile() && entry.name.endsWith('.md')) {
      found.push(relative(root, path).split(sep).join('/'));
    }
  }
  return found;
}
