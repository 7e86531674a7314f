import { defineConfig } from 'vitest/config';

// The browser suite: real server, real console build, headless Debian Chromium.
export default defineConfig({
  test: {
    include: ['apps/console/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
