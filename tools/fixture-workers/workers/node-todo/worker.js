// e2e fixture: a named Node.js iii-sdk worker started by `scripts.start`, with three functions and one trigger type.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registerWorker } = require('iii-sdk');

// Lets the tests see that (and which) fixture processes ran, where, and with which environment variable *names*
// (never values); the marker dir comes from the test's environment.
if (process.env.NXWP_E2E_MARKER_DIR) {
  const marker = { cwd: process.cwd(), envNames: Object.keys(process.env).sort() };
  writeFileSync(join(process.env.NXWP_E2E_MARKER_DIR, `node-todo.${process.pid}.started`), JSON.stringify(marker));
}

const iii = registerWorker(process.env.III_URL, {
  workerName: 'node-todo',
  workerDescription: 'Fixture todo worker',
  enableMetricsReporting: false,
  otel: { enabled: false },
});

const todos = new Map();
const todoSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, title: { type: 'string' }, done: { type: 'boolean' } },
  required: ['id', 'title', 'done'],
};

iii.registerFunction(
  'todo::create',
  async ({ title }) => {
    const todo = { id: String(todos.size + 1), title, done: false };
    todos.set(todo.id, todo);
    return todo;
  },
  {
    description: 'Create a todo',
    request_format: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
    response_format: todoSchema,
  },
);
iii.registerFunction('todo::list', async () => ({ todos: [...todos.values()] }), {
  description: 'List all todos',
  response_format: { type: 'object', properties: { todos: { type: 'array', items: todoSchema } } },
});
iii.registerFunction(
  'todo::complete',
  async ({ id }) => {
    const todo = todos.get(id);
    if (!todo) throw new Error(`no todo ${id}`);
    todo.done = true;
    return todo;
  },
  {
    description: 'Mark a todo as done',
    request_format: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    metadata: { tags: ['todo'] },
  },
);
iii.registerTriggerType(
  { id: 'todo::on-complete', description: 'Fires when a todo is completed' },
  { async registerTrigger() {}, async unregisterTrigger() {} },
);

process.stdin.resume();
