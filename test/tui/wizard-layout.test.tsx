/**
 * Issue 12 items 10 and 11, in ink-testing-library at several terminal sizes: the wizard
 * lays out to the terminal (the step bar, the key line, the LIVE RUN banner and the tenant
 * id always on screen; lists paged in the rows there are; one line below the minimum; a
 * resize followed), and every list row that can be cut has a detail view with its whole
 * text, wrapped, from which Esc returns to the same row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, mount, type Driver, type MountOptions } from './harness.js';
import { ARCHIVES, DOMAIN, FakeServices, TENANT } from './fake-services.js';
import { expectChrome, expectFramesFit, squashed, startLiveRun, toArchive, toConfirm, toConnect, toPlan } from './journey.js';
import type { ExecuteOptions, ExecuteResult } from '../../tui/services.js';
import type { Plan } from '../../src/restore/types.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: MountOptions = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});

const SIZES = [
  { columns: 60, rows: 20 },
  { columns: 80, rows: 24 },
  { columns: 160, rows: 50 },
];

const LONG_REASON =
  '[GRAPH_THROTTLED] Graph POST /users throttled (429) after 6 retries over 5 minutes; the tenant kept answering Retry-After 30 s, so the operation was left for a resume';
const LONG_INSTRUCTIONS =
  'Open the encrypted credentials file with the operator identity (age -d -i identity.txt restore-credentials.age), then hand each temporary password to its user in person or by a second channel; each user must change it at first sign-in.';

/** The fake's run with long texts: failures, two types sharing a long prefix, long instructions. */
class LongTexts extends FakeServices {
  constructor() {
    super({
      failures: [
        { label: 'create user Alice Example', reason: LONG_REASON },
        { label: 'create group Sales EMEA', reason: '[GRAPH_UNAVAILABLE] Graph POST /groups unavailable after retries (503)' },
      ],
      skipped: 12,
    });
  }
  override async execute(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
    const r = await super.execute(plan, options);
    return {
      ...r,
      deviations: [
        { type: 'crossTenantAccessPolicyConfigurationDefault', archivedId: 'ctap-default', displayName: 'Default', reason: 'inboundTrust.isMfaAccepted: not writable with the granted permissions' },
        { type: 'crossTenantAccessPolicyConfigurationPartner', archivedId: 'ctap-fabrikam', displayName: 'Fabrikam', reason: 'b2bCollaborationInbound: the partner tenant did not answer' },
      ],
      manualSteps: [{ id: 'm1', kind: 'password', title: 'Hand out 9 temporary passwords', instructions: LONG_INSTRUCTIONS, objects: ['u0'] }],
    };
  }
}

