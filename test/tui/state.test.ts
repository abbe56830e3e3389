import { describe, expect, it } from 'vitest';
import {
  archiveAccepted,
  blockedReason,
  newerArchiveOf,
  overrideNeeds,
  confirmationMatches,
  initialState,
  preselectArchive,
  reduce,
  restoreScenarioOf,
  stepsOf,
  LOG_LIMIT,
  type Action,
  type WizardState,
} from '../../tui/state.js';
import { ARCHIVES, DOMAIN, JOURNAL, NEEDED, ROLLBACK_ARCHIVES, TENANT, fakePlan } from './fake-services.js';
import type { Preflight } from '../../tui/services.js';

const run = (actions: Action[], from: WizardState = initialState()): WizardState => actions.reduce(reduce, from);

const preflight = (missing: string[] = []): Preflight => ({
  tenantId: TENANT,
  initialDomain: DOMAIN,
  label: 'target',
  permissionsNeeded: NEEDED,
  permissionsHeld: NEEDED.filter((p) => !missing.includes(p)),
  missing,
  state: 'noAdmins',
});

const toConnect: Action[] = [
  { type: 'scenarioChosen', scenario: 'tenant-loss' },
  { type: 'archivesLoaded', archives: ARCHIVES },
  { type: 'archiveChosen', archive: ARCHIVES[1]! },
  { type: 'unlocked' },
];

