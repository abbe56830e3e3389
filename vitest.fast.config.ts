import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:fast`: the unit, property and vector tests, in-process, for the edit-test loop
 * (under a minute on a 2-core machine). `npm test` still runs every file and is what CI runs.
 *
 * Left out, measured per file on the full suite: the files that start child processes (the CLI
 * from dist/, the recovery scripts, tmux/pty, the stock age and minisign binaries, SIGKILLed
 * crash children), the end-to-end drills and restores, the tests that wait out Retry-After
 * delays, and the 16 MiB age vectors fed byte by byte. A new test file lands in the fast tier
 * unless it is named here: keep it fast or add it to this list. A single costly test inside an
 * otherwise fast file carries the `slow` tag instead (defined in vitest.config.ts; the
 * test:fast script passes --tags-filter='!slow'), e.g. archive.test.ts's production-strength
 * scrypt (minisign's 1 GiB key derivation: ~7 s CPU, and 60 s on a machine at load 20).
 */
export const SLOW = [
  // child processes: CLI, scripts, terminals, stock binaries
  'test/tui/services-real.test.ts',
  'test/tui/e2e-real.test.ts',
  'test/tui/entry.test.ts',
  'test/tui/pty.test.ts',
  'test/appliance/procedures.test.ts',
  'test/appliance/scripts.test.ts',
  'test/appliance/evidence.test.ts',
  'test/appliance/dockerfile.test.ts',
  'test/cli/workflow.test.ts',
  'test/crypto/interop.test.ts',
  'test/archive/spool.test.ts',
  'test/restore/credentials.test.ts',
  // crash tests: SIGKILL a child at a chosen moment, then resume
  'test/archive/crash.test.ts',
  'test/vault/crash.test.ts',
  'test/restore/executor-crash.test.ts',
  'test/ops/restore-emulator.test.ts',
  'test/ops/credentials-crash.test.ts',
  'test/ops/issue11-csa.test.ts',
  'test/ops/same-audit.test.ts',
  'test/cli/operator-errors.test.ts',
  'test/cli/interrupt.test.ts',
  'test/cli/verbosity.test.ts',
  'test/cli/passphrase-prompt.test.ts',
  'test/repo/readme-walk.test.ts',
  // end-to-end drills, throttling waits, large tenants
  'test/ops/drill.test.ts',
  'test/ops/drill-failed.test.ts',
  'test/security/no-secrets.test.ts',
  'test/snapshot/faults.test.ts',
  'test/emulator/faults.test.ts',
  'test/emulator/drill.test.ts',
  'test/ops/faults-restore.test.ts',
  'test/ops/relink-ca.test.ts',
  'test/ops/issue11-authstrength.test.ts',
  'test/oracle/oracle.test.ts',
  // drawn tenants written, backed up and restored several times (~25 s)
  'test/ops/random-tenant.test.ts',
  // 3 × 16 MiB one byte per chunk (~35 s)
  'test/crypto/cctv-age-large.test.ts',
];

// A renamed or moved slow file would otherwise fall silently into the fast tier.
const stale = SLOW.filter((f) => !existsSync(fileURLToPath(new URL(f, import.meta.url))));
if (stale.length > 0) throw new Error(`vitest.fast.config.ts names test files that do not exist: ${stale.join(', ')}`);

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...SLOW],
    },
  }),
);
