// Appends "<role> <pid>" to $PIDS_FILE so a test can check every process of a tree afterwards.
const { appendFileSync } = require('node:fs');

module.exports = function recordPid(role) {
  if (process.env.PIDS_FILE) appendFileSync(process.env.PIDS_FILE, `${role} ${process.pid}\n`);
};