describe('wizard state machine', () => {
  it('walks the restore steps forward in order', () => {
    const s = run([
      ...toConnect,
      { type: 'connected', target: { profilePath: 'target.json' }, preflight: preflight() },
      { type: 'next' },
      { type: 'planned', result: { plan: fakePlan('tenant-loss') }, selection: null },
      { type: 'next' },
    ]);
    expect(s.step).toBe('confirm');
    expect(stepsOf(s)).toEqual(['scenario', 'archive', 'unlock', 'connect', 'plan', 'confirm', 'execute', 'report']);
  });

  it('verify-vault has its own, shorter path', () => {
    const s = run([{ type: 'scenarioChosen', scenario: 'verify-vault' }]);
    expect(s.mode).toBe('verify');
    expect(stepsOf(s)).toEqual(['scenario', 'archive', 'unlock', 'execute', 'report']);
    const after = run([{ type: 'archiveChosen', archive: ARCHIVES[1]! }, { type: 'unlocked' }], s);
    expect(after.step).toBe('execute');
  });

  it('refuses an archive with a bad or missing signature unless a reason is given', () => {
    const base = run([{ type: 'scenarioChosen', scenario: 'objects' }, { type: 'archivesLoaded', archives: ARCHIVES }]);
    const refused = reduce(base, { type: 'archiveChosen', archive: ARCHIVES[0]! });
    expect(refused.step).toBe('archive');
    expect(refused.archive).toBeNull();
    expect(refused.error?.code).toBe('SIGNATURE_INVALID');
    const unsigned = reduce(base, { type: 'archiveChosen', archive: ARCHIVES[2]!, overrideReason: '   ' });
    expect(unsigned.error?.code).toBe('SIGNATURE_MISSING');
    expect(unsigned.step).toBe('archive');
    const overridden = reduce(base, { type: 'archiveChosen', archive: ARCHIVES[0]!, overrideReason: ' only copy left ' });
    expect(overridden.step).toBe('unlock');
    expect(overridden.overrideReason).toBe('only copy left');
  });

  it('issue 12 item 5: below the vault\'s rollback mark with the newer archive damaged (no readable time) or gone, choosing it still asks for a reason', () => {
    const good = { ...ROLLBACK_ARCHIVES[1]!, sequence: 100, vaultMark: { sequence: 200, takenAt: '2025-03-02T03:00:00.000Z' } };
    const damaged = { ...ROLLBACK_ARCHIVES[0]!, takenAt: '', signature: 'invalid' as const, vaultMark: good.vaultMark };
    for (const listing of [[damaged, good], [good]]) {
      const newer = newerArchiveOf(listing, good);
      expect(newer?.takenAt).toBe('2025-03-02T03:00:00.000Z');
      const base = run([{ type: 'scenarioChosen', scenario: 'tenant-loss' }, { type: 'archivesLoaded', archives: listing }]);
      const refused = reduce(base, { type: 'archiveChosen', archive: good });
      expect(refused.step).toBe('archive');
      expect(refused.archive).toBeNull();
    }
    // at the mark: the newest, no reason
    expect(newerArchiveOf([good], { ...good, sequence: 200 })).toBeNull();
  });

  it('an archive older than the newest of its tenant cannot be chosen without a reason; with one it can; the newest needs none', () => {
    const [newest, older] = [ROLLBACK_ARCHIVES[0]!, ROLLBACK_ARCHIVES[1]!];
    const base = run([{ type: 'scenarioChosen', scenario: 'tenant-loss' }, { type: 'archivesLoaded', archives: ROLLBACK_ARCHIVES }]);
    expect(newerArchiveOf(ROLLBACK_ARCHIVES, older)?.path).toBe(newest.path);
    expect(newerArchiveOf(ROLLBACK_ARCHIVES, newest)).toBeNull();

    const refused = reduce(base, { type: 'archiveChosen', archive: older });
    expect(refused.step).toBe('archive');
    expect(refused.archive).toBeNull();
    expect(refused.error?.code).toBe('ROLLBACK');
    expect(refused.error?.message).toContain('2025-03-02T03:00:00Z');
    expect(reduce(base, { type: 'archiveChosen', archive: older, overrideReason: '  \t ' }).error?.code).toBe('ROLLBACK');
    // nothing chosen, so next cannot leave the step either
    expect(reduce(refused, { type: 'next' }).step).toBe('archive');

    const taken = reduce(base, { type: 'archiveChosen', archive: older, overrideReason: ' 03-02 already holds the attacker\'s changes ' });
    expect(taken.step).toBe('unlock');
    expect(taken.rollbackReason).toBe("03-02 already holds the attacker's changes");
    // the signature is valid: the Unlock step's "Signature overridden" line stays off
    expect(taken.overrideReason).toBeNull();
    expect(archiveAccepted(taken, older)).toBe(true);
    // back on the Archive step the choice stands and next goes on
    const back = reduce(taken, { type: 'back' });
    expect(back.step).toBe('archive');
    expect(blockedReason(back)).toBeNull();

    const newestTaken = reduce(base, { type: 'archiveChosen', archive: newest });
    expect(newestTaken.step).toBe('unlock');
    expect(newestTaken.rollbackReason).toBeNull();
    expect(newestTaken.error).toBeNull();

    // switching from the older (with a reason) to the newest drops the reason
    const switched = reduce(reduce(taken, { type: 'back' }), { type: 'archiveChosen', archive: newest });
    expect(switched.rollbackReason).toBeNull();
  });

  it('one reason covers an archive that is both unsigned and older; another tenant\'s newer archive does not count', () => {
    const base = run([{ type: 'scenarioChosen', scenario: 'objects' }, { type: 'archivesLoaded', archives: ARCHIVES }]);
    // ARCHIVES[0] is newer but of another tenant: the valid 03-01 archive is its tenant's newest
    expect(overrideNeeds(base, ARCHIVES[1]!)).toEqual({ signature: false, rollback: null });
    expect(overrideNeeds(base, ARCHIVES[2]!)).toMatchObject({ signature: true, rollback: { path: ARCHIVES[1]!.path } });
    const refused = reduce(base, { type: 'archiveChosen', archive: ARCHIVES[2]! });
    expect(refused.error?.code).toBe('SIGNATURE_MISSING');
    expect(refused.error?.hint).toContain('one reason covers both');
    const both = reduce(base, { type: 'archiveChosen', archive: ARCHIVES[2]!, overrideReason: 'only copy before the breach' });
    expect(both.step).toBe('unlock');
    expect([both.overrideReason, both.rollbackReason]).toEqual(['only copy before the breach', 'only copy before the breach']);
  });

  it('verifying an older archive writes nothing and needs no rollback reason', () => {
    const s = run([
      { type: 'scenarioChosen', scenario: 'verify-vault' },
      { type: 'archivesLoaded', archives: ROLLBACK_ARCHIVES },
      { type: 'archiveChosen', archive: ROLLBACK_ARCHIVES[1]! },
    ]);
    expect(s.step).toBe('unlock');
    expect(s.rollbackReason).toBeNull();
  });

  it('preselects the newest archive whose signature is valid', () => {
    expect(preselectArchive(ARCHIVES)).toBe(1);
    const newerValid = [...ARCHIVES, { ...ARCHIVES[1]!, path: 'x', takenAt: '2025-04-01T00:00:00Z' }];
    expect(preselectArchive(newerValid)).toBe(3);
    expect(preselectArchive([ARCHIVES[2]!, ARCHIVES[0]!])).toBe(1);
    expect(preselectArchive([])).toBe(-1);
  });

  it('preselects nothing when signed archives of two tenants are listed (issue 12 item 2)', () => {
    // the OTHER_TENANT archive in ARCHIVES is badly signed: made valid, the vault holds two tenants
    const twoTenants = ARCHIVES.map((a, i) => (i === 0 ? { ...a, signature: 'valid' as const } : a));
    expect(preselectArchive(twoTenants)).toBe(-1);
    // the same tenant id written in another case is one tenant
    const oneTenant = [ARCHIVES[1]!, { ...ARCHIVES[1]!, path: 'y', tenantId: ARCHIVES[1]!.tenantId.toUpperCase(), takenAt: '2025-04-01T00:00:00Z' }];
    expect(preselectArchive(oneTenant)).toBe(1);
  });

  it('blocks on the Connect step while permissions are missing', () => {
    const s = run([
      ...toConnect,
      { type: 'connected', target: { profilePath: 'readonly.json' }, preflight: preflight(['User.ReadWrite.All']) },
      { type: 'next' },
    ]);
    expect(s.step).toBe('connect');
    expect(blockedReason(s)).toBe('missing permissions: User.ReadWrite.All');
    const fixed = run([{ type: 'connected', target: { profilePath: 'target.json' }, preflight: preflight() }, { type: 'next' }], s);
    expect(fixed.step).toBe('plan');
  });

  it('keeps the run a dry run unless the typed text names the target', () => {
    expect(confirmationMatches(TENANT.toUpperCase(), { tenantId: TENANT, initialDomain: DOMAIN })).toBe(true);
    expect(confirmationMatches(`  ${DOMAIN} `, { tenantId: TENANT, initialDomain: DOMAIN })).toBe(true);
    expect(confirmationMatches(TENANT.slice(0, -1), { tenantId: TENANT, initialDomain: DOMAIN })).toBe(false);
    expect(confirmationMatches('', { tenantId: TENANT, initialDomain: DOMAIN })).toBe(false);
    expect(confirmationMatches('contoso', { tenantId: TENANT, initialDomain: DOMAIN })).toBe(false);
  });

  it('moves back and forward without losing what was chosen', () => {
    const s = run([...toConnect, { type: 'back' }, { type: 'back' }]);
    expect(s.step).toBe('archive');
    expect(s.archive?.path).toBe(ARCHIVES[1]!.path);
    const forward = run([{ type: 'next' }, { type: 'next' }], s);
    expect(forward.step).toBe('connect');
    expect(reduce(initialState(), { type: 'back' }).step).toBe('scenario');
  });

  it('choosing another archive forgets the unlock and the plan', () => {
    const s = run([
      ...toConnect,
      { type: 'back' },
      { type: 'back' },
      { type: 'archiveChosen', archive: { ...ARCHIVES[1]!, path: 'other.evault' } },
    ]);
    expect(s.unlocked).toBe(false);
    expect(s.planResult).toBeNull();
  });

  it('issue 12 item 8: a mismatch asks again (no confirmation, nothing to start); a dry run is a choice, never in resume mode', () => {
    const atConfirm = run([
      ...toConnect,
      { type: 'connected', target: { emulator: true }, preflight: preflight() },
      { type: 'next' },
      { type: 'planned', result: { plan: fakePlan('tenant-loss') }, selection: null },
      { type: 'next' },
    ]);
    const typo = reduce(atConfirm, { type: 'confirmed', typed: 'nope' });
    expect(typo.confirmation).toBeNull();
    expect(typo.confirmMismatch).toBe('nope');
    expect(reduce(typo, { type: 'next' }).step).toBe('confirm');
    expect(reduce(typo, { type: 'dryRunChosen' }).confirmation).toEqual({ typed: '', matches: false });
    expect(reduce({ ...typo, mode: 'resume' }, { type: 'dryRunChosen' }).confirmation).toBeNull();
  });

  it('cannot go back while a run is in progress or after it', () => {
    const s = run([
      ...toConnect,
      { type: 'connected', target: { emulator: true }, preflight: preflight() },
      { type: 'next' },
      { type: 'planned', result: { plan: fakePlan('tenant-loss') }, selection: null },
      { type: 'next' },
      { type: 'confirmed', typed: 'nope' },
      { type: 'dryRunChosen' },
      { type: 'next' },
      { type: 'runStarted' },
      { type: 'back' },
    ]);
    expect(s.step).toBe('execute');
    expect(s.confirmation).toEqual({ typed: '', matches: false });
    expect(reduce(s, { type: 'pauseRequested' }).run.pausing).toBe(true);
  });

  it('offers to resume an unfinished journal, or starts fresh', () => {
    const offered = reduce(initialState(), { type: 'journalChecked', journal: JOURNAL });
    expect(offered.step).toBe('resume');
    expect(stepsOf(offered)).toEqual(['resume', 'unlock', 'connect', 'confirm', 'execute', 'report']);
    const resumed = reduce(offered, { type: 'resumeAnswered', resume: true });
    expect(resumed.step).toBe('unlock');
    expect(resumed.scenario).toBe('tenant-loss');
    const fresh = reduce(offered, { type: 'resumeAnswered', resume: false });
    expect(fresh.step).toBe('scenario');
    expect(fresh.journal).toBeNull();
  });

  it('refuses to resume on a different tenant than the journal', () => {
    const s = run([
      { type: 'journalChecked', journal: { ...JOURNAL, targetTenantId: 'another-tenant' } },
      { type: 'resumeAnswered', resume: true },
      { type: 'unlocked' },
      { type: 'connected', target: { profilePath: 'target.json' }, preflight: preflight() },
      { type: 'next' },
    ]);
    expect(s.step).toBe('connect');
    // issue 12 item 7: refused at Connect itself, with the right code, and another profile can be chosen
    expect(s.error?.code).toBe('JOURNAL_MISMATCH');
    expect(s.error?.message).toContain('another-tenant');
    expect(s.preflight).toBeNull();
    const again = reduce(reduce(s, { type: 'dismissError' }), { type: 'connected', target: { profilePath: 'right.json' }, preflight: { ...preflight(), tenantId: 'another-tenant' } });
    expect(again.error).toBeNull();
    expect(again.preflight?.tenantId).toBe('another-tenant');
    expect(reduce(again, { type: 'next' }).step).toBe('confirm');
  });

  it('folds progress events into per-phase counters, waits, retries and a bounded log', () => {
    let s = run([{ type: 'runStarted' }]);
    s = reduce(s, { type: 'progress', event: { kind: 'progress', phase: 'tier 2', item: 'user', done: 10, total: 100, ratePerSec: 5 } });
    s = reduce(s, { type: 'progress', event: { kind: 'progress', phase: 'tier 2', item: 'user', done: 20, total: 100, ratePerSec: 5 } });
    s = reduce(s, { type: 'progress', event: { kind: 'throttled', waitMs: 3000, status: 429, path: '/users', attempt: 1 } });
    s = reduce(s, { type: 'progress', event: { kind: 'throttled', waitMs: 2000, status: 429, path: '/users', attempt: 2 } });
    s = reduce(s, { type: 'progress', event: { kind: 'retry', reason: '503', path: '/groups', attempt: 1, waitMs: 10 } });
    s = reduce(s, { type: 'progress', event: { kind: 'done', phase: 'tier 2', message: 'ok', elapsedMs: 9 } });
    expect(s.run.phases).toEqual([{ phase: 'tier 2', item: 'user', done: 20, total: 100, ratePerSec: 5, finished: true }]);
    expect([s.run.throttledWaits, s.run.throttledMs, s.run.retries]).toEqual([2, 5000, 1]);
    for (let i = 0; i < LOG_LIMIT + 10; i++) s = reduce(s, { type: 'progress', event: { kind: 'log', level: 'info', message: `line ${i}` } });
    expect(s.run.log).toHaveLength(LOG_LIMIT);
    expect(s.run.log.at(-1)).toBe(`line ${LOG_LIMIT + 9}`);
    const debug = reduce(s, { type: 'progress', event: { kind: 'log', level: 'debug', message: 'noise' } });
    expect(debug.run.log).toEqual(s.run.log);
  });

  it('maps the drill to a tenant-loss restore and verify-vault to no restore', () => {
    expect(restoreScenarioOf('drill')).toBe('tenant-loss');
    expect(restoreScenarioOf('attributes')).toBe('attributes');
    expect(restoreScenarioOf('verify-vault')).toBeNull();
  });

  it('is pure: the input state is never modified', () => {
    const s = run(toConnect);
    const copy = structuredClone(s);
    reduce(s, { type: 'connected', target: { emulator: true }, preflight: preflight() });
    reduce(s, { type: 'back' });
    expect(s).toEqual(copy);
  });
});