describe('issue 12 item 10: the frame is the terminal', () => {
  it.each(SIZES)('at $columns×$rows every screen of a restore fits, with the step bar and the key line on it', async (size) => {
    const f = new FakeServices({ holdExecute: true, failures: [{ label: 'create user Alice Example', reason: LONG_REASON }], skipped: 3 });
    const d = start(f, size);
    expectChrome(await d.waitFor('enter choose'), size, 'Scenario', 'ctrl-c quit');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('Archives in'), size, 'Archive', 'ctrl-c quit');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('Unlock the archive'), size, 'Unlock', 'ctrl-c quit');
    await d.type('/keys/identity.txt');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('Connect to the target'), size, 'Connect', 'ctrl-c quit');
    await d.type('target.json');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('All needed permissions are held'), size, 'Connect', 'ctrl-c quit');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('operations on'), size, 'Plan', 'ctrl-c quit');
    await d.press(KEY.enter);
    expectChrome(await d.waitFor('Confirm the target'), size, 'Confirm', 'ctrl-c quit');
    await startLiveRun(d);
    const run = await d.waitFor('created 600 of 1,200 users');
    expectChrome(run, size, 'Execute', 'ctrl-c pause');
    expect(run).toContain(`LIVE RUN on ${DOMAIN}`);
    f.release();
    expectChrome(await d.waitFor('Restore INCOMPLETE'), size, 'Report', 'q quit');
    expectFramesFit(d, size);
  });

  it.each(SIZES)('at $columns×$rows Confirm shows the tenant id whole and the LIVE RUN banner', async (size) => {
    const d = start(new FakeServices(), size);
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter);
    const frame = await d.waitFor('Enter starts');
    expect(frame).toMatch(new RegExp(`Target +${TENANT}`));
    expect(squashed(frame)).toContain(squashed(`LIVE RUN: changes will be written to ${DOMAIN}. Enter starts.`));
    expectFramesFit(d, size);
  });

  it('lists page in the rows the terminal has: all of a tier at 160×50, the rest "more ↓" at 60×20', async () => {
    const big = start(new FakeServices(), { columns: 160, rows: 50 });
    await toPlan(big);
    await big.press(KEY.down, KEY.down, KEY.right);
    const all = await big.waitFor('▾ Tier 2');
    for (let i = 0; i < 9; i++) expect(all).toContain(`create user user${i}@contoso.com`);
    expect(all).toContain('create group Finance');
    expect(all).not.toContain('more ↓');

    const small = start(new FakeServices(), { columns: 60, rows: 20 });
    await toPlan(small);
    await small.press(KEY.down, KEY.down, KEY.right);
    const paged = await small.waitFor('▾ Tier 2');
    expect(paged).toContain('1 of 10 · 7 more ↓');
    expect(paged).not.toContain('create group Finance');
    for (let i = 0; i < 9; i++) await small.press(KEY.down);
    const last = await small.waitFor('10 of 10');
    expect(last).toMatch(/› +create +create group Finance/);
    // the tiers below the expanded one and the key line are still there
    expect(last).toContain('Tier 5');
    expectChrome(last, { columns: 60 }, 'Plan', 'enter continue');
    expectFramesFit(small, { columns: 60, rows: 20 });
  });

  it('below the minimum one line asks for a larger terminal; keys wait; a resize brings the step back as it was', async () => {
    const d = start(new FakeServices(), { columns: 59, rows: 20 });
    await d.waitFor((fr) => fr.startsWith('enlarge'));
    expect(d.frame()).toBe('enlarge the terminal to at least 60×20 (it is 59×20)');
    // a hidden step takes no key: nothing is chosen behind the operator's back
    await d.press(KEY.down, KEY.enter);
    d.resize(80, 24);
    let frame = await d.waitFor('enter choose');
    expect(frame).toContain('[Scenario]');
    expect(frame).toContain('› Tenant loss');
    const from = d.frames().length;
    d.resize(100, 19);
    await d.waitFor('enlarge the terminal to at least 60×20 (it is 100×19)');
    d.resize(60, 20);
    frame = await d.waitFor('enter choose');
    expectChrome(frame, { columns: 60 }, 'Scenario', 'ctrl-c quit');
    d.resize(160, 50);
    frame = await d.waitFor((fr) => fr.split('\n')[2] === '─'.repeat(160));
    expect(frame).toContain('Tenant loss           the tenant is gone or new: rebuild all of it');
    expectFramesFit(d, { columns: 160, rows: 50 }, d.frames().length - 1);
    expect(d.frames().slice(from).every((fr) => fr.split('\n').every((l) => l.length <= 160))).toBe(true);
    // ctrl-c is heard even while the frame is hidden
    d.resize(40, 10);
    await d.waitFor('enlarge');
    await d.press(KEY.ctrlC);
    expect(d.exits).toEqual([130]);
  });
});

