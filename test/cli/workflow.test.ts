/**
 * The command-line contract end to end on the emulator: keys → backup → vault list /
 * verify / import → plan → restore (dry run), with stdout carrying only results.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, memoryIo } from './io.js';
import { runCli } from '../../src/cli/main.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { planSha256 } from '../../src/ops/restore.js';
import { loadPlan, storePlan } from '../../src/ops/plan-store.js';
import { loadIdentity } from '../../src/crypto/age.js';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { Plan } from '../../src/restore/types.js';

describe('CLI workflow on the emulator', () => {
  let emu: EmulatorHandle;
  let dir: string;
  const source = seedTenant({ seed: 11, users: 40 });
  const target = emptyTenant({ seed: 12 });
  let archive = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-cli-wf-'));
    emu = await startEmulator({ port: 0, tenants: [source, target] });
    await emu.writeProfiles(source.tenantId, { readerPath: join(dir, 'src-reader.json'), writerPath: join(dir, 'src-writer.json') });
    await emu.writeProfiles(target.tenantId, { readerPath: join(dir, 'tgt-reader.json'), writerPath: join(dir, 'tgt-writer.json') });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('keys init, backup, list, verify', async () => {
    expect((await cli(['keys', 'init', '--dir', join(dir, 'keys'), '--x25519'])).code).toBe(0);
    // issue 16: a --vault that holds no vault is an error, before any Graph call, and creates nothing
    const typo = await cli(['backup', '--source', join(dir, 'src-reader.json'), '--vault', join(dir, 'vualt'),
      '--recipient', join(dir, 'keys', 'recipient.txt'), '--signing-key', join(dir, 'keys', 'signing.key')]);
    expect(typo.code, typo.err).toBe(5);
    expect(typo.err).toMatch(/\[VAULT_NOT_FOUND\]: no vault at .*vualt/);
    expect(typo.err).toMatch(/--init/);
    expect(existsSync(join(dir, 'vualt'))).toBe(false);
    const b = await cli(['backup', '--source', join(dir, 'src-reader.json'), '--vault', join(dir, 'vault'), '--init',
      '--recipient', join(dir, 'keys', 'recipient.txt'), '--signing-key', join(dir, 'keys', 'signing.key'), '--json']);
    expect(b.code, b.err).toBe(0);
    // stdout is exactly one JSON document: progress went to stderr
    const result = JSON.parse(b.out) as { archivePath: string; tenantId: string; counts: Record<string, number> };
    expect(result.tenantId).toBe(source.tenantId);
    expect(result.counts['objects/user']).toBe(source.objects.user?.length);
    expect(b.err).toContain('"kind":"progress"');
    archive = result.archivePath;

    const list = await cli(['vault', 'list', '--vault', join(dir, 'vault'), '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out) as { signature: string; tenantId: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ signature: 'valid', tenantId: source.tenantId });

    const custody = await cli(['verify', archive, '--json']);
    expect(custody.code).toBe(0);
    expect(JSON.parse(custody.out)).toMatchObject({ signatureValid: true, mode: 'custody' });
    const full = await cli(['verify', archive, '--identity', join(dir, 'keys', 'identity.txt'), '--read-data', '--json']);
    expect(full.code).toBe(0);
    const rep = JSON.parse(full.out) as { entriesChecked: number; entriesTotal: number; coverage: number };
    expect(rep.entriesChecked).toBe(rep.entriesTotal);
    expect(rep.coverage).toBe(1);
    // issue 16: `vault verify --identity` checks contents too (before: none, yet "vault verified")
    const vv = await cli(['vault', 'verify', '--vault', join(dir, 'vault'), '--identity', join(dir, 'keys', 'identity.txt'), '--json']);
    expect(vv.code, vv.err).toBe(0);
    const vrep = JSON.parse(vv.out) as { archives: { report?: { entriesChecked: number; entriesTotal: number } }[] };
    expect(vrep.archives[0]?.report?.entriesChecked).toBe(vrep.archives[0]?.report?.entriesTotal);
    expect(vrep.archives[0]?.report?.entriesChecked).toBeGreaterThan(0);
  });

  it('preflight: the wizard\'s Connect check as a command (exit 0 when ready, 1 when a permission is missing)', async () => {
    const ok = await cli(['preflight', '--target', join(dir, 'tgt-writer.json'), '--json']);
    expect(ok.code, ok.err).toBe(0);
    const p = JSON.parse(ok.out) as { tenantId: string; missing: string[]; state: string; permissionsNeeded: string[] };
    expect(p).toMatchObject({ tenantId: target.tenantId, missing: [], state: 'empty' });
    expect(p.permissionsNeeded.length).toBeGreaterThan(5);
    // the backup reader may read but not restore: the missing write permissions are listed
    const reader = await cli(['preflight', '--target', join(dir, 'src-reader.json')]);
    expect(reader.code).toBe(1);
    expect(reader.out).toContain('missing (grant and admin-consent them before a restore):');
    expect(reader.out).toContain('User.ReadWrite.All');
    expect(reader.out).toContain(`tenant ${source.tenantId}`);
  });

  it('a tampered copy is refused with exit 3 and nothing is imported', async () => {
    const bad = join(dir, 'tampered.evault');
    const bytes = await readFile(archive);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await writeFile(bad, bytes);
    await copyFile(`${archive}.minisig`, `${bad}.minisig`);
    const v = await cli(['verify', bad, '--signer', join(dir, 'keys', 'signing.pub')]);
    expect(v.code).toBe(3);
    expect(v.err).toContain('[SIGNATURE_INVALID]');
    expect((await cli(['vault', 'init', '--vault', join(dir, 'offline'), '--signer', join(dir, 'keys', 'signing.pub')])).code).toBe(0);
    const imp = await cli(['vault', 'import', bad, '--vault', join(dir, 'offline')]);
    expect(imp.code).toBe(3);
    expect(await readdir(join(dir, 'offline'))).not.toContain(source.tenantId);
    const good = await cli(['vault', 'import', archive, '--vault', join(dir, 'offline'), '--json']);
    expect(good.code, good.err).toBe(0);
    expect((await cli(['vault', 'audit', 'verify', '--vault', join(dir, 'offline')])).code).toBe(0);
  });

  it('plan prints a JSON plan and restore without --confirm writes nothing', async () => {
    const common = ['--target', join(dir, 'tgt-writer.json'), '--identity', join(dir, 'keys', 'identity.txt'), '--scenario', 'tenant-loss'];
    const ctl = emu.tenant(target.tenantId);
    ctl.resetStats();
    const textOut = join(dir, 'plan.txt');
    const p = await cli(['plan', archive, ...common, '--json', '--text-out', textOut]);
    expect(p.code, p.err).toBe(0);
    const plan = JSON.parse(p.out) as Plan;
    expect(plan.scenario).toBe('tenant-loss');
    expect(plan.operations.length).toBeGreaterThan(source.objects.user?.length ?? 0);
    // --text-out: the same plan as text, for a person, ending with the JSON plan's hash
    const text = await readFile(textOut, 'utf8');
    expect(text.trimEnd().split('\n').at(-1)).toBe(`plan sha256 ${planSha256(plan)} (restore --expect-plan refuses any other plan)`);
    const r = await cli(['restore', archive, ...common, '--journal', join(dir, 'j.journal')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('dry run: nothing was written');
    expect(ctl.stats().mutating).toBe(0);
    const wrong = await cli(['restore', archive, ...common, '--journal', join(dir, 'j2.journal'), '--confirm', 'not-the-tenant']);
    expect(wrong.code).toBe(5);
    expect(wrong.err).toContain('[CONFIRM_MISMATCH]');
    expect(ctl.stats().mutating).toBe(0);
  });

  it('plan --diff-out --runbook-out: the diff and the runbook of the plan shown, from one read of the target (what diff and runbook print), nothing written', async () => {
    const common = ['--target', join(dir, 'tgt-writer.json'), '--identity', join(dir, 'keys', 'identity.txt'), '--scenario', 'tenant-loss'];
    const ctl = emu.tenant(target.tenantId);
    const out = join(dir, 'one-read');
    await mkdir(out, { recursive: true });
    ctl.resetStats();
    const p = await cli(['plan', archive, ...common, '--json', '--diff-out', join(out, 'diff.json'), '--runbook-out', join(out, 'runbook.md'), '--runbook-html', '--contact', 'Incident lead: Ada', '--text-out', join(out, 'plan.txt')]);
    expect(p.code, p.err).toBe(0);
    // one read of the target: as many GETs as a plan alone makes, and no write
    const oneRead = ctl.stats();
    expect(oneRead.mutating).toBe(0);
    ctl.resetStats();
    const alone = await cli(['plan', archive, ...common, '--json']);
    expect(alone.code, alone.err).toBe(0);
    expect(oneRead.requests).toBe(ctl.stats().requests);
    const plan = JSON.parse(p.out) as Plan;
    expect(planSha256(JSON.parse(alone.out) as Plan)).toBe(planSha256(plan));
    // the diff is what `diff --json` prints of the same target
    const d = await cli(['diff', archive, ...common, '--json']);
    expect(d.code, d.err).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'diff.json'), 'utf8'))).toEqual(JSON.parse(d.out));
    // the runbook is what `runbook --target` writes, but of the plan shown (only its generation time differs)
    const rb = await cli(['runbook', archive, ...common, '--contact', 'Incident lead: Ada', '--out', join(out, 'runbook-alone.md'), '--html']);
    expect(rb.code, rb.err).toBe(0);
    const undated = (s: string) => s.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, 'T');
    const md = await readFile(join(out, 'runbook.md'), 'utf8');
    expect(md).toContain('Incident lead: Ada');
    expect(md).toContain(`${plan.operations.length}`);
    expect(undated(md)).toBe(undated(await readFile(join(out, 'runbook-alone.md'), 'utf8')));
    expect(undated(await readFile(join(out, 'runbook.html'), 'utf8'))).toBe(undated(await readFile(join(out, 'runbook-alone.html'), 'utf8')));
    // a plan refused as changed writes none of them
    const refused = join(dir, 'one-read-refused');
    await mkdir(refused, { recursive: true });
    const changed = await cli(['plan', archive, ...common, '--json', '--expect-plan', '0'.repeat(64), '--diff-out', join(refused, 'diff.json'), '--runbook-out', join(refused, 'runbook.md'), '--text-out', join(refused, 'plan.txt')]);
    expect(changed.code).toBe(6);
    expect(changed.err).toContain('[PLAN_CHANGED]');
    expect(await readdir(refused)).toEqual([]);
    // runbook options without --runbook-out, and a runbook of an archive whose bad signature was accepted, are refused
    const lone = await cli(['plan', archive, ...common, '--runbook-html']);
    expect(lone.code).toBe(2);
    expect(lone.err).toContain('--runbook-out');
    const unsigned = await cli(['plan', archive, ...common, '--runbook-out', join(refused, 'runbook.md'), '--allow-bad-signature', 'lost key']);
    expect(unsigned.code).toBe(2);
    expect(unsigned.err).toContain('[USAGE]');
    expect(await readdir(refused)).toEqual([]);
    expect(ctl.stats().mutating).toBe(0);
  });

  it('a bad signature is refused unless overridden with a reason, which the audit log records', async () => {
    const tenantDir = join(dir, 'vault', source.tenantId);
    const copy = join(tenantDir, '20260101T000000000Z.evault');
    await copyFile(archive, copy);
    const sig = await readFile(`${archive}.minisig`, 'utf8');
    // a signature by another key: valid format, wrong signer
    const lines = sig.split('\n');
    const raw = Buffer.from(lines[1]!, 'base64');
    raw[10] ^= 0xff;
    lines[1] = raw.toString('base64');
    await writeFile(`${copy}.minisig`, lines.join('\n'));
    const common = ['--target', join(dir, 'tgt-writer.json'), '--identity', join(dir, 'keys', 'identity.txt'), '--json'];
    const refused = await cli(['plan', copy, ...common]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/\[SIGNATURE_INVALID\]/);
    const ok = await cli(['plan', copy, ...common, '--allow-bad-signature', 'signing key lost in the incident; hashes checked by hand']);
    expect(ok.code, ok.err).toBe(0);
    const audit = await readFile(join(dir, 'vault', 'audit.log'), 'utf8');
    const last = audit.trim().split('\n').filter((l) => l.includes('signature.override'));
    expect(last).toHaveLength(1);
    expect(last[0]).toContain('signing key lost in the incident');
    expect((await cli(['vault', 'audit', 'verify', '--vault', join(dir, 'vault')])).code).toBe(0);
  });

  it('procedure run executes the documented script literally and records its SHA-256', async () => {
    const list = await cli(['procedure', 'list', '--json']);
    expect(list.code).toBe(0);
    const procs = JSON.parse(list.out) as { name: string; sha256: string }[];
    expect(procs.map((p) => p.name)).toContain('00-prepare-source-tenant.sh');
    const out = join(dir, 'checklist.md');
    const hostile = 'Contoso $(touch /tmp/ev-pwned-cli); `id`';
    const r = await cli(['procedure', 'run', '00-prepare-source-tenant.sh', '--vault', join(dir, 'vault'), '--',
      '--out', out, '--tenant-domain', 'contoso.onmicrosoft.com', '--organization', hostile]);
    expect(r.code, r.err).toBe(0);
    expect(await readFile(out, 'utf8')).toContain(hostile);
    await expect(readFile('/tmp/ev-pwned-cli')).rejects.toThrow();
    const audit = (await readFile(join(dir, 'vault', 'audit.log'), 'utf8')).trim().split('\n');
    const rec = JSON.parse(audit[audit.length - 1]!) as { action: string; script: string; sha256: string; exitCode: number };
    expect(rec).toMatchObject({ action: 'procedure.run', script: '00-prepare-source-tenant.sh', exitCode: 0 });
    expect(rec.sha256).toBe(procs.find((p) => p.name === '00-prepare-source-tenant.sh')!.sha256);
    // recorded before it ran too: a run killed with its caller still leaves a trace
    const start = JSON.parse(audit[audit.length - 2]!) as { action: string; sha256: string; startedAt: string };
    expect(start).toMatchObject({ action: 'procedure.start', script: '00-prepare-source-tenant.sh', sha256: rec.sha256 });
  });

  it('a restore stopped by a signal pauses, and --resume finishes it without duplicates', async () => {
    const fresh = emptyTenant({ seed: 13 });
    emu.addTenant(fresh);
    await emu.writeProfiles(fresh.tenantId, { readerPath: join(dir, 'f-reader.json'), writerPath: join(dir, 'f-writer.json') });
    const ctl = emu.tenant(fresh.tenantId);
    // slow writes keep the run going until the stop; the target read before them is not slowed
    ctl.setFaults({ writeLatencyMs: 15 });
    const args = ['restore', archive, '--target', join(dir, 'f-writer.json'), '--identity', join(dir, 'keys', 'identity.txt'),
      '--scenario', 'tenant-loss', '--journal', join(dir, 'resume.journal'), '--credentials-out', join(dir, 'resume-creds.age'),
      '--confirm', fresh.tenantId];
    const stop = new AbortController();
    const t = memoryIo();
    const running = runCli(args, { ...t.io, signal: stop.signal });
    // stop once some writes have happened
    while (ctl.stats().mutating < 10) await new Promise((r) => setTimeout(r, 20));
    stop.abort(new Error('operator pressed Ctrl-C'));
    const first = await running;
    expect(first, t.err()).toBe(1);
    expect(t.out()).toContain('PAUSED');
    const writesBefore = ctl.stats().mutating;
    ctl.setFaults({});
    // a plan put in place of the stored one by someone who can write beside the journal: encrypted
    // to the operator's (public) recipient, but tagged without the operator's identity (exit 3)
    const stored = join(dir, 'resume.journal.plan.age');
    const operator = (await loadIdentity(join(dir, 'keys', 'identity.txt')))[0]!;
    await copyFile(stored, `${stored}.kept`);
    await storePlan(stored, (await loadPlan(stored, operator)).plan, await identityToRecipient(operator), await generateX25519Identity());
    const forged = await cli([...args, '--resume']);
    expect(forged.code, forged.err).toBe(3);
    expect(forged.err).toMatch(/SIGNATURE_INVALID.*not stored by a restore holding this identity/);
    expect(forged.err.trim().split('\n')).toHaveLength(1);
    expect(ctl.stats().mutating).toBe(writesBefore);
    await copyFile(`${stored}.kept`, stored);
    const resumed = await cli([...args, '--resume']);
    // finished; 1 because the seeded custom domain is a deviation (0 only when everything came back)
    expect(resumed.code, resumed.err).toBe(1);
    expect(resumed.out).toMatch(/restore finished: 0 failures/);
    expect(ctl.stats().mutating).toBeGreaterThan(writesBefore);
    const users = ctl.exportState().data.objects.user ?? [];
    const upns = users.map((u) => String(u.userPrincipalName).toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    // every cloud-only source user is there once
    const cloudOnly = (source.objects.user ?? []).filter((u) => u.onPremisesSyncEnabled !== true);
    for (const u of cloudOnly) {
      const local = String(u.userPrincipalName).split('@')[0]!.toLowerCase();
      expect(upns.filter((x) => x.startsWith(`${local}@`)), local).toHaveLength(1);
    }
  });
});
