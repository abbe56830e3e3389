/**
 * Issue 12 item 14, each sub-item a test: what the wizard says after going back to Unlock,
 * a damaged newest archive, which tenant an archive is of, which archive a vault check
 * failed on, next steps in wizard keys rather than CLI flags, who holds Global
 * Administrator after an all-admins-deleted restore, and a first frame at once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { KEY, mount, type Driver } from './harness.js';
import { toArchive, toConnect } from './journey.js';
import { ARCHIVES, FakeServices, IDENTITY, OTHER_TENANT, TENANT } from './fake-services.js';
import type { ArchiveInfo } from '../../tui/services.js';
import { newerArchiveOf, timeFromFileName, withShownTimes } from '../../tui/archive-rules.js';
import { custodyResult } from '../../tui/restore-scripts.js';
import { wizardHint } from '../../tui/hints.js';
import { globalAdminsAfter } from '../../tui/global-admins.js';
import { startNotice } from '../../tui/start-notice.js';
import { lazyServices } from '../../tui/lazy-services.js';
import type { TenantData } from '../../src/model.js';
import type { Operation } from '../../src/restore/types.js';
import { VaultError } from '../../src/errors.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: Parameters<typeof mount>[1] = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});



describe('issue 12 item 14a: back to Unlock after unlocking', () => {
  it('says with which key it is unlocked and continues on enter without asking again', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.press(KEY.esc);
    const frame = await d.waitFor('[Unlock]');
    expect(frame).toContain(`✓ Unlocked with the identity file ${IDENTITY}`);
    expect(frame).not.toContain('Identity file:');
    expect(frame).toContain('enter continue');
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual(['unlock identity']);
  });

  it('u asks for a key again (another identity file or the passphrase)', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.press(KEY.esc);
    await d.waitFor('[Unlock]');
    await d.press('u');
    const frame = await d.waitFor('Identity file:');
    expect(frame).not.toContain('✓ Unlocked');
    await d.type(`${IDENTITY}\r`);
    await d.waitFor('Connect to the target');
    expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual(['unlock identity', 'unlock identity']);
  });
});

describe('issue 12 item 14b: a damaged newest archive', () => {
  // As the real listing gives it (src/vault/vault.ts listVault): a signature that does not
  // verify leaves the signed header unread, so no time and no sequence; the vault's mark
  // still remembers the sequence and time it accepted.
  const mark = { sequence: 3, takenAt: '2025-03-03T03:00:00.000Z' };
  const damaged: ArchiveInfo = {
    path: `vault/${TENANT}/20250303T030000000Z.evault`,
    tenantId: TENANT,
    takenAt: '',
    counts: {},
    bytes: 5_400_000,
    signature: 'invalid',
    signatureProblem: 'SIGNATURE_INVALID',
    vaultMark: mark,
  };
  const good: ArchiveInfo = { ...ARCHIVES[1]!, sequence: 2, vaultMark: mark };

  it('reads the time of an archive file name (docs/archive-format.md §1)', () => {
    expect(timeFromFileName('vault/t/20260126T111500123Z.evault')).toBe('2026-01-26T11:15:00.123Z');
    expect(timeFromFileName('vault/t/2025-03-01T03-00-00Z.evault')).toBe('2025-03-01T03:00:00.000Z');
    expect(timeFromFileName('vault/t/junk.evault')).toBeNull();
    expect(timeFromFileName('vault/t/20261399T000000000Z.evault')).toBeNull();
  });

  it('a damaged archive older than a signed one (by its file name) is still the rollback it is', () => {
    const old = { ...damaged, path: `vault/${TENANT}/20250201T030000000Z.evault` };
    const list = withShownTimes([good, old]);
    expect(newerArchiveOf(list, list[1]!)?.path).toBe(good.path);
    // the vault's mark (sequence 3) is above the good archive's, and no damaged archive listed is newer: the mark's time is named
    expect(newerArchiveOf(list, list[0]!)).toMatchObject({ takenAt: mark.takenAt, path: expect.stringContaining('damaged or removed') });
  });

  it('is labelled damaged with the time from its file name, never older; the good one is the rollback', async () => {
    const d = start(new FakeServices({ archives: [good, damaged] }));
    await toArchive(d);
    const frame = d.frame();
    const rows = frame.split('\n');
    const damagedRow = rows.find((l) => l.includes('DAMAGED'));
    expect(damagedRow, frame).toBeDefined();
    expect(damagedRow).toMatch(/^ {2}2025-03-03 03:00Z {2}8f14e45f…/);
    expect(damagedRow).not.toContain('older');
    // newest first: the damaged archive's time from its name puts it first
    expect(rows.findIndex((l) => l.includes('DAMAGED'))).toBeLessThan(rows.findIndex((l) => l.includes('2025-03-01 03:00Z')));
    // the good archive is preselected and is the rollback (the vault accepted the damaged one's sequence)
    expect(rows.find((l) => l.includes('2025-03-01 03:00Z') && l.startsWith('›'))).toContain('· older');
    expect(frame).toContain('↺ Older than newest 2025-03-03 03:00Z');
    await d.press(KEY.up);
    const onDamaged = d.frame();
    expect(onDamaged).not.toContain('↺ Older');
    expect(onDamaged).toContain('2025-03-03 03:00Z (file name)');
    expect(onDamaged).toMatch(/✗ Damaged: its signature does not verify/);
    await d.press(KEY.right);
    const detail = await d.waitFor('Archive of 2025-03-03 03:00Z');
    expect(detail).not.toMatch(/Rollback/);
    expect(detail).toContain('file name: the signed header was not readable');
    expect(detail).toMatch(/damaged or\s+tampered/);
  });

  it('at 60×20 the damaged archive\'s detail shows its path whole on the first page', async () => {
    const d = start(new FakeServices({ archives: [good, damaged] }), { columns: 60, rows: 20 });
    await toArchive(d);
    await d.press(KEY.up, KEY.right);
    const detail = await d.waitFor('Archive of 2025-03-03 03:00Z');
    expect(detail.replace(/\s+/g, '')).toContain(damaged.path);
  });
});

describe('issue 12 item 14c: which tenant an archive is of', () => {
  // The signed header (the .minisig trusted comment, readable without the key) carries the
  // tenant id, time, sequence and manifest hash only (docs/archive-format.md §4); the
  // initial domain is in the encrypted manifest (§3), and no tenant name is anywhere.
  it('the list shows the whole tenant id where it fits, and the detail view says where the domain comes from', async () => {
    const d = start(new FakeServices(), { columns: 120, rows: 30 });
    await toArchive(d);
    const frame = d.frame();
    expect(frame.split('\n').find((l) => l.startsWith('›'))).toContain(TENANT);
    await d.press(KEY.right);
    const detail = await d.waitFor('Archive of 2025-03-01 03:00Z');
    expect(detail).toContain('Domain');
    expect(detail).toMatch(/not in the signed header/);
  });

  it('Confirm names the archive by its initial domain, read from its manifest when it was opened', async () => {
    const d = start(new FakeServices());
    await toConnect(d);
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor((f) => f.includes('[Plan]') && f.includes('operations on'));
    await d.press(KEY.enter);
    const frame = await d.waitFor('Confirm the target');
    expect(frame).toMatch(/Archive {2}contoso-dr\.onmicrosoft\.com, tenant\s+8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/);
  });
});

describe('issue 12 item 14d: Verify the vault names the archive that failed', () => {
  const mine = `vault/${TENANT}/20250301T030000000Z.evault`;
  const other = `vault/${OTHER_TENANT}/20250302T030000000Z.evault`;
  const checked = {
    ok: false,
    audit: { ok: true, lines: 12 },
    archives: [
      { file: mine, tenantId: TENANT, signature: 'valid' as const, bytes: 5_321_000, report: { entriesChecked: 31, entriesTotal: 31 } },
      { file: other, tenantId: OTHER_TENANT, signature: 'invalid' as const, error: 'SIGNATURE_INVALID', bytes: 5_345_000 },
    ],
  };

  it('custodyResult: the chosen archive passes; the other archive is named apart, not blamed on it', () => {
    const r = custodyResult(mine, checked, { exitCode: 1, stderr: '', script: '20-custody-check.sh' });
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.elsewhere).toEqual([`archive 20250302T030000000Z.evault of tenant ${OTHER_TENANT}: signature invalid (SIGNATURE_INVALID)`]);
  });

  it('custodyResult: the chosen archive failing is its own problem', () => {
    const bad = { ...checked, archives: [{ ...checked.archives[0]!, signature: 'invalid' as const, error: 'INTEGRITY' }, checked.archives[1]!] };
    const r = custodyResult(mine, bad, { exitCode: 1, stderr: '', script: '20-custody-check.sh' });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(['signature invalid: INTEGRITY']);
    expect(r.elsewhere).toHaveLength(1);
  });

  it('the report says the chosen archive passed and names the other archive that failed, exit 1', async () => {
    const f = new FakeServices({ verifyElsewhere: [`archive 20250302T030000000Z.evault of tenant ${OTHER_TENANT}: signature invalid (SIGNATURE_INVALID)`] });
    const d = start(f);
    await toArchive(d, 5);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.type(`${IDENTITY}\r`);
    const frame = await d.waitFor('[Report]');
    expect(frame).toContain('✓ This archive is intact and decrypts.');
    expect(frame).not.toContain('The archive failed verification');
    expect(frame).toMatch(/Elsewhere in the vault/);
    expect(frame).toContain('20250302T030000000Z.evault');
    await d.press(KEY.enter);
    expect(d.exits).toEqual([1]);
  });
});

describe('issue 12 item 14e: next steps in wizard keys, never CLI flags', () => {
  const CLI = /(^|[\s(`'"])--[a-z]|entra-vault [a-z]|\buse: /;

  it('a profile that is not there: the CLI hint (--source/--target) becomes what to press here', async () => {
    const d = start(new FakeServices());
    await toConnect(d);
    await d.type('missing.json\r');
    const frame = await d.waitFor('FILE_NOT_FOUND');
    // (the header line names the wizard itself)
    expect(frame.split('\n').slice(1).join('\n')).not.toMatch(CLI);
    expect(frame).toMatch(/ctrl-u/);
  });

  it('a rollback refused by the restore says to press o on the Archive step, not --allow-rollback', () => {
    const e = { code: 'ROLLBACK', message: 'archive sequence 7 is older than the newest seen', hint: 'to use an older archive on purpose, pass --allow-rollback REASON' };
    const hint = wizardHint(e, 'plan');
    expect(hint).not.toMatch(CLI);
    expect(hint).toMatch(/Archive step/);
    expect(hint).toMatch(/\bo\b/);
  });

  it('every hint with a flag or a command is replaced, per step; hints that name keys are kept', () => {
    const cli = [
      new VaultError('USAGE', 'resuming a restore needs the operator identity', 'pass --identity'),
      new VaultError('CONFIRM_MISMATCH', 'the typed tenant id does not match', 'type the target tenant id exactly: --confirm 8f14'),
      new VaultError('KEY_INVALID', 'not an identity', 'pass the identity.txt written by `entra-vault keys init`'),
      new VaultError('FILE_EXISTS', 'journal exists', 'resume it with --resume, or choose a new --journal path'),
      new VaultError('NO_TERMINAL', 'x', 'use: entra-vault restore ARCHIVE --target F'),
    ];
    for (const step of ['archive', 'unlock', 'connect', 'plan', 'confirm', 'execute', 'report'] as const) {
      for (const e of cli) {
        const h = wizardHint({ code: e.code, message: e.message, hint: e.hint }, step);
        expect(h, `${step} ${e.code}`).toBeTruthy();
        expect(h, `${step} ${e.code}`).not.toMatch(CLI);
      }
    }
    expect(wizardHint({ code: 'USAGE', message: 'x', hint: 'press r to plan the selection' }, 'plan')).toBe('press r to plan the selection');
    expect(wizardHint({ code: 'PASSPHRASE_WRONG', message: 'x', hint: 'check the passphrase and try again' }, 'unlock')).toBe('check the passphrase and try again');
  });
});

describe('issue 12 item 14f: who holds Global Administrator after an all-admins-deleted restore', () => {
  const ADMINS = ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com', 'dave@contoso.com', 'erin@contoso.com'];

  async function toReport(d: Driver): Promise<string> {
    await toConnect(d, 1);
    await d.type('target.json\r');
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor((f) => f.includes('[Plan]') && f.includes('operations on'));
    await d.press(KEY.enter);
    await d.waitFor('Confirm the target');
    await d.type(`${TENANT}\r`);
    await d.waitFor('LIVE RUN');
    await d.press(KEY.enter);
    return d.waitFor('[Report]');
  }

  it('the Report lists the Global Administrators restored, by UPN, and a detail view with all of them', async () => {
    const d = start(new FakeServices({ perfect: true, globalAdmins: { restored: ADMINS, notRestored: [] } }));
    const frame = await toReport(d);
    expect(frame).toContain('Global Administrator now held by (5): alice@contoso.com, bob@contoso.com,');
    for (const upn of ADMINS) expect(frame.replace(/\s+/g, ' ')).toContain(upn);
    expect(frame).toContain('a admins');
    await d.press('a');
    const detail = await d.waitFor('Global Administrators after the restore');
    for (const upn of ADMINS) expect(detail).toContain(upn);
    // the admins' lines never push the files off the Files view (the time per tier gives way)
    await d.press(KEY.esc);
    await d.waitFor('Global Administrator now held by');
    await d.press(KEY.tab, KEY.tab, KEY.tab);
    const files = await d.waitFor('Time per tier');
    expect(files).toMatch(/Credentials\s+out\/credentials\.age \(age-encrypted\)/);
  });

  it('a long credentials path is cut from the left, its (age-encrypted) note kept', async () => {
    const f = new FakeServices({ perfect: true, globalAdmins: { restored: ADMINS, notRestored: [] } });
    const long = `/tmp/ev-e2e-xxp0Xf/run-builtin/.entra-vault/restore-20261204T055417596Z/restore-credentials.age`;
    const execute = f.execute.bind(f);
    f.execute = async (plan, options) => ({ ...(await execute(plan, options)), credentialsPath: long });
    const d = start(f);
    await toReport(d);
    await d.press(KEY.tab, KEY.tab, KEY.tab);
    const files = await d.waitFor('Time per tier');
    expect(files).toMatch(/Credentials\s+…\S*20261204T055417596Z\/restore-credentials\.age \(age-encrypted\)/);
  });

  it('those not restored are named apart, in red words', async () => {
    const d = start(new FakeServices({ globalAdmins: { restored: ADMINS.slice(0, 3), notRestored: ADMINS.slice(3) }, failures: [{ label: 'restore deleted user dave@contoso.com', reason: '[GRAPH_FORBIDDEN] denied' }] }));
    const frame = await toReport(d);
    expect(frame).toContain('Global Administrator now held by (3)');
    expect(frame.replace(/\s+/g, ' ')).toContain('✗ Not restored as Global Administrator (2): dave@contoso.com, erin@contoso.com');
  });

  it('globalAdminsAfter reads them from the archive, the executed plan and its outcomes', () => {
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const archive: TenantData = {
      tenantId: TENANT,
      initialDomain: 'contoso.onmicrosoft.com',
      objects: {
        user: [
          { id: 'u1', userPrincipalName: 'alice@contoso.com' },
          { id: 'u2', userPrincipalName: 'bob@contoso.com' },
          { id: 'u3', userPrincipalName: 'carol@contoso.com' },
          { id: 'u4', userPrincipalName: 'nobody@contoso.com' },
        ],
        group: [{ id: 'g1', isAssignableToRole: true }],
        roleAssignment: [
          { id: 'ra1', roleDefinitionId: GA, principalId: 'u1', directoryScopeId: '/' },
          { id: 'ra2', roleDefinitionId: GA, principalId: 'g1', directoryScopeId: '/' },
        ],
      },
      relations: { groupMembers: [{ kind: 'groupMembers', from: 'g1', to: 'u2', toType: 'user' }, { kind: 'groupMembers', from: 'g1', to: 'u3', toType: 'user' }] },
    };
    const ops: Operation[] = [
      { opId: 'r1', tier: 2, dependsOn: [], label: 'restore alice', kind: 'restoreDeleted', type: 'user', archivedId: 'u1', deletedId: 'u1' },
      { opId: 'a1', tier: 3, dependsOn: ['r1'], label: 'GA to alice', kind: 'create', type: 'roleAssignment', archivedId: 'ra1', body: {}, refs: [] },
      { opId: 'r2', tier: 2, dependsOn: [], label: 'restore bob', kind: 'restoreDeleted', type: 'user', archivedId: 'u2', deletedId: 'u2' },
      { opId: 'm2', tier: 3, dependsOn: ['r2'], label: 'bob into g1', kind: 'addRelation', relation: 'groupMembers', from: 'g1', to: 'u2', toType: 'user' },
      { opId: 'r3', tier: 2, dependsOn: [], label: 'restore carol', kind: 'restoreDeleted', type: 'user', archivedId: 'u3', deletedId: 'u3' },
      { opId: 'm3', tier: 3, dependsOn: ['r3'], label: 'carol into g1', kind: 'addRelation', relation: 'groupMembers', from: 'g1', to: 'u3', toType: 'user' },
      { opId: 'v', tier: 5, dependsOn: [], label: 'verify', kind: 'verify' },
    ];
    const r = globalAdminsAfter(archive, { operations: ops, domainMap: { 'contoso.com': 'contoso-dr.onmicrosoft.com' } }, [
      { opId: 'r1', outcome: 'restored' },
      { opId: 'a1', outcome: 'created' },
      { opId: 'r2', outcome: 'restored' },
      { opId: 'm2', outcome: 'related' },
      { opId: 'r3', outcome: 'restored' },
      { opId: 'm3', outcome: 'failed' },
      { opId: 'v', outcome: 'verify' },
    ]);
    expect(r).toEqual({ restored: ['alice@contoso-dr.onmicrosoft.com', 'bob@contoso-dr.onmicrosoft.com'], notRestored: ['carol@contoso-dr.onmicrosoft.com'] });
  });
});

describe('issue 12 item 14g: something on screen at once', () => {
  it('the entry point writes a line before loading anything, ticking seconds, erased for the wizard', () => {
    vi.useFakeTimers();
    try {
      const out: string[] = [];
      let t = 0;
      const n = startNotice({ write: (s: string) => out.push(s) }, { now: () => t });
      expect(out).toEqual(['entra-vault: starting the recovery wizard, loading its tools …']);
      t = 2_000;
      vi.advanceTimersByTime(2_000);
      expect(out.at(-1)).toBe('\r\u001B[2Kentra-vault: starting the recovery wizard, loading its tools … 2 s');
      n.stop();
      n.stop();
      expect(out.at(-1)).toBe('\r\u001B[2K');
      const count = out.length;
      vi.advanceTimersByTime(5_000);
      expect(out.length).toBe(count);
    } finally {
      vi.useRealTimers();
    }
  });

  it('bin/entra-vault.js starts the notice before importing the CLI, and the wizard over services that load after its first frame', () => {
    const bin = readFileSync(new URL('../../bin/entra-vault.js', import.meta.url), 'utf8');
    expect(bin.indexOf('start-notice.js')).toBeGreaterThan(0);
    expect(bin.indexOf('start-notice.js')).toBeLessThan(bin.indexOf("import('../dist/src/cli/main.js')"));
    expect(bin).not.toMatch(/^import .*dist\/src\/cli\/main\.js/m);
    expect(bin).toMatch(/lazyServices\(/);
  });

  it('the first frame is drawn while the services still load; their first wait counts seconds, then the wizard goes on', async () => {
    let loads = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const fake = new FakeServices();
    const services = lazyServices(async () => {
      loads += 1;
      await gate;
      return fake;
    });
    const d = mount(services);
    drivers.push(d);
    const first = await d.waitFor('What happened?', 1000);
    expect(first).toContain('… looking for unfinished restores · 0 s');
    // real seconds: a loaded machine may skip a tick, any count above 0 will do
    await d.waitFor((f) => /looking for unfinished restores · [1-9]\d* s/.test(f), 15_000);
    expect(loads).toBe(1);
    release();
    await d.waitFor((f) => !f.includes('looking for unfinished restores'));
    await d.press(KEY.enter);
    await d.waitFor('Archives in');
    expect(fake.calls.slice(0, 2)).toEqual(['findUnfinishedJournal', 'listArchives vault']);
  }, 30_000);
});
