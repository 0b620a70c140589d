#!/usr/bin/env node
// kubespec's command line, run from the TypeScript sources through tsx (esbuild), which caches what it
// compiles: no build step, and a warm start well under a second.
require('tsx/cjs');

require('../src/cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
