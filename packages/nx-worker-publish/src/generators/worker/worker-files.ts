/** What the scaffold is made from. */
export interface WorkerScaffold {
  name: string;
  /** Workspace-relative worker folder. */
  directory: string;
  deploy: 'image' | 'binary' | 'bundle';
  language: 'javascript' | 'rust' | 'python';
  repoUrl: string;
  /** Relative path from the worker folder to the workspace root, for `$schema`. */
  offsetToRoot: string;
}

const INITIAL_VERSION = '0.1.0';
export const III_SDK_RANGE = '^0.22.1';

const LANGUAGE = {
  javascript: { manifestKey: 'node', manifest: 'package.json', start: 'node worker.js' },
  rust: { manifestKey: 'rust', manifest: 'Cargo.toml', start: undefined },
  python: { manifestKey: 'python', manifest: 'pyproject.toml', start: 'python worker.py' },
} as const;

/** iii.worker.yaml with every key the publish payload is built from. */
function workerManifest(w: WorkerScaffold): string {
  const language = LANGUAGE[w.language];
  const lines = [
    'iii: v1',
    `name: ${w.name}`,
    `language: ${language.manifestKey}`,
    `deploy: ${w.deploy}`,
    `manifest: ${language.manifest} # holds the version that is published`,
    ...(w.deploy === 'binary' ? [`bin: ${w.name}`] : []),
    `description: ${w.name} worker`,
    'license: MIT',
    `tags: [${w.language}]`,
    ...(language.start ? ['scripts:', `  start: ${language.start} # how collect-interface starts the worker`] : []),
    '',
  ];
  return lines.join('\n');
}

const javascriptWorker = (w: WorkerScaffold) => `// ${w.name}: a minimal iii worker. collect-interface starts it and publishes what it registers.
const { registerWorker } = require('iii-sdk');

const iii = registerWorker(process.env.III_URL ?? 'ws://localhost:49134', {
  workerName: '${w.name}',
  workerDescription: '${w.name} worker',
  otel: { enabled: false },
});

iii.registerFunction('${w.name}::hello', async ({ name }) => ({ greeting: \`Hello, \${name ?? 'world'}!\` }), {
  description: 'Greets someone',
  request_format: { type: 'object', properties: { name: { type: 'string' } } },
  response_format: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] },
});

process.stdin.resume();
`;

function readme(w: WorkerScaffold): string {
  const project = w.name;
  return `# ${w.name}

An iii worker, published to the workers registry with nx-worker-publish.

## Publishing

\`\`\`sh
npx nx run ${project}:collect-interface              # start it and write dist/${w.directory}/worker-interface.json
npx nx run ${project}:publish-interface:dry-run      # write the registry payload, send nothing
WORKERS_REGISTRY_API_KEY=… npx nx run ${project}:publish-interface
\`\`\`

The version comes from \`${LANGUAGE[w.language].manifest}\`; the repository and ${w.deploy === 'image' ? 'the image reference are' : 'release settings are'} in \`project.json\`.
${w.deploy === 'binary' ? '\nPublishing a `binary` worker reads the checksums of its GitHub release (`{bin}-{target}.tar.gz`), so make a release first.\n' : ''}${w.deploy === 'bundle' ? '\nPublishing a `bundle` worker needs its release archive, so make a release first.\n' : ''}`;
}

function projectJson(w: WorkerScaffold): string {
  const publishOptions: Record<string, unknown> = { repoUrl: w.repoUrl };
  if (w.deploy === 'image') publishOptions.imageTag = `ghcr.io/${ownerOf(w.repoUrl)}/${w.name}:{version}`;
  const project = {
    name: w.name,
    $schema: `${w.offsetToRoot}node_modules/nx/schemas/project-schema.json`,
    targets: { 'publish-interface': { options: publishOptions } },
  };
  return `${JSON.stringify(project, null, 2)}\n`;
}

const ownerOf = (repoUrl: string) => /^https?:\/\/[^/]+\/([^/]+)\//.exec(repoUrl)?.[1]?.toLowerCase() ?? 'your-org';

/** The files of a new worker, by path relative to its folder. */
export function workerFiles(w: WorkerScaffold): Record<string, string> {
  const files: Record<string, string> = {
    'iii.worker.yaml': workerManifest(w),
    'README.md': readme(w),
    'project.json': projectJson(w),
  };
  switch (w.language) {
    case 'javascript':
      files['package.json'] = `${JSON.stringify(
        { name: w.name, version: INITIAL_VERSION, private: true, description: `${w.name} worker`, scripts: { start: 'node worker.js' }, dependencies: { 'iii-sdk': III_SDK_RANGE } },
        null,
        2,
      )}\n`;
      files['worker.js'] = javascriptWorker(w);
      break;
    case 'rust':
      files['Cargo.toml'] = `[package]\nname = "${w.name}"\nversion = "${INITIAL_VERSION}"\nedition = "2021"\n\n[[bin]]\nname = "${w.name}"\npath = "src/main.rs"\n`;
      files['src/main.rs'] = `// ${w.name}: connect to the engine at --url and register your functions with the iii crate.\nfn main() {\n    eprintln!("${w.name}: register your functions here");\n}\n`;
      break;
    case 'python':
      files['pyproject.toml'] = `[project]\nname = "${w.name}"\nversion = "${INITIAL_VERSION}"\nrequires-python = ">=3.10"\n`;
      files['worker.py'] = `# ${w.name}: connect to the engine at the III_URL environment variable and register your functions.\n`;
      break;
  }
  return files;
}
