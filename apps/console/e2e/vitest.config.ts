import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The browser suite: real server, real console build, headless Debian Chromium.
// Run from anywhere: `npx vitest run --config apps/console/e2e/vitest.config.ts`.
export default defineConfig({
  root: resolve(import.meta.dirname, '../../..'),
  test: {
    include: ['apps/console/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
