import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { RecordingReporter } from '../../src/progress.js';
import { runRestoreWith, type LiveReader, type PlanBuilder } from '../../src/ops/restore-pipeline.js';
import type { LiveState } from '../../src/restore/types.js';
import { FakeGraph } from '../restore/fake-graph.js';
import { FakeClock, fixturePlan, targetState } from '../restore/fixture-plan.js';

const emptyLive: LiveState = { tenantId: 'dst-tenant', initialDomain: 'contoso.example', objects: {}, relations: {}, deleted: {}, verifiedDomains: ['contoso.example'] };
const reader: LiveReader = async () => emptyLive;
const planner: PlanBuilder = () => fixturePlan();
const base = (g: FakeGraph, dir: string, reporter: RecordingReporter) => ({
  archive: { tenantId: 'src-tenant', initialDomain: 'contoso.example', objects: {}, relations: {} },
  archiveMeta: { tenantId: 'src-tenant', takenAt: '2026-01-01T00:00:00Z', manifestSha256: 'f'.repeat(64) },
  graph: g,
  targetTenantId: 'dst-tenant',
  scenario: 'tenant-loss' as const,
  journalPath: join(dir, 'restore.journal'),
  reporter,
  clock: new FakeClock(),
});

describe('runRestoreWith', () => {
  it('dry run (the default) returns the plan and makes zero mutating calls (docs/reliability.md 19)', async () => {
    const g = new FakeGraph(targetState());
    const r = await runRestoreWith(planner, reader, base(g, mkdtempSync(join(tmpdir(), 'ev-sc-')), new RecordingReporter()));
    expect(r.dryRun).toBe(true);
    expect(r.plan.operations.length).toBeGreaterThan(0);
    expect(g.writes).toBe(0);
  });

  it('a reader that tries to write during a dry run is stopped', async () => {
    const g = new FakeGraph(targetState());
    const sneaky: LiveReader = async (graph) => {
      await graph.post('/users', { displayName: 'x' });
      return emptyLive;
    };
    await expect(runRestoreWith(planner, sneaky, base(g, mkdtempSync(join(tmpdir(), 'ev-sc-')), new RecordingReporter()))).rejects.toThrow(/dry run attempted a mutating call/);
    expect(g.writes).toBe(0);
  });

  it('refuses to write without the typed target tenant id (CONFIRM_MISMATCH)', async () => {
    const g = new FakeGraph(targetState());
    const id = await generateX25519Identity();
    await expect(
      runRestoreWith(planner, reader, { ...base(g, mkdtempSync(join(tmpdir(), 'ev-sc-')), new RecordingReporter()), dryRun: false, confirmTenantId: 'src-tenant', credentialsRecipient: await identityToRecipient(id) }),
    ).rejects.toMatchObject({ code: 'CONFIRM_MISMATCH' });
    expect(g.writes).toBe(0);
  });

  it('executes, verifies, writes passwords only age-encrypted, and resumes the stored plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-sc-'));
    const g = new FakeGraph(targetState());
    const reporter = new RecordingReporter();
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const opts = { ...base(g, dir, reporter), dryRun: false, confirmTenantId: 'dst-tenant', credentialsRecipient: recipient, operatorIdentity: identity, enableConditionalAccess: true };
    const r = await runRestoreWith(planner, reader, opts);
    expect(r.execution?.failures).toEqual([]);
    expect(r.fidelity).toBeDefined();
    const file = r.credentialsFile as string;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const d = new Decrypter();
    d.addIdentity(identity);
    const creds = JSON.parse(await d.decrypt(readFileSync(file), 'text')) as { credentials: { userPrincipalName: string; temporaryPassword: string }[] };
    expect(creds.credentials.map((c) => c.userPrincipalName).sort()).toEqual(['alice@contoso.example', 'bg1@contoso.example', 'bob@contoso.example']);
    const journal = readFileSync(opts.journalPath, 'utf8');
    const events = JSON.stringify(reporter.events);
    for (const c of creds.credentials) {
      expect(readFileSync(file).toString('latin1')).not.toContain(c.temporaryPassword);
      expect(journal).not.toContain(c.temporaryPassword);
      expect(events).not.toContain(c.temporaryPassword);
    }
    // the stored plan is encrypted (no UPN in plaintext next to the journal)
    expect(readFileSync(`${opts.journalPath}.plan.age`).toString('latin1')).not.toContain('alice@contoso.example');
    // a second run without resume refuses the existing journal; with resume it continues the same plan and writes nothing
    await expect(runRestoreWith(planner, reader, opts)).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    const before = g.writes;
    // issue 13 item 10: a resume names the same archive, scenario and target, or is refused before any write
    const noPlan = () => { throw new Error('resume must not re-plan'); };
    const resumed = { ...opts, resume: true };
    await expect(runRestoreWith(noPlan, reader, { ...resumed, archiveMeta: { ...opts.archiveMeta, manifestSha256: 'e'.repeat(64) } })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH', message: expect.stringMatching(/another archive/) });
    await expect(runRestoreWith(noPlan, reader, { ...resumed, scenario: 'all-admins-deleted' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH', message: expect.stringMatching(/scenario \(tenant-loss, not all-admins-deleted\)/) });
    await expect(runRestoreWith(noPlan, reader, { ...resumed, targetTenantId: 'other-tenant', confirmTenantId: 'other-tenant' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH', message: expect.stringMatching(/target tenant \(dst-tenant, not other-tenant\)/) });
    expect(g.writes).toBe(before);
    const again = await runRestoreWith(noPlan, reader, resumed);
    expect(again.execution?.counts.resumed).toBeGreaterThan(0);
    expect(g.writes).toBe(before);
    // issue 12 item 4: one restore, one credentials file — the resume carried the first run's
    // passwords into its own file and took the restore's name back (no .2, .3 …)
    expect(again.credentialsFile).toBe(file);
    expect(readdirSync(dir).filter((n) => n.includes('.credentials.age'))).toEqual([basename(file)]);
    const d2 = new Decrypter();
    d2.addIdentity(identity);
    const merged = JSON.parse(await d2.decrypt(readFileSync(file), 'text')) as { credentials: { userPrincipalName: string; temporaryPassword: string }[] };
    expect(merged.credentials).toEqual(creds.credentials);
  });
});
