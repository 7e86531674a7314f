import { defineConfig } from 'vitest/config';

// The root config only includes *.test.ts; widget tests are *.test.tsx and need a DOM.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    testTimeout: 30_000,
    pool: 'forks',
    // antd is imported by every file; sharing the module graph saves most of the import time.
    isolate: false,
  },
});
