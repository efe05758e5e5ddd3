// Writes LINES numbered lines of output as fast as it can, then "done", then keeps running.
const lines = Number(process.env.LINES ?? 50000);
const pad = 'x'.repeat(60);
let chunk = '';
for (let i = 0; i < lines; i++) {
  chunk += `line ${i} ${pad}\n`;
  if (chunk.length > 64 * 1024) {
    require('node:fs').writeSync(1, chunk);
    chunk = '';
  }
}
require('node:fs').writeSync(1, `${chunk}done after ${lines} lines\n`);
setInterval(() => undefined, 60_000);
