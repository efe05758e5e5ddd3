import { readFileSync } from 'node:fs';
import { startRegistryServer, type RegistryFaults, type RegistryServer } from './registry-server';

const USAGE = `usage: registry-server [--port N] [--api-key-env NAME] [--seed payload.json ...] [--fault NAME[=N] ...]

Serves the workers registry's endpoints on 127.0.0.1 (POST /publish, GET /w/<w>?version=, POST /resolve,
GET /w/<w>/versions, PUT /w/<w>/tags/<tag>, POST and GET /w/<w>/skills, POST /w/<w>/releases/finalize).
Writes need the key in $NAME (default WORKERS_REGISTRY_API_KEY, else "local-key").
Faults: drop-publish-response[=N], ok-false[=N], conflict-identical[=N], conflict-different[=N], fail-503[=N], reset[=N],
slow-ms=MS, hold-publish-ms=MS,
channel-race=TAG:VERSION (another publisher moves TAG to VERSION right before a CAS or a finalize; finalize-race is the same),
drop-response=METHOD:PATH[:N] (handle the request, e.g. POST:/w/skills/skills, then drop the connection),
answer-after=STATUS:METHOD:PATH[:N] (handle the request, then answer STATUS instead, e.g. 503:PUT:/w/skills/tags),
store-other-sha256 (store binaries and bundles with another sha256 than sent), skills-divergent (read skills back altered),
endless-body=PATH (an endless 200 body for requests under PATH), echo-key (writes answer 401 echoing the key).`;

/** Parses `--fault name[=n]` into the stand-in's switches. */
function addFault(faults: RegistryFaults, spec: string): void {
  const [name, raw] = spec.split('=');
  if (name === 'drop-response' || name === 'answer-after') {
    const parts = (raw ?? '').split(':');
    const status = name === 'answer-after' ? Number(parts.shift()) : undefined;
    const [method, path, times] = parts;
    if (!method || !path || (status !== undefined && !(status >= 100 && status < 600))) {
      throw new Error(`--fault ${name} needs ${name === 'answer-after' ? 'STATUS:' : ''}METHOD:PATH[:N], e.g. ${name}=${name === 'answer-after' ? '503:' : ''}POST:/w/skills/skills`);
    }
    faults.afterHandling = { answer: status ?? 'drop', method, path, times: times === undefined ? 1 : Number(times) };
    return;
  }
  if (name === 'store-other-sha256') {
    faults.storeOtherSha256 = true;
    return;
  }
  if (name === 'skills-divergent') {
    faults.alterSkills = (rows) => rows.map((row, index) => (index === 0 ? { ...row, content: `${row.content}\n(edited on the server)` } : row));
    return;
  }
  if (name === 'endless-body') {
    faults.endlessBodyPath = raw || '/';
    return;
  }
  if (name === 'echo-key') {
    faults.echoKey = true;
    return;
  }
  if (name === 'channel-race' || name === 'finalize-race') {
    const [tag, version] = (raw ?? '').split(':');
    if (!tag || !version) throw new Error(`--fault ${name} needs TAG:VERSION, e.g. ${name}=next:0.1.9`);
    faults.concurrentChannelMove = { tag, version };
    return;
  }
  const n = raw === undefined ? 1 : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--fault ${spec}: the count must be a non-negative number`);
  switch (name) {
    case 'drop-publish-response':
      faults.dropPublishResponseTimes = n;
      return;
    case 'ok-false':
      faults.okFalseTimes = n;
      return;
    case 'conflict-identical':
      faults.conflictIdenticalTimes = n;
      return;
    case 'conflict-different':
      faults.conflictDifferentTimes = n;
      return;
    case 'fail-503':
      faults.fail503Times = n;
      return;
    case 'reset':
      faults.resetTimes = n;
      return;
    case 'slow-ms':
      faults.slowMs = n;
      return;
    case 'hold-publish-ms':
      faults.holdPublishResponseMs = n;
      return;
    default:
      throw new Error(`unknown --fault ${name}\n${USAGE}`);
  }
}

/** Starts the stand-in from command-line arguments and prints where it listens. */
export async function runRegistryServerCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<RegistryServer> {
  let port = 0;
  let apiKeyEnv = 'WORKERS_REGISTRY_API_KEY';
  const seeds: string[] = [];
  const faults: RegistryFaults = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--port') port = Number(value());
    else if (arg === '--api-key-env') apiKeyEnv = value();
    else if (arg === '--seed') seeds.push(value());
    else if (arg === '--fault') addFault(faults, value());
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const apiKey = env[apiKeyEnv] || 'local-key';
  const server = await startRegistryServer({ apiKey, faults, port });
  for (const file of seeds) server.seedVersion(JSON.parse(readFileSync(file, 'utf8')));
  process.stdout.write(
    `registry stand-in listening on ${server.url} (writes need the key in ${env[apiKeyEnv] ? apiKeyEnv : '"local-key"'})\n` +
      `try: WORKERS_REGISTRY_API_KEY=${env[apiKeyEnv] ? `$${apiKeyEnv}` : 'local-key'} nx run <worker>:publish-interface --apiUrl=${server.url}\n`,
  );
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
