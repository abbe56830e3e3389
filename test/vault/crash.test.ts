/**
 * docs/reliability.md 10 for the vault: an import SIGKILLed at a random moment never leaves
 * the vault listing an archive without its signature or a partial file, and the next
 * write cleans up (temps, orphan signatures) or quarantines (unsigned archives).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InitKeysResult } from '../../src/crypto/keys.js';
import { loadSigningKey } from '../../src/crypto/keys.js';
import { appendAudit, importArchive, initVault, listVault, vaultAccounting, verifyAuditLog, verifyVault, AUDIT_HEAD } from '../../src/vault/vault.js';
import { cli } from '../cli/io.js';
import { keys, sampleUsers, tmp, writeSample, codeOf as code } from '../archive/helpers.js';

const T = '11111111-2222-3333-4444-555555555555';
const CHILD = fileURLToPath(new URL('./import-child.ts', import.meta.url));
let k: InitKeysResult;
const archives: string[] = [];

beforeAll(async () => {
  k = await keys(true);
  const staging = tmp();
  // several archives of a few hundred KiB, so a kill can land inside a copy
  for (let i = 0; i < 6; i++) {
    archives.push((await writeSample(k, { outDir: staging, takenAt: new Date(Date.UTC(2026, 0, 1 + i)), users: sampleUsers(3000) })).archivePath);
  }
}, 120_000);

async function freshVault(): Promise<string> {
  const v = join(tmp(), 'vault');
  await initVault(v, { signerPublicKey: k.signingPublicKeyPath });
  return v;
}

/** Runs the import child and SIGKILLs it `afterMs` after it says go (or lets it finish). */
function runChild(vault: string, files: string[], afterMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, vault, ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.stdout.once('data', () => {
      if (afterMs !== null) setTimeout(() => c.kill('SIGKILL'), afterMs);
    });
    c.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`import child failed (${code}): ${err}`));
    });
  });
}

