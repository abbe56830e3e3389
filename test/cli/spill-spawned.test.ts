/**
 * The CLI's own process keeps its set-asides in the spill file (src/spill-file.ts, bin/entra-vault.js
 * `enableSpill`; issue 17 item 1): a drill spawned from the built CLI writes its set-asides there,
 * the file has no name in TMPDIR while it is used (only the process's descriptor reaches it), and
 * nothing of it is left after the process. Spawns dist/ (build first).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from './spawned.js';

/** The spill files pid `pid` holds open, as /proc shows their (unlinked) paths. */
function spillLinks(pid: number, dir: string): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const t = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return t.startsWith(join(dir, 'entra-vault-spill-')) ? [t] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

describe.runIf(process.platform === 'linux')('the CLI spills its set-asides', () => {
  it('a drill keeps them in a nameless file in TMPDIR, gone when it ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-spill-cli-'));
    try {
      const tmp = join(dir, 'tmp');
      const out = join(dir, 'drill');
      const memlog = join(dir, 'mem.jsonl');
      mkdirSync(tmp);
      const run = spawnCli(['drill', '--users', '30', '--out', out], { env: { TMPDIR: tmp, ENTRA_VAULT_MEMLOG: memlog } });
      const seen = new Set<string>();
      const poll = setInterval(() => {
        for (const l of spillLinks(run.child.pid!, tmp)) seen.add(l);
      }, 25);
      const code = await run.exit;
      clearInterval(poll);
      expect(code, run.err()).toBe(0);
      // open while it ran, without a name (that it has none from its first member on:
      // test/unit/spill-file.test.ts), and nothing of it left
      expect([...seen].filter((l) => /entra-vault-spill-\d+-[0-9a-f]{12} \(deleted\)$/.test(l)), run.err()).toHaveLength(1);
      expect(readdirSync(tmp).filter((n) => n.startsWith('entra-vault-spill-'))).toEqual([]);
      // the memory log says how much went there
      const lines = readFileSync(memlog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: string; spillMiB: number | null; spillFailure?: string });
      const last = lines.at(-1)!;
      expect(last.spillFailure).toBeUndefined();
      expect(last.spillMiB).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
