import { canonical } from './compare-version';
import { describeDifference } from './describe-difference';
import { provedWrite, type Proof, type ProvedWrite, type WriteFailure } from './proof';
import { readSkills, skillsPath } from './read-skills';
import { truncateBody, type RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';

export interface SkillsPublish {
  worker: string;
  version: string;
  /** The full snapshot: key → Markdown. `{}` clears the version's skills. */
  skills: Record<string, string>;
  log?: (line: string) => void;
  retryDelayMs?: number;
}

/**
 * `POST /w/<w>/skills {version, skills}` with the full snapshot, proved by `GET /w/<w>/skills?version=` equal to it
 * exactly (spec publish-pipeline-later §6.2 `publish-skills`). Retried only while the readback is absent.
 */
export async function publishSkills(client: RegistryClient, publish: SkillsPublish): Promise<ProvedWrite> {
  const { worker, version, skills } = publish;
  const url = client.shown(skillsPath(worker));
  const body = JSON.stringify({ version, skills });
  return provedWrite({
    what: `POST ${url}`,
    log: publish.log,
    retryDelayMs: publish.retryDelayMs,
    remainingMs: () => client.remainingMs(),
    write: async () => {
      publish.log?.(`POST ${url} {version: ${version}, skills: ${Object.keys(skills).length} documents}`);
      const answer = await client.send('POST', skillsPath(worker), body);
      if (answer.kind === 'transport') return { kind: 'uncertain', reason: answer.reason, timedOut: answer.timedOut };
      if (answer.status >= 500) return { kind: 'uncertain', reason: `HTTP ${answer.status}`, status: answer.status };
      if (answer.status === 409) return { kind: 'conflict', body: answer.body };
      const echoed = (answer.json as { version?: unknown } | undefined)?.version;
      if (answer.status === 200 && echoed === version) return { kind: 'done', changed: true };
      const problem = answer.status === 200 ? `its body does not echo version ${version}` : `the registry refused the skills with ${answer.status}`;
      throw new RegistryError(
        `POST ${url} failed: ${problem}. Response: ${truncateBody(answer.body)}. ${answer.status === 422 ? 'The response names the document at fault; fix it in the skills folder. ' : ''}` +
          `${worker} ${version} itself is published and no channel was moved: run publish-interface again once fixed.`,
        { url, status: answer.status, body: truncateBody(answer.body) },
      );
    },
    prove: () => proveSkills(client, worker, version, skills),
    failure: (failure) => skillsFailure(url, publish, failure),
  });
}

/** The stored snapshot against ours, exactly: the same keys, the same contents, no path twice. */
export async function proveSkills(client: RegistryClient, worker: string, version: string, skills: Record<string, string>): Promise<Proof> {
  const read = await readSkills(client, worker, version);
  if (read.state === 'unavailable') return { state: 'unavailable', detail: read.reason };
  if (read.state === 'absent') return { state: 'absent', detail: `no skills stored for ${worker} ${version}` };
  const stored = new Map<string, string>();
  for (const row of read.skills) {
    if (stored.has(row.path)) return { state: 'divergent', detail: `the skills readback repeats path ${row.path}` };
    stored.set(row.path, row.content);
  }
  const missing = Object.keys(skills).filter((key) => !stored.has(key)).sort();
  const extra = [...stored.keys()].filter((key) => !(key in skills)).sort();
  const differing = Object.keys(skills)
    .filter((key) => stored.has(key) && stored.get(key) !== skills[key])
    .sort()
    .map((key) => describeDifference(key, skills[key], stored.get(key), canonical));
  const parts = [
    ...(missing.length ? [`not stored: ${missing.join(', ')}`] : []),
    ...(extra.length ? [`stored but not sent: ${extra.join(', ')}`] : []),
    ...differing,
  ];
  if (parts.length) return { state: 'divergent', detail: `the skills snapshot diverges: ${parts.join('; ')}` };
  return { state: 'equivalent', detail: `${Object.keys(skills).length} skill documents stored exactly` };
}

function skillsFailure(url: string, publish: SkillsPublish, failure: WriteFailure): string {
  const tail = `${publish.worker} ${publish.version} itself is published and no channel was moved; run publish-interface again to finish (the stored version is recognised as identical).`;
  if (failure.why === 'divergent') return `POST ${url}: ${failure.answer}, but ${failure.proof.detail}. ${tail}`;
  if (failure.why === 'unavailable') return `POST ${url}: ${failure.answer}, and the skills cannot be proved (${failure.proof.detail}); they were not sent again. ${tail}`;
  if (failure.why === 'absent-after-answer') return `POST ${url}: ${failure.answer}, but ${failure.proof.detail}: the registry did not keep what it confirmed. ${tail}`;
  return `POST ${url}: the skills were not verified after ${failure.attempt} attempts (${failure.answer}; ${failure.proof.detail}). ${tail}`;
}
