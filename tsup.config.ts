import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts', 'node-worker': 'src/node-worker.ts' },
    format: ['esm', 'cjs'],
    // Types for the public entries only: node-worker is the script worker threads run (its API is
    // re-exported by node.ts), and a third declaration entry makes the bundler split the shared
    // declarations into a chunk whose namespaces use types as values.
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
    sourcemap: true,
    target: 'node18',
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
