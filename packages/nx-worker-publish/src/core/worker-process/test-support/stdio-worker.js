// Behaves like a stdio worker: exits as soon as its stdin closes.
process.stdin.on('end', () => {
  console.log('stdin closed, exiting');
  process.exit(0);
});
process.stdin.resume();
console.log('stdio worker reading stdin');