/** The tenant's rollback mark (sequence.json), or 0 when there is none. */
function markOf(vault: string): number {
  const p = join(vault, T, 'sequence.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { highestSequence: number }).highestSequence : 0;
}

function names(vault: string): string[] {
  return existsSync(join(vault, T)) ? readdirSync(join(vault, T)) : [];
}

describe('vault import crash safety', () => {
  it('SIGKILL at random points: only signed, complete archives are ever listed; the next run cleans up', async () => {
    const v = await freshVault();
    let killed = 0;
    // deterministic "random" kill points spread over the imports
    const points = [3, 17, 41, 66, 90, 120, 8, 150, 33, 75];
    for (const ms of points) {
      if ((await runChild(v, archives, ms)) === 'killed') killed += 1;
      // what a reader sees right after the crash
      for (const l of await listVault(v)) {
        expect({ file: l.file, signature: l.signature, error: l.error }).toEqual({ file: l.file, signature: 'valid', error: undefined });
      }
      for (const n of names(v).filter((n) => n.endsWith('.evault'))) expect(names(v)).toContain(`${n}.minisig`);
      // the rollback mark is never below a listed archive, whatever the kill point (it is
      // raised before the archive is published)
      const listedSeqs = (await listVault(v)).map((l) => l.sequence ?? 0);
      if (listedSeqs.length > 0) expect(markOf(v)).toBeGreaterThanOrEqual(Math.max(...listedSeqs));
    }
    expect(killed).toBeGreaterThan(3);
    // the next run (no kill) finishes the job and cleans up after the killed ones
    expect(await runChild(v, archives, null)).toBe('finished');
    const left = names(v);
    expect(left.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(left.filter((n) => n.endsWith('.evault')).length).toBe(archives.length);
    for (const n of left.filter((n) => n.endsWith('.minisig'))) expect(left).toContain(n.slice(0, -'.minisig'.length));
    // a lock left by a killed import was taken over, and released at the end
    expect(existsSync(join(v, '.lock'))).toBe(false);
    const listed = await listVault(v);
    expect(listed.map((l) => l.signature)).toEqual(archives.map(() => 'valid'));
    await verifyAuditLog(v);
    // every archive is accounted for in the audit log exactly once (import or recovered)
    expect(await vaultAccounting(v)).toEqual({ recorded: [], raisedMarks: [] });
    const records = readFileSync(join(v, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; file?: string });
    for (const l of listed) {
      expect(records.filter((r) => (r.action === 'archive.import' || r.action === 'archive.recovered') && r.file === basename(l.file))).toHaveLength(1);
    }
  }, 180_000);

  it('an archive published without its mark and audit record (a killed older version) is reported by audit verify, recorded by vault verify, and the import can be retried', async () => {
    const v = await freshVault();
    const first = await importArchive(v, archives[0]!);
    const dir = join(v, T);
    // what a writer killed right after publishing left: the files, no sequence.json raise, no audit line
    const name = basename(first.archivePath).replace('20260101', '20260105');
    copyFileSync(archives[4]!, join(dir, name));
    copyFileSync(`${archives[4]!}.minisig`, join(dir, `${name}.minisig`));
    writeFileSync(join(v, '.audit.head.tmp-4194305-abcdef'), 'partial');
    expect(await vaultAccounting(v)).toEqual({ recorded: [`${T}/${name}`], raisedMarks: [T] });
    const before = markOf(v);
    // an older archive is still accepted by the stale mark: the hole item 6 of issue 13 describes
    expect(before).toBeLessThan((await listVault(v)).find((l) => l.file.endsWith(name))!.sequence!);

    for (const args of [['audit', 'verify', '--vault', v], ['vault', 'audit', 'verify', '--vault', v]]) {
      const audit = await cli(args);
      expect(audit.code).toBe(3);
      expect(audit.out).toContain(`${T}/${name}: in the vault but not in the audit log`);
      expect(audit.err).toContain('vault verify');
    }
    const r = await verifyVault(v);
    expect(r.reconciled).toEqual({ recorded: [`${T}/${name}`], raisedMarks: [T], repaired: true });
    expect(r.ok).toBe(true);
    expect(markOf(v)).toBeGreaterThan(before);
    expect(existsSync(join(v, '.audit.head.tmp-4194305-abcdef'))).toBe(false);
    expect(readFileSync(join(v, 'audit.log'), 'utf8')).toContain('"action":"archive.recovered"');
    expect(await vaultAccounting(v)).toEqual({ recorded: [], raisedMarks: [] });
    await verifyAuditLog(v);
    // now an archive older than the recovered one is a rollback
    expect(await code(importArchive(v, archives[2]!))).toBe('ROLLBACK');
    // and retrying the interrupted import itself is not FILE_EXISTS: the same bytes are
    // already there and recorded, so it is a no-op (no second record)
    const lines = readFileSync(join(v, 'audit.log'), 'utf8').trim().split('\n').length;
    const again = await importArchive(v, archives[4]!);
    expect(basename(again.archivePath)).toBe(name);
    expect(readFileSync(join(v, 'audit.log'), 'utf8').trim().split('\n').length).toBe(lines);
  });

  it('an archive left without its signature is quarantined (and logged) by the next import, an orphan signature removed', async () => {
    const v = await freshVault();
    const first = await importArchive(v, archives[0]!);
    const dir = join(v, T);
    const unsigned = basename(first.archivePath).replace('20260101', '20260102');
    const orphan = `${basename(first.archivePath).replace('20260101', '20260103')}.minisig`;
    // an older writer's crash between the renames / a removed signature
    copyFileSync(archives[1]!, join(dir, unsigned));
    // an import killed between publishing the signature and the archive
    copyFileSync(`${archives[2]!}.minisig`, join(dir, orphan));
    // a temp of a writer that no longer runs (pid 2^22 + 1 is above Linux's pid_max default)
    writeFileSync(join(dir, `.${basename(first.archivePath).replace('20260101', '20260104')}.tmp-4194305-abcdef`), 'partial');
    expect((await listVault(v)).map((l) => l.signature).sort()).toEqual(['missing', 'valid']);

    const second = await importArchive(v, archives[3]!);
    const left = readdirSync(dir).sort();
    expect(left.filter((n) => !n.startsWith('.') && n !== 'sequence.json')).toEqual(
      [first.archivePath, first.signaturePath, second.archivePath, second.signaturePath].map((p) => basename(p)).sort(),
    );
    expect(left.some((n) => n.includes('.tmp-'))).toBe(false);
    expect(readdirSync(join(dir, '.quarantine')).some((n) => n.startsWith(unsigned))).toBe(true);
    expect((await listVault(v)).map((l) => l.signature)).toEqual(['valid', 'valid']);
    const log = readFileSync(join(v, 'audit.log'), 'utf8');
    expect(log).toContain('"action":"archive.quarantined"');
    expect(log).toContain('"action":"recovery.orphanSignature"');
    await verifyAuditLog(v);
  });
});

describe('audit log head', () => {

  async function vaultWithLines(signed: boolean): Promise<string> {
    const v = await freshVault();
    const sk = signed ? await loadSigningKey(k.signingKeyPath) : undefined;
    for (let i = 0; i < 3; i++) await appendAudit(v, { action: 'backup', n: i }, sk ? { signingKey: sk } : {});
    return v;
  }

  const rewrite = (v: string, f: (lines: string[]) => string[]) => {
    const lines = readFileSync(join(v, 'audit.log'), 'utf8').trim().split('\n');
    writeFileSync(join(v, 'audit.log'), `${f(lines).join('\n')}\n`);
  };

  it('removing or editing the newest line is detected (no later line hashes it)', async () => {
    const v1 = await vaultWithLines(false);
    expect(await code(verifyAuditLog(v1))).toBe('OK');
    rewrite(v1, (l) => l.slice(0, -1));
    expect(await code(verifyAuditLog(v1))).toBe('AUDIT_CHAIN_BROKEN');

    const v2 = await vaultWithLines(false);
    rewrite(v2, (l) => [...l.slice(0, -1), l[l.length - 1]!.replace('"n":2', '"n":7')]);
    expect(await code(verifyAuditLog(v2))).toBe('AUDIT_CHAIN_BROKEN');

    const v3 = await vaultWithLines(false);
    writeFileSync(join(v3, AUDIT_HEAD), '');
    expect(await code(verifyAuditLog(v3))).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('a crash between the append and the head rewrite (log one line ahead) is accepted; two lines ahead is not', async () => {
    const v = await vaultWithLines(false);
    const head = readFileSync(join(v, AUDIT_HEAD), 'utf8');
    await appendAudit(v, { action: 'backup', n: 3 });
    writeFileSync(join(v, AUDIT_HEAD), head);
    expect(await code(verifyAuditLog(v))).toBe('OK');
    await appendAudit(v, { action: 'backup', n: 4 });
    await appendAudit(v, { action: 'backup', n: 5 });
    writeFileSync(join(v, AUDIT_HEAD), head);
    expect(await code(verifyAuditLog(v))).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('the signed checkpoint catches a truncation even when the attacker also rewrites audit.head', async () => {
    const v = await vaultWithLines(true);
    expect((await verifyAuditLog(v)).checkpoint).toBe(4);
    const head2 = readFileSync(join(v, AUDIT_HEAD), 'utf8');
    // recompute an unsigned head for the truncated log, as anyone with write access could
    rewrite(v, (l) => l.slice(0, -1));
    const lines = readFileSync(join(v, 'audit.log'), 'utf8').trim().split('\n');
    const { createHash } = await import('node:crypto');
    writeFileSync(join(v, AUDIT_HEAD), head2.replace(/"lines":\d+/, `"lines":${lines.length}`).replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${createHash('sha256').update(lines[lines.length - 1]!).digest('hex')}"`));
    expect(await code(verifyAuditLog(v))).toBe('AUDIT_CHAIN_BROKEN');
    // and a forged checkpoint is refused: its signature does not verify
    const cp = JSON.parse(readFileSync(join(v, 'audit.checkpoint'), 'utf8')) as { head: string; minisig: string };
    writeFileSync(join(v, 'audit.checkpoint'), JSON.stringify({ head: readFileSync(join(v, AUDIT_HEAD), 'utf8'), minisig: cp.minisig }));
    expect(await code(verifyAuditLog(v))).toBe('AUDIT_CHAIN_BROKEN');
  });
});
