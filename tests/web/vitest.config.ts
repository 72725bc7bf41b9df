// Layer 3: Vitest units for the web code (ingest, schema inference, charts, protocol, ONNX builder).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    environment: 'node',
    include: ['tests/web/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
