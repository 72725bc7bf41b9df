// The quality harness's own tests (its metrics, baselines, generators and the native driver's CSV
// mode): npx vitest run --config tests/bench/quality/vitest.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bench-quality',
    environment: 'node',
    include: ['tests/bench/quality/**/*.test.mjs'],
    testTimeout: 120_000,
    // beforeAll may (re)build mmm_bench, waiting for other builds on the shared lock.
    hookTimeout: 900_000,
  },
});
