'use strict';
// Shared by the bin/ launchers: run a compiled entry from dist/, or say how to build it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function launch(relative) {
  const entry = join(__dirname, '..', 'dist', relative);
  if (!existsSync(entry)) {
    process.stderr.write(`${entry} is missing: run \`npm run build\` first.\n`);
    process.exit(1);
  }
  require(entry);
};
