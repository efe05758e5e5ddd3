// A small todo worker: an in-memory list behind three functions and one trigger type.
const { registerWorker } = require('iii-sdk');

const iii = registerWorker(process.env.III_URL ?? 'ws://localhost:49134', {
  workerName: 'todo-worker',
  workerDescription: 'Example todo worker',
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
  { description: 'Mark a todo as done', request_format: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, metadata: { tags: ['todo'] } },
);
iii.registerTriggerType(
  { id: 'todo::on-complete', description: 'Fires when a todo is completed' },
  { async registerTrigger() {}, async unregisterTrigger() {} },
);
