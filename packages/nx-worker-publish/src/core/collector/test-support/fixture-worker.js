// A real iii-sdk worker driven by the FIXTURE_WORKER env (JSON): which SDK, its name, functions, trigger types and
// trigger instances, and functions registered late. Used by the collector's integration tests against the embedded engine.
const spec = JSON.parse(process.env.FIXTURE_WORKER);
const { registerWorker } = require(spec.sdk || 'iii-sdk');

const options = { otel: { enabled: false }, enableMetricsReporting: false };
if (spec.name) options.workerName = spec.name;
if (spec.description) options.workerDescription = spec.description;
const iii = registerWorker(process.env.III_URL, options);

for (const fn of spec.functions || []) {
  const { id, ...registration } = fn;
  iii.registerFunction(id, async (data) => data, registration);
}
for (const type of spec.triggerTypes || []) {
  // The SDK's types have no format fields, but it spreads the object onto the wire (spec iii-protocol §7).
  iii.registerTriggerType(type, { async registerTrigger() {}, async unregisterTrigger() {} });
}
for (const trigger of spec.triggers || []) iii.registerTrigger(trigger);
// A function registered well after the others (e.g. after an `await` in the worker's start-up).
for (const { afterMs, ...fn } of spec.lateFunctions || []) {
  const { id, ...registration } = fn;
  setTimeout(() => iii.registerFunction(id, async (data) => data, registration), afterMs);
}

process.stdin.resume(); // stay alive until the test kills us
process.on('SIGTERM', () => process.exit(0));
