import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // one temporary directory per run, removed at its end (test/suite-tmp.ts)
    globalSetup: ['test/suite-tmp.ts'],
    // Upper bounds for a busy 2-core runner (recovery scripts, emulator restores): a test that
    // works finishes far sooner; one that hangs still fails.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The files of a worker share one module graph instead of each importing src/, the emulator
    // and the Graph SDKs again: measured on the whole suite (session 13, one machine, same load):
    // 1,064 s CPU and 625 s wall isolated, 686 s CPU and 435 s wall shared, every test passing
    // both ways. So a test file must leave no state behind: close its servers and processes,
    // restore real timers, and undo a vi.mock in afterAll (test/vectors/archive-chunked.test.ts
    // does: vi.doUnmock, then vi.resetModules). `npx vitest run --isolate FILE…` runs files each
    // in a fresh graph, to tell a test's own failure from one left behind by another file.
    isolate: false,
    // Three files at once on a 2-core runner: most of the slow files wait on child processes
    // (emulator, scripts, tmux) or on Retry-After sleeps, so a third file fills the time the
    // other two wait. Measured on the merged suite of session 10 (181 files, a helper's work
    // running beside it): 583 s with three, about 605 s with two (a run of 665 s less a
    // 120 s hang since fixed).
    maxWorkers: 3,
    // vitest's own order (largest files first on a clean clone). A longest-first order from
    // recorded durations was measured slower on the same commit (752 s against 692 s, session
    // 12): it ran the CLI- and terminal-driving files together, and they slowed each other.
    reporters: ['default'],
    // `slow`: a test left out of `npm run test:fast` (vitest.fast.config.ts, which leaves out whole
    // files by name) because of its own cost inside an otherwise fast file.
    tags: [{ name: 'slow', description: 'left out of npm run test:fast: costs seconds of CPU or a GiB of memory on its own' }],
  },
});