describe('issue 12 item 11: every cut text has a detail view', () => {
  it('Report: a failure reason cut in its row is whole in its detail; esc returns to the same row', async () => {
    const d = start(new LongTexts());
    await toConfirm(d);
    await startLiveRun(d);
    const list = await d.waitFor('Restore INCOMPLETE');
    expect(list).toContain('[Failures (2)]');
    expect(squashed(list)).not.toContain(squashed(LONG_REASON));
    await d.press(KEY.down);
    await d.waitFor('› create group Sales EMEA');
    await d.press(KEY.up, KEY.right);
    const detail = await d.waitFor('Failed operation 1 of 2');
    expect(squashed(detail)).toContain(squashed(LONG_REASON));
    expectChrome(detail, { columns: 80 }, 'Report', 'esc/← back to the list');
    await d.press(KEY.esc);
    const back = await d.waitFor('[Failures (2)]');
    expect(back).toContain('› create user Alice Example');
    await d.press(KEY.down, KEY.enter);
    expect(squashed(await d.waitFor('Failed operation 2 of 2'))).toContain(squashed('unavailable after retries (503)'));
    await d.press(KEY.left);
    expect(await d.waitFor('[Failures (2)]')).toContain('› create group Sales EMEA');
    expectFramesFit(d, { columns: 80, rows: 24 });
  });

  it('Report: two types sharing a long prefix stay distinguishable; deviations and manual steps open whole', async () => {
    const d = start(new LongTexts(), { columns: 60, rows: 20 });
    await toConfirm(d);
    await startLiveRun(d);
    await d.waitFor('Restore INCOMPLETE');
    await d.press(KEY.tab, KEY.tab);
    const rows = await d.waitFor('[Dev (2)]');
    const [a, b] = rows.split('\n').filter((l) => l.includes('Default') || l.includes('Fabrikam'));
    expect(a).toMatch(/^› crossTen\S*…\S*Default +Default/);
    expect(b).toMatch(/^ {2}crossTen\S*…\S*Partner +Fabrikam/);
    await d.press(KEY.down, KEY.enter);
    const dev = await d.waitFor('Deviation 2 of 2');
    expect(dev).toContain('crossTenantAccessPolicyConfigurationPartner');
    expect(squashed(dev)).toContain(squashed('b2bCollaborationInbound: the partner tenant did not answer'));
    await d.press(KEY.esc, KEY.tab);
    const manual = await d.waitFor('[Manual (0/1)]');
    expect(squashed(manual)).not.toContain(squashed(LONG_INSTRUCTIONS));
    await d.press(KEY.right);
    expect(squashed(await d.waitFor('Manual step: Hand out'))).toContain(squashed(LONG_INSTRUCTIONS));
    expectFramesFit(d, { columns: 60, rows: 20 });
  });

  it('Plan: an operation and a blocked reference open whole; ← returns to the list', async () => {
    const d = start(new FakeServices(), { columns: 60, rows: 20 });
    await toPlan(d);
    await d.press(KEY.right);
    await d.waitFor('▾ Tier 0');
    await d.press(KEY.right);
    const op = await d.waitFor('Operation op-0');
    expect(squashed(op)).toContain(squashed(`create emergency-access admin bg-admin@${DOMAIN}`));
    expect(op).toContain('Global Administrator, tenant-wide');
    await d.press(KEY.left);
    await d.waitFor('▾ Tier 0');
    await d.press(KEY.left, KEY.tab, KEY.down);
    const warnings = await d.waitFor('[Warnings (5)]');
    expect(warnings).not.toContain('conditions.locations.includeLocations=loc-9: policy stays report-only');
    await d.press(KEY.right);
    const ref = await d.waitFor('Unresolvable reference');
    expect(ref).toContain('conditions.locations.includeLocations');
    expect(squashed(ref)).toContain(squashed('the conditional-access policy is created report-only and stays so until the reference exists'));
    expect(squashed(ref)).toContain(squashed('create CA policy Require MFA (report-only)'));
    await d.press(KEY.esc);
    expect(await d.waitFor('[Warnings (5)]')).toMatch(/› +conditionalAccessPolicy/);
    expectFramesFit(d, { columns: 60, rows: 20 });
  });

  it('Plan diff: an object opens with every changed attribute, archived and live', async () => {
    const d = start(new FakeServices(), { columns: 60, rows: 20 });
    await toConnect(d, 3);
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor('[Diff');
    await d.press(KEY.right);
    const detail = await d.waitFor('user User Three');
    expect(detail).toContain('department: archived "Finance", live "Sales"');
    expect(squashed(detail)).toContain(squashed('jobTitle: archived "Controller", live null'));
    await d.press(KEY.esc);
    expect(await d.waitFor('[Diff')).toMatch(/› \[x\] user/);
    expectFramesFit(d, { columns: 60, rows: 20 });
  });

  it('Confirm: a mismatch is shown whole at 60 columns, and an error with its hint wraps instead of being cut', async () => {
    const d = start(new FakeServices(), { columns: 60, rows: 20 });
    await toConfirm(d);
    const typo = `${TENANT}-but-with-a-typo-that-makes-the-line-long`;
    await d.type(typo);
    await d.press(KEY.enter);
    const frame = await d.waitFor('does not match');
    expect(squashed(frame)).toContain(squashed(`✗ "${typo}" does not match the target: type it again.`));
    expectChrome(frame, { columns: 60 }, 'Confirm', 'ctrl-c quit');

    const e = start(new FakeServices(), { columns: 60, rows: 20 });
    await toConnect(e);
    await e.type('readonly.json');
    await e.press(KEY.enter);
    await e.waitFor('Blocked');
    await e.press(KEY.enter);
    const err = await e.waitFor('GRAPH_FORBIDDEN');
    expect(squashed(err)).toContain(squashed('✗ GRAPH_FORBIDDEN: missing permissions: Policy.ReadWrite.ConditionalAccess, RoleManagement.ReadWrite.Directory'));
    expect(squashed(err)).toContain(squashed('grant the permissions (admin consent), then press r to reconnect'));
    await e.press(KEY.right);
    const perms = await e.waitFor('Permissions: 6 of 8 needed held');
    for (const p of ['Policy.ReadWrite.ConditionalAccess', 'RoleManagement.ReadWrite.Directory', 'DelegatedPermissionGrant.ReadWrite.All']) expect(perms).toContain(p);
    // longer than the screen: it scrolls to the last permission
    expect(perms).toMatch(/\d more ↓/);
    await e.press(KEY.down, KEY.down, KEY.down, KEY.down);
    const end = await e.waitFor('User.ReadWrite.All');
    expect(end).toMatch(/↑ \d more above/);
    expectFramesFit(d, { columns: 60, rows: 20 });
    expectFramesFit(e, { columns: 60, rows: 20 });
  });

  it('Archive: the signature problem and the path are whole in the detail', async () => {
    const d = start(new FakeServices(), { columns: 60, rows: 20 });
    await toArchive(d);
    await d.press(KEY.up, KEY.right);
    const detail = await d.waitFor('Archive of 2025-03-02 03:00Z');
    expect(squashed(detail)).toContain(squashed('invalid: manifest.sig does not verify with signing.pub'));
    expect(squashed(detail)).toContain(squashed(ARCHIVES[0]!.path));
    await d.press(KEY.esc);
    expect(await d.waitFor('Archives in')).toMatch(/› 2025-03-02/);
  });
});
