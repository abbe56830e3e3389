/**
 * The hooks most restore tests of this folder share: a seeded source tenant and an empty
 * target in one emulator, and a temp directory, for the file's tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';

/** The source and target of a restore test, in one emulator, with the test's temp directory. */
export interface SourceAndTarget {
  dir: string;
  emu: EmulatorHandle;
  source: SeededTenant;
  target: SeededTenant;
}

/**
 * Registers a file's hooks: before its tests a temp directory (`prefix`), a seeded source
 * tenant of `users` users and an empty target (seed `targetSeed`, default `seed + 1`) in one
 * emulator, handed to `set`; after them the emulator closed and the directory removed.
 */
export function useSourceAndTarget(prefix: string, o: { seed: number; users: number; targetSeed?: number }, set: (f: SourceAndTarget) => void): void {
  let f: SourceAndTarget | undefined;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    const source = seedTenant({ seed: o.seed, users: o.users });
    const target = emptyTenant({ seed: o.targetSeed ?? o.seed + 1 });
    f = { dir, source, target, emu: await startEmulator({ port: 0, tenants: [source, target] }) };
    set(f);
  }, 60_000);
  afterAll(async () => {
    await f?.emu.close();
    if (f?.dir) await rm(f.dir, { recursive: true, force: true });
  });
}
