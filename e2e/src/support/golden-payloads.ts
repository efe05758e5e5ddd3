/**
 * The payloads the registry must receive for each fixture worker, written out by hand from the fixtures' sources and
 * the /publish contract (spec publish-pipeline-later §3): worker_name is the folder, version comes from the language
 * manifest, no channel (it is moved separately), experimental is always a boolean, functions are named by metadata.registry_name else their full id,
 * trigger types are the worker's own, sorted by name. Only what depends on the run (local URLs, checksums) is a parameter.
 */

type Binaries = Record<string, { url: string; sha256: string }>;

const todoSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, title: { type: 'string' }, done: { type: 'boolean' } },
  required: ['id', 'title', 'done'],
};

export function nodeTodoPayload() {
  return {
    worker_name: 'node-todo',
    version: '0.3.0',
    type: 'image',
    readme: '# node-todo\n\nAn in-memory todo list on the Node.js `iii-sdk`: the e2e fixture for workers started by `scripts.start`.\n',
    repo: 'https://github.com/iii-hq/workers-e2e',
    description: 'Fixture todo worker on the Node.js iii SDK, started by scripts.start',
    dependencies: [{ name: 'kebab-db', version: '^1.0.0' }],
    config: { max_todos: 100, storage: { kind: 'memory' } },
    functions: [
      {
        name: 'todo::complete',
        description: 'Mark a todo as done',
        request_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response_schema: {},
        metadata: { tags: ['todo'] },
      },
      {
        name: 'todo::create',
        description: 'Create a todo',
        request_schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
        response_schema: todoSchema,
        metadata: {},
      },
      {
        name: 'todo::list',
        description: 'List all todos',
        request_schema: {},
        response_schema: { type: 'object', properties: { todos: { type: 'array', items: todoSchema } } },
        metadata: {},
      },
    ],
    triggers: [{ name: 'todo::on-complete', description: 'Fires when a todo is completed', invocation_schema: {}, return_schema: {}, metadata: {} }],
    experimental: false,
    image_tag: 'ghcr.io/iii-hq/node-todo:0.3.0',
  };
}

export function kebabDbPayload() {
  return {
    worker_name: 'kebab-db',
    version: '1.0.3',
    type: 'image',
    readme: '',
    repo: 'https://github.com/iii-hq/workers-e2e',
    description: 'Fixture worker without a name of its own, under a kebab-case namespace',
    dependencies: [],
    config: {},
    functions: [
      {
        name: 'kebab-db::query',
        description: 'Run a read-only SQL query',
        request_schema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
        response_schema: { type: 'object', properties: { rows: { type: 'array' } } },
        metadata: {},
      },
      {
        name: 'migrate',
        description: 'Apply pending migrations',
        request_schema: {},
        response_schema: {},
        metadata: { registry_name: 'migrate', dangerous: true },
      },
    ],
    triggers: [],
    experimental: false,
    image_tag: 'ghcr.io/iii-hq/kebab-db:1.0.3',
  };
}

export function releaseEchoPayload(binaries: Binaries) {
  return {
    worker_name: 'release-echo',
    version: '1.2.0',
    type: 'binary',
    readme: '# release-echo\n\nA "Rust" worker whose binary is only taken from its GitHub-style release (`release-echo-<target>.tar.gz`).\n',
    repo: 'https://github.com/iii-hq/workers-e2e',
    description: 'Fixture binary worker that is only ever run from its release tarball',
    dependencies: [],
    config: {},
    functions: [
      {
        name: 'release_echo::echo',
        description: 'Echo the request back',
        request_schema: { type: 'object' },
        response_schema: { type: 'object' },
        metadata: {},
      },
      {
        name: 'reverse',
        description: 'Reverse a text',
        request_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        response_schema: { type: 'object', properties: { text: { type: 'string' } } },
        metadata: { registry_name: 'reverse' },
      },
    ],
    triggers: [],
    experimental: false,
    binaries,
  };
}

export function builtGreeterPayload(options: { greeting: string; repo: string; binaries: Binaries }) {
  return {
    worker_name: 'built-greeter',
    version: '2.0.1',
    type: 'binary',
    readme: '',
    repo: options.repo,
    description: 'Fixture binary worker whose binary comes from its build target',
    dependencies: [],
    config: {},
    functions: [
      {
        name: 'greeter::greet',
        description: `Says "${options.greeting}" to someone`,
        request_schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        response_schema: { type: 'object', properties: { text: { type: 'string' } } },
        metadata: {},
      },
    ],
    triggers: [],
    experimental: false,
    binaries: options.binaries,
  };
}

/** The function names of a payload, to tell whose functions it holds. */
export const functionNames = (payload: { functions?: Array<{ name: string }> } | Record<string, unknown>): string[] =>
  ((payload as { functions?: Array<{ name: string }> }).functions ?? []).map((fn) => fn.name).sort();
