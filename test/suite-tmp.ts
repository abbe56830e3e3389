/**
 * vitest globalSetup: every temporary file of a test run lives under one directory made for the
 * run, and the run removes it at its end, passing or failing. Tests make keys, identities,
 * credential spools and archives under os.tmpdir(); before this, each run left thousands of
 * directories in /tmp, private keys among them (docs/engineering.md "Tests").
 * Set ENTRA_VAULT_KEEP_TEST_TMP=1 to keep the directory for a post-mortem; its path is printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'ev-suite-'));
  // forks inherit the environment; os.tmpdir() reads TMPDIR on every call
  process.env.TMPDIR = root;
  return () => {
    if (process.env.ENTRA_VAULT_KEEP_TEST_TMP === '1') {
      process.stderr.write(`test files kept in ${root}\n`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}
