import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/archive/reader.js';
import { cleanupStaleTemps } from '../../src/fs/atomic.js';
import { keys, tmp } from './helpers.js';

const fixture = join(import.meta.dirname, 'fixtures', 'crash-writer.ts');

function runAndKill(args: string[], afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let t: NodeJS.Timeout | undefined;
    // the kill clock starts once the writer runs: start-up time under load is not writing time
    child.stdout.once('data', () => {
      t = setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', () => {
      if (t) clearTimeout(t);
      resolve();
    });
  });
}

describe('docs/reliability.md 10: SIGKILL while writing an archive', () => {
  it('never leaves a signature naming missing/partial data; the next run removes stale temps', async () => {
    const k = await keys(true);
    const out = tmp();
    const spool = tmp('ev-spool-');
    const tenantDir = join(out, 'crash-tenant');
    let sawTemp = false;
    for (let round = 0; round < 5; round++) {
      await runAndKill([out, spool, k.recipient, k.signingKeyPath], 100 + Math.floor(Math.random() * 2500));
      if (!existsSync(tenantDir)) continue;
      const names = readdirSync(tenantDir);
      if (names.some((n) => n.includes('.tmp-')) || readdirSync(spool).length > 0) sawTemp = true;
      for (const sig of names.filter((n) => n.endsWith('.evault.minisig') && !n.startsWith('.'))) {
        const archive = join(tenantDir, sig.slice(0, -'.minisig'.length));
        expect(existsSync(archive)).toBe(true);
        const r = await verifyArchive(archive, { signerPublicKey: k.signingPublicKeyPath, identity: k.identityPath, readData: true });
        expect(r.coverage).toBe(1);
      }
    }
    // the next run (here: its cleanup step) removes what killed writers left behind
    await cleanupStaleTemps(tenantDir);
    await cleanupStaleTemps(spool);
    expect(readdirSync(tenantDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(spool)).toEqual([]);
    process.stdout.write(`crash test: temps seen after a kill: ${sawTemp}; archives completed: ${readdirSync(tenantDir).filter((n) => n.endsWith('.minisig')).length}\n`);
  }, 120_000);
});
