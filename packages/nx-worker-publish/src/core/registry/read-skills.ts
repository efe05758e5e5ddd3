import { truncateBody, type RegistryClient } from './registry-client';

export type SkillsReadback =
  | { state: 'present'; skills: { path: string; content: string }[] }
  | { state: 'absent' }
  | { state: 'unavailable'; reason: string };

export const skillsPath = (worker: string) => `/w/${encodeURIComponent(worker)}/skills`;

/** `GET /w/<w>/skills?version=<v>`: the stored snapshot of one version (`{skills: [{path, content}]}`); 404 = absent. */
export async function readSkills(client: RegistryClient, worker: string, version: string): Promise<SkillsReadback> {
  const path = `${skillsPath(worker)}?version=${encodeURIComponent(version)}`;
  const answer = await client.send('GET', path);
  const url = client.shown(path);
  if (answer.kind === 'transport') return { state: 'unavailable', reason: `GET ${url}: ${answer.reason}` };
  if (answer.status === 404) return { state: 'absent' };
  const skills = (answer.json as { skills?: unknown } | undefined)?.skills;
  const wellFormed =
    Array.isArray(skills) && skills.every((row) => !!row && typeof (row as { path?: unknown }).path === 'string' && typeof (row as { content?: unknown }).content === 'string');
  if (answer.status !== 200 || !wellFormed) return { state: 'unavailable', reason: `GET ${url} answered ${answer.status}: ${truncateBody(answer.body)}` };
  return { state: 'present', skills: skills as { path: string; content: string }[] };
}
