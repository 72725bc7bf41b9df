// Layer 2: the real core-st / core-mt wasm in Node, through the same TS client code the app uses.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'wasm',
    environment: 'node',
    include: ['tests/wasm/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // One file at a time: the machine has about one core of real throughput and each file may
    // start a pthread pool.
    fileParallelism: false,
  },
});
