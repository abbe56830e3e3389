import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at once: most of the slow files wait on child processes (emulator, scripts,
    // tmux) or on Retry-After sleeps, so the default of one worker on a 2-core runner left a
    // core idle and took about 10 minutes.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
