/**
 * Flow tests of the wizard at 80×24 with the fake services: keys in through stdin,
 * frames out as text, inline snapshots of each step, and the refusals (bad signature,
 * wrong passphrase, missing permission, wrong typed confirmation).
 */
import { afterEach, describe, expect, it } from 'vitest';
import chalk from 'chalk';
import stringWidth from 'string-width';
import { KEY, mount, type Driver } from './harness.js';
import { toArchive, toConfirm, toConnect, toPlan } from './journey.js';
import { ARCHIVES, DOMAIN, FakeServices, IDENTITY, JOURNAL, PASSPHRASE, ROLLBACK_ARCHIVES, TENANT } from './fake-services.js';
import { shownText } from '../../tui/steps/archive.js';
import { applyChunk, deleteWord } from '../../tui/text-field.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: Parameters<typeof mount>[1] = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}

/** Every frame the wizard drew fits 80×24 and shows no secret. */
function assertFrames(d: Driver): void {
  for (const f of d.frames()) {
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    expect(f).not.toContain(PASSPHRASE);
  }
}

afterEach(() => {
  for (const d of drivers.splice(0)) {
    assertFrames(d);
    d.unmount();
  }
});

/** Frames without trailing blanks, for compact snapshots. */
// a wait's elapsed seconds depend on the machine's speed: shown as N in snapshots
const snap = (f: string): string => `\n${f.replace(/ · \d+ s$/gm, ' · N s').replace(/[ \t]+$/gm, '').replace(/\n+$/, '')}\n`;





describe('Scenario step', () => {
  it('lists the six procedures with when to choose each', async () => {
    const d = start(new FakeServices());
    expect(snap(await d.waitFor('enter choose'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard
      [Scenario] › Archive › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      What happened? Choose the procedure to run.

      › Tenant loss           the tenant is gone or new: rebuild all of it
        All admins deleted    nobody can sign in as admin: bring admins back
        Restore objects       some users, groups or apps were deleted
        Restore attributes    objects exist but their settings were changed
        Recovery drill        rehearse a tenant-loss restore on the emulator
        Verify the vault      check an archive is intact and can be decrypted

      Every step here is also a command: entra-vault restore|drill|verify --help.
      Nothing is written to a tenant before you type its id on the Confirm step.








      ↑↓ move · enter choose · ctrl-c quit
      "
    `);
  });
});

describe('Archive step', () => {
  it('preselects the newest verified archive and shows bad signatures', async () => {
    const d = start(new FakeServices());
    await toArchive(d);
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Archives in vault (newest first, 3)
        taken (UTC)        tenant     objects       size       signature
        2025-03-02 03:00Z  c9f0f895…  1,654 obj     5.1 MiB    ✗ BAD SIGNATURE
      › 2025-03-01 03:00Z  8f14e45f…  1,651 obj     5.1 MiB    ✓ signed
        2025-02-28 03:00Z  8f14e45f…  1,635 obj     5.1 MiB    ✗ UNSIGNED · older
      Tenant 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b · 2025-03-01 03:00Z
      users 1,198 · groups 309 · apps 42 · CA 14 · total 1,651
      vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.evault











      ↑↓ move · → details · enter choose · esc back · ctrl-c quit
      "
    `);
  });

  it('preselects nothing when the vault holds signed archives of two tenants (issue 12 item 2)', async () => {
    const twoTenants = ARCHIVES.map((a, i) => (i === 0 ? { ...a, signature: 'valid' as const } : a));
    const f = new FakeServices({ archives: twoTenants });
    const d = start(f);
    await toArchive(d, 1);
    const frame = await d.waitFor('none is preselected');
    expect(frame).toContain('signed archives of 2 tenants');
    expect(frame).not.toContain('› 2025');
    expect(frame).toContain('↑↓ pick the archive of the tenant you restore');
    // Enter alone chooses nothing: the operator must pick a row
    await d.press(KEY.enter);
    await new Promise((r) => setTimeout(r, 100));
    expect(d.frame()).toContain('[Archive]');
    await d.press(KEY.down, KEY.down, KEY.enter);
    await d.waitFor('Unlock the archive');
  });

  it('refuses an archive with a bad signature, then takes it with an audit-logged reason', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d);
    await d.press(KEY.up, KEY.enter);
    expect(snap(await d.waitFor('SIGNATURE_INVALID'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Archives in vault (newest first, 3)
        taken (UTC)        tenant     objects       size       signature
      › 2025-03-02 03:00Z  c9f0f895…  1,654 obj     5.1 MiB    ✗ BAD SIGNATURE
        2025-03-01 03:00Z  8f14e45f…  1,651 obj     5.1 MiB    ✓ signed
        2025-02-28 03:00Z  8f14e45f…  1,635 obj     5.1 MiB    ✗ UNSIGNED · older
      Tenant c9f0f895-fb98-4b91-99f5-1ac4ff3ad0de · 2025-03-02 03:00Z
      users 1,200 · groups 310 · apps 42 · CA 14 · total 1,654
      vault/c9f0f895-fb98-4b91-99f5-1ac4ff3ad0de/2025-03-02T03-00-00Z.evault
      ✗ Signature invalid: manifest.sig does not verify with signing.pub. Not usable …







      ✗ SIGNATURE_INVALID: the archive's signature is invalid: it cannot be used
      without an override
        press o and type the reason for the audit log
      ↑↓ move · → details · o override with a reason · esc back · ctrl-c quit
      "
    `);
    await d.press('o');
    await d.waitFor('Reason:');
    await d.press(KEY.enter);
    await d.waitFor('an override needs a reason');
    expect(f.audit).toEqual([]);
    await d.type('only copy after ransomware, hash checked by hand');
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Archives in vault (newest first, 3)
        taken (UTC)        tenant     objects       size       signature
      › 2025-03-02 03:00Z  c9f0f895…  1,654 obj     5.1 MiB    ✗ BAD SIGNATURE
        2025-03-01 03:00Z  8f14e45f…  1,651 obj     5.1 MiB    ✓ signed
        2025-02-28 03:00Z  8f14e45f…  1,635 obj     5.1 MiB    ✗ UNSIGNED · older
      Tenant c9f0f895-fb98-4b91-99f5-1ac4ff3ad0de · 2025-03-02 03:00Z
      users 1,200 · groups 310 · apps 42 · CA 14 · total 1,654
      vault/c9f0f895-fb98-4b91-99f5-1ac4ff3ad0de/2025-03-02T03-00-00Z.evault
      ✗ Signature invalid: manifest.sig does not verify with signing.pub. Not usable …
      Override: this archive's signature is invalid. The reason is audit-logged.
      Reason: only copy after ransomware, hash checked by hand_






      ✗ USAGE: an override needs a reason
        type why this archive must be used, or esc to cancel
      type the reason · ←→ cursor · enter override (audit-logged) · esc cancel
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    expect(f.audit).toEqual([{ path: ARCHIVES[0]!.path, reason: 'only copy after ransomware, hash checked by hand' }]);
    expect(d.frame()).toContain('Signature overridden: only copy after ransomware');
  });

  it('refuses an unsigned archive too, and esc cancels the override', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d);
    await d.press(KEY.down, KEY.enter);
    await d.waitFor('SIGNATURE_MISSING');
    await d.press('o');
    await d.waitFor('Reason:');
    await d.press(KEY.esc);
    await d.waitFor((fr) => !fr.includes('Reason:'));
    expect(f.calls.some((c) => c.startsWith('overrideSignature'))).toBe(false);
    expect(d.frame()).toContain('[Archive]');
  });
});

describe('Archive step: an older archive (rollback)', () => {
  const REASON = `03-02 already holds the attacker's changes; "$(touch /tmp/pwned)" & more`;

  it('marks the older archive, asks for a reason on o, and the reason reaches the services and the restore', async () => {
    const f = new FakeServices({ archives: ROLLBACK_ARCHIVES });
    const d = start(f);
    await toArchive(d);
    await d.press(KEY.down);
    expect(snap(await d.waitFor('a rollback, needs a reason'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Archives in vault (newest first, 2)
        taken (UTC)        tenant     objects       size       signature
        2025-03-02 03:00Z  8f14e45f…  1,654 obj     5.1 MiB    ✓ signed
      › 2025-03-01 03:00Z  8f14e45f…  1,651 obj     5.1 MiB    ✓ signed · older
      Tenant 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b · 2025-03-01 03:00Z
      users 1,198 · groups 309 · apps 42 · CA 14 · total 1,651
      vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.evault
      ↺ Older than newest 2025-03-02 03:00Z: a rollback, needs a reason (press o)











      ↑↓ move · → details · o override with a reason · esc back · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('ROLLBACK');
    expect(d.frame()).toContain('older than the newest archive of this tenant (2025-03-02T03:00:00Z)');
    await d.press('o');
    expect(snap(await d.waitFor('Reason:'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Archives in vault (newest first, 2)
        taken (UTC)        tenant     objects       size       signature
        2025-03-02 03:00Z  8f14e45f…  1,654 obj     5.1 MiB    ✓ signed
      › 2025-03-01 03:00Z  8f14e45f…  1,651 obj     5.1 MiB    ✓ signed · older
      Tenant 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b · 2025-03-01 03:00Z
      users 1,198 · groups 309 · apps 42 · CA 14 · total 1,651
      vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.evault
      ↺ Older than newest 2025-03-02 03:00Z: a rollback, needs a reason (press o)
      Override: older than the newest (2025-03-02 03:00Z). The reason is audit-logged.
      Reason: why this archive must be used_









      type the reason · ←→ cursor · enter override (audit-logged) · esc cancel
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('an override needs a reason');
    expect(f.rollbackAudit).toEqual([]);
    await d.type(REASON);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    // audit-logged once, as a rollback (the signature is valid: no signature override)
    expect(f.rollbackAudit).toEqual([{ path: ROLLBACK_ARCHIVES[1]!.path, reason: REASON }]);
    expect(f.audit).toEqual([]);
    expect(f.calls.filter((c) => c.startsWith('override'))).toEqual([`overrideRollback ${ROLLBACK_ARCHIVES[1]!.path}`]);
    expect(d.frame()).not.toContain('Signature overridden');
    // back on the Archive step the accepted reason is shown; enter goes on without asking again
    await d.press(KEY.esc);
    await d.waitFor('rollback accepted');
    expect(d.frame()).toContain(`  "${REASON}"`);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.type(IDENTITY);
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor((fr) => fr.includes('[Plan]') && fr.includes('operations on'));
    await d.press(KEY.enter);
    await d.waitFor('Confirm the target');
    await d.type(TENANT);
    await d.press(KEY.enter);
    await d.waitFor('LIVE RUN');
    await d.press(KEY.enter);
    await d.waitFor('Restore finished with 2 deviations');
    expect(f.lastExecute).toMatchObject({ confirmTenantId: TENANT, allowRollback: REASON });
    expect(f.calls.filter((c) => c.startsWith('overrideRollback'))).toHaveLength(1);
  });

  it('the newest archive of the tenant needs no reason', async () => {
    const f = new FakeServices({ archives: ROLLBACK_ARCHIVES });
    const d = start(f);
    await toArchive(d);
    expect(d.frame()).toContain('› 2025-03-02 03:00Z');
    expect(d.frame()).not.toContain('Older than newest');
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    expect(f.calls.some((c) => c.startsWith('override'))).toBe(false);
  });

  it('shows operator text escaped: control and direction characters cannot act on the terminal', () => {
    expect(shownText('ok \u001b[31mred\u001b[0m\u202eevil\\n')).toBe('ok \\u{1b}[31mred\\u{1b}[0m\\u{202e}evil\\\\n');
    expect(shownText(`plain "quoted" $(x) ; & text`)).toBe(`plain "quoted" $(x) ; & text`);
  });
});

describe('Unlock step', () => {
  it('masks the passphrase and refuses a wrong one without showing it', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.press(KEY.tab);
    await d.type('wrong-passphrase');
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › Archive › [Unlock] › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Unlock the archive
      vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.evault

      ( ) Identity file   (•) Passphrase

      Passphrase: ****************_

      The key is checked against the archive header before anything is read.
      It stays in memory for this session only and is never written or shown.










      tab identity file/passphrase · ←→ cursor · enter unlock · esc back · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    const refused = await d.waitFor('PASSPHRASE_WRONG');
    expect(refused).not.toContain('wrong-passphrase');
    expect(refused).toContain('[Unlock]');
    await d.type(PASSPHRASE);
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual(['unlock passphrase', 'unlock passphrase']);
    for (const fr of d.frames()) expect(fr).not.toContain('wrong-passphrase');
  });

  it('checks the identity file before moving on', async () => {
    const d = start(new FakeServices());
    await toArchive(d);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.type('/tmp/not-a-key');
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('KEY_INVALID'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › Archive › [Unlock] › Connect › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Unlock the archive
      vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.evault

      (•) Identity file   ( ) Passphrase

      Identity file: /tmp/not-a-key_

      The key is checked against the archive header before anything is read.
      It stays in memory for this session only and is never written or shown.








      ✗ KEY_INVALID: no usable age identity in /tmp/not-a-key
        pass the identity file made by keys init
      tab identity file/passphrase · ←→ cursor · enter unlock · esc back · ctrl-c quit
      "
    `);
  });
});

describe('Text fields (keys owned by the wizard)', () => {
  const connects = (f: FakeServices): string[] => f.calls.filter((c) => c.startsWith('connect'));

  it('applies every key of a chunk in order; Enter submits what came before it', () => {
    expect(applyChunk('', '/etc/x\u007fy.json')).toEqual({ value: '/etc/y.json' });
    expect(applyChunk('old', '\u0015new\rignored')).toEqual({ value: 'new', submitted: 'new' });
    expect(applyChunk('a b', '\u0017c\u0007\u001b')).toEqual({ value: 'a c' });
    expect(deleteWord('/tmp/my file  ')).toBe('/tmp/my ');
    expect(deleteWord('word')).toBe('');
    expect(deleteWord('')).toBe('');
  });

  it('a path written in one chunk with its Enter is received whole and submitted', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('target.json\r');
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('keys written faster than a frame all arrive, in order', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.burst('/etc/', 'entra', '-', 'v', 'a', 'u', 'l', 't/', 'x', KEY.backspace, 'target.json');
    expect(d.frame()).toContain('Profile: /etc/entra-vault/target.json_');
    await d.burst(KEY.enter);
    await d.waitFor('FILE_NOT_FOUND');
    expect(connects(f)).toEqual(['connect /etc/entra-vault/target.json']);
  });

  it('ctrl-u clears the line', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('/wrong/place/profile.json');
    await d.press(KEY.ctrlU);
    // wait for the frame, never a fixed delay: a busy machine draws late
    expect(await d.waitFor('Profile: e.g. /etc/entra-vault/target.json_')).not.toContain('wrong');
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('ctrl-w deletes the last word (and the spaces before the cursor), alone or inside a chunk', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('target.json two words');
    await d.press(KEY.ctrlW);
    await d.waitFor('Profile: target.json two _');
    await d.press(KEY.ctrlW);
    await d.waitFor('Profile: target.json _');
    await d.type(`oops\u0017${KEY.backspace}\r`);
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('a pasted passphrase is masked, received whole, and ctrl-u clears a wrong one', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.press(KEY.tab);
    await d.type('not-the-passphrase');
    await d.press(KEY.ctrlU);
    expect(d.frame()).toContain('Passphrase: _');
    await d.burst(PASSPHRASE.slice(0, 7), PASSPHRASE.slice(7));
    expect(d.frame()).toContain(`Passphrase: ${'*'.repeat(PASSPHRASE.length)}_`);
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual(['unlock passphrase']);
    for (const fr of d.frames()) {
      expect(fr).not.toContain(PASSPHRASE);
      expect(fr).not.toContain('not-the-passphrase');
      expect(fr).not.toContain(PASSPHRASE.slice(0, 7));
    }
  });
});

describe('Connect step', () => {
  it('shows the preflight: tenant, state, permissions held vs needed', async () => {
    const d = start(new FakeServices());
    await toConnect(d);
    await d.type('target.json');
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('Preflight'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › [Connect] › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Preflight: contoso DR target
        Tenant   8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b
        Domain   contoso-dr.onmicrosoft.com
        State    no Global Administrator left
      Permissions: 8 of 8 needed held
        ✓ Application.ReadWrite.All           ✓ Group.ReadWrite.All
        ✓ AppRoleAssignment.ReadWrite.All     ✓ Policy.ReadWrite.ConditionalAccess
        ✓ DelegatedPermissionGrant.ReadWrite… ✓ RoleManagement.ReadWrite.Directory
        ✓ Directory.ReadWrite.All             ✓ User.ReadWrite.All
      ✓ All needed permissions are held.








      enter continue · → permissions · r reconnect · c change target · esc back
      ctrl-c quit
      "
    `);
  });

  it('blocks on missing permissions with what to grant', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('readonly.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('GRAPH_FORBIDDEN'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › [Connect] › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Preflight: contoso read-only app
        Tenant   8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b
        Domain   contoso-dr.onmicrosoft.com
        State    admins present
      Permissions: 6 of 8 needed held
        ✗ Policy.ReadWrite.ConditionalAccess  ✓ DelegatedPermissionGrant.ReadWrite.All
        ✗ RoleManagement.ReadWrite.Directory  ✓ Directory.ReadWrite.All
        ✓ Application.ReadWrite.All           ✓ Group.ReadWrite.All
        ✓ AppRoleAssignment.ReadWrite.All     ✓ User.ReadWrite.All
      ✗ Blocked: missing Policy.ReadWrite.ConditionalAccess,
      RoleManagement.ReadWrite.Directory
      Grant these application permissions (admin consent), then press r.




      ✗ GRAPH_FORBIDDEN: missing permissions: Policy.ReadWrite.ConditionalAccess,
      RoleManagement.ReadWrite.Directory
        grant the permissions (admin consent), then press r to reconnect
      → permissions · r reconnect · c change target · esc back · ctrl-c quit
      "
    `);
    expect(f.calls.some((c) => c.startsWith('plan'))).toBe(false);
  });

  it('shows the device code and URL while sign-in waits', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('device.json');
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('F7KQ-2MWP'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss
      Scenario › Archive › Unlock › [Connect] › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Device-code sign-in

      Open https://microsoft.com/devicelogin
      and enter the code F7KQ-2MWP

      Sign in with an account allowed to consent for the target tenant.











      … signing in and running the preflight · N s

      please wait · esc cancel · ctrl-c quit
      "
    `);
    f.completeSignIn();
    await d.waitFor('Preflight: contoso (device code)');
  });

  it('offers the built-in emulator for a drill', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d, 4);
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Recovery drill
      Scenario › Archive › Unlock › [Connect] › Plan › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Connect to the target tenant

      ( ) Connection profile   (•) Built-in emulator (drills)

      A lab tenant on 127.0.0.1, empty but for one admin. Press enter to start it.

      Device-code profiles show a code and URL here. The preflight reads the tenant
      and its permissions; nothing is written.











      tab profile/emulator · enter connect · esc back · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('empty tenant (only the initial admin)');
    expect(f.calls).toContain('connect emulator');
  });
});

describe('Plan step', () => {
  it('shows tiers with counts, expands a tier and lists the warnings', async () => {
    const d = start(new FakeServices());
    await toPlan(d);
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Plan tenant-loss: 15 operations on contoso-dr.onmicrosoft.com
      [Tiers]  Warnings (5)
      › ▸ Tier 0  bootstrap admins                                1 ops
        ▸ Tier 1  settings and unreferenced policies              1 ops
        ▸ Tier 2  objects                                        10 ops
        ▸ Tier 3  relationships                                   1 ops
        ▸ Tier 4  conditional access (report-only first)          1 ops
        ▸ Tier 5  verification                                    1 ops











      ↑↓ tier · → expand · tab view · enter continue · esc back · ctrl-c quit
      "
    `);
    await d.press(KEY.down, KEY.down, KEY.right);
    expect(snap(await d.waitFor('1 of 10'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Plan tenant-loss: 15 operations on contoso-dr.onmicrosoft.com
      [Tiers]  Warnings (5)
        ▸ Tier 0  bootstrap admins                                1 ops
        ▸ Tier 1  settings and unreferenced policies              1 ops
        ▾ Tier 2  objects                                        10 ops
      ›     create           create user user0@contoso.com
            create           create user user1@contoso.com
            create           create user user2@contoso.com
            create           create user user3@contoso.com
            create           create user user4@contoso.com
            create           create user user5@contoso.com
            create           create user user6@contoso.com
            create           create user user7@contoso.com
            1 of 10 · 2 more ↓
        ▸ Tier 3  relationships                                   1 ops
        ▸ Tier 4  conditional access (report-only first)          1 ops
        ▸ Tier 5  verification                                    1 ops


      ↑↓ operations · → details · ←/esc collapse · tab view · enter continue
      "
    `);
    // item 11: → opens the operation whole; ← returns to the same row
    await d.press(KEY.right);
    const op = await d.waitFor('Operation op-u0');
    expect(op).toContain('create user user0@contoso.com');
    expect(op).toContain('After        nothing');
    await d.press(KEY.left);
    await d.waitFor('1 of 10');
    await d.press(KEY.left, KEY.tab);
    expect(snap(await d.waitFor('[Warnings'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Plan tenant-loss: 15 operations on contoso-dr.onmicrosoft.com
       Tiers  [Warnings (5)]
      › Unresolvable references (1)
          conditionalAccessPolicy conditions.locations.includeLocations=loc-9: policy…
        Manual steps (2)
          [password] Hand out 9 temporary passwords
          [domainVerification] Verify contoso.com in DNS
        Conditional access staying report-only (1)
          Require MFA: named location loc-9 is not in the archive
        Other warnings (1)
          licences are not restored: assign them after the restore








      ↑↓ move · → details · tab view · enter continue · esc back · ctrl-c quit
      "
    `);
  });

  it('shows the diff for the objects scenario and re-plans the selection', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toPlan(d, 2);
    expect(snap(d.frame())).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Restore objects · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Plan objects: 4 operations on contoso-dr.onmicrosoft.com
      [Diff (3 selected)]  Tiers   Warnings (0)
      missing 2 · soft-deleted 1 · changed 0 · equal 1 · extra 1 (kept)
      › [x] user               User Seven                 softDeleted
        [x] group              Sales EMEA                 missing
        [x] application        Payroll                    missing












      ↑↓ move · → details · space select · a all · r re-plan · tab view · enter next
      esc back
      "
    `);
    await d.press(KEY.down, KEY.space);
    await d.waitFor('selection changed');
    await d.press(KEY.enter);
    await d.waitFor('press r to plan the selection');
    await d.press('r');
    await d.waitFor((fr) => !fr.includes('selection changed') && !fr.includes('USAGE'));
    expect(f.calls.at(-1)).toBe('plan objects {"objectIds":["app1","u7"]}');
    // Restoring deleted user7 and creating app Payroll, then verification.
    expect(d.frame()).toContain('Plan objects: 3 operations');
  });

  it('selects attributes for the attributes scenario', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toPlan(d, 3);
    // wait for the preselection to render: a frame taken at once races it on a loaded machine
    expect(snap(await d.waitFor('Diff (2 selected)'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Restore attributes · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Plan attributes: 3 operations on contoso-dr.onmicrosoft.com
      [Diff (2 selected)]  Tiers   Warnings (0)
      missing 0 · soft-deleted 0 · changed 2 · equal 40 · extra 0 (kept)
      › [x] user               User Three                 changed     department, job…
        [x] group              Auditors                   changed     displayName
        [x] attribute department
        [x] attribute displayName
        [x] attribute jobTitle










      ↑↓ move · → details · space select · a all · r re-plan · tab view · enter next
      esc back
      "
    `);
    await d.press(KEY.down, KEY.down, KEY.down, KEY.space, 'r');
    await d.waitFor(() => f.calls.length > 0 && f.calls.at(-1)!.startsWith('plan attributes {'));
    await d.waitFor((fr) => !fr.includes('selection changed') && fr.includes('[ ] attribute displayName'));
    expect(f.calls.at(-1)).toBe('plan attributes {"objectIds":["g5","u3"],"attributes":["department","jobTitle"]}');
  });
});

describe('Plan step: keys faster than a frame', () => {
  it('moves, ticks and re-plans with the latest selection when no render comes between the keys', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toPlan(d, 3);
    await d.burst(KEY.down, KEY.down, KEY.down, KEY.space, 'r');
    await d.waitFor((fr) => !fr.includes('selection changed') && fr.includes('[ ] attribute displayName'));
    expect(f.calls.at(-1)).toBe('plan attributes {"objectIds":["g5","u3"],"attributes":["department","jobTitle"]}');
  });
});

describe('Confirm step', () => {
  it('issue 12 item 8: a typo asks again instead of becoming a dry run; a dry run is chosen on purpose with tab', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConfirm(d);
    await d.type('contoso.onmicrosoft.com');
    await d.press(KEY.enter);
    const again = await d.waitFor('does not match the target');
    expect(again).toContain('✗ "contoso.onmicrosoft.com" does not match the target: type it again.');
    expect(again).toContain('Target: _');
    // a second Enter on the empty field starts nothing
    await d.press(KEY.enter);
    expect(f.calls.some((c) => c.startsWith('execute'))).toBe(false);
    await d.press(KEY.tab);
    expect(snap(await d.waitFor('DRY RUN: nothing will be written'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › [Confirm] › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Confirm the target

        Target   8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b
        Domain   contoso-dr.onmicrosoft.com
        Run      tenant-loss: 15 operations
        Archive  contoso-dr.onmicrosoft.com, tenant
                 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b

      To write to this tenant, type its tenant id or initial domain.
      Or press tab for a DRY RUN: the plan is checked, nothing is written.

      Dry run chosen.

      DRY RUN: nothing will be written. Enter starts.





      enter start · esc retype · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('Dry run finished');
    expect(f.lastExecute?.confirmTenantId).toBeUndefined();
    expect(f.calls).toContain('execute tenant-loss dry-run');
  });

  it('issue 12 item 11: a long mistyped target is shown whole in the mismatch line, with what to do', async () => {
    const d = start(new FakeServices());
    await toConfirm(d);
    const typo = 'contoso-dr.onmicrosoft.com.this-is-not-the-target-and-it-is-longer-than-a-row';
    await d.type(typo);
    await d.press(KEY.enter);
    const frame = await d.waitFor('does not match the target');
    expect(frame.replace(/\s+/g, '')).toContain(`✗ "${typo}" does not match the target: type it again.`.replace(/\s+/g, ''));
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('the tenant id makes it a live run, after a retype', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConfirm(d);
    await d.type('typo');
    await d.press(KEY.enter);
    await d.waitFor('"typo" does not match the target');
    await d.waitFor((fr) => fr.includes('Target: _'));
    await d.type(TENANT);
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('LIVE RUN'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › [Confirm] › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      Confirm the target

        Target   8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b
        Domain   contoso-dr.onmicrosoft.com
        Run      tenant-loss: 15 operations
        Archive  contoso-dr.onmicrosoft.com, tenant
                 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b

      To write to this tenant, type its tenant id or initial domain.
      Or press tab for a DRY RUN: the plan is checked, nothing is written.

      Typed: 8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b

      LIVE RUN: changes will be written to contoso-dr.onmicrosoft.com. Enter starts.





      enter start · esc retype · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('Restore finished with 2 deviations');
    expect(f.lastExecute?.confirmTenantId).toBe(TENANT);
  });
});

describe('Execute and Report steps', () => {
  it('shows progress per phase, waits and retries, and pauses cleanly on ctrl-c', async () => {
    const f = new FakeServices({ holdExecute: true });
    const d = start(f);
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter);
    await d.waitFor('LIVE RUN');
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('created 600 of 1,200 users'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › Confirm › [Execute] › Report
      ────────────────────────────────────────────────────────────────────────────────
      LIVE RUN on contoso-dr.onmicrosoft.com
      Overall  601 / 1,215 operations (49%) · elapsed 0s · ETA unknown
      Failed   0 · skipped 0
      phase                    done / total        rate      ETA         item
      tier 0 bootstrap         1 / 1                         done        admin
      tier 2 objects           600 / 1,200         40/s      ETA 15s     user
      Throttled 1 time, waited 4s (last: Retry-After 4 s, 429 on /users)
      Retried 1 time (last: 503 Service Unavailable on /groups)
      Log
        tier 0 bootstrap: start
        tier 0 bootstrap: done
        tier 2 objects: start
        created 600 of 1,200 users






      ctrl-c pause at the next operation boundary · l whole log
      "
    `);
    await d.press(KEY.ctrlC);
    const paused = await d.waitFor('Paused at an operation boundary');
    expect(paused).toContain('[Report]');
    expect(d.frames().some((fr) => fr.includes('Pausing at the next operation boundary'))).toBe(true);
    expect(d.exits).toEqual([]);
    await d.press('q');
    expect(d.exits).toEqual([2]);
  });

  it('reports fidelity, deviations, the manual-steps checklist and the files', async () => {
    const d = start(new FakeServices());
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter, KEY.enter);
    expect(snap(await d.waitFor('Restore finished'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › Confirm › Execute › [Report]
      ────────────────────────────────────────────────────────────────────────────────
      ! Restore finished with 2 deviations: see Deviations and Manual steps.
       Failures (0)  [Fidelity]  Deviations (2)   Manual steps (0/2)   Files
        type                  objects            attributes          relations
      › user                  1,198/1,198 100%   23,958/23,960 99.9% 1,198/1,198 100%
        group                 309/309 100%       3,090/3,090 100%    2,400/2,400 100%
        conditiona…cessPolicy 14/14 100%         139/140 99.2%       0/0 -













      ↑↓ move · →/enter details · tab view · q quit
      "
    `);
    await d.press(KEY.tab);
    expect(snap(await d.waitFor('[Deviations'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › Confirm › Execute › [Report]
      ────────────────────────────────────────────────────────────────────────────────
      ! Restore finished with 2 deviations: see Deviations and Manual steps.
       Failures (0)   Fidelity  [Deviations (2)]  Manual steps (0/2)   Files
      › user               User Five              onPremisesImmutableId: set by direc…
        condition…ssPolicy Require MFA            kept report-only: location loc-9 un…















      ↑↓ move · →/enter details · tab view · q quit
      "
    `);
    await d.press(KEY.tab, KEY.space);
    expect(snap(await d.waitFor('Manual steps (1/2)'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › Confirm › Execute › [Report]
      ────────────────────────────────────────────────────────────────────────────────
      ! Restore finished with 2 deviations: see Deviations and Manual steps.
       Failures (0)   Fidelity   Deviations (2)  [Manual steps (1/2)]  Files
      › [x] Hand out 9 temporary passwords
        [ ] Verify contoso.com in DNS
          Open the encrypted credentials file with your identity and deliver each pas…














      ↑↓ move · → details · space tick · tab view · q quit
      "
    `);
    await d.press(KEY.tab);
    expect(snap(await d.waitFor('[Files]'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Tenant loss · → contoso-dr.onmicrosoft.com
      Scenario › Archive › Unlock › Connect › Plan › Confirm › Execute › [Report]
      ────────────────────────────────────────────────────────────────────────────────
      ! Restore finished with 2 deviations: see Deviations and Manual steps.
       Failures (0)   Fidelity   Deviations (2)   Manual steps (1/2)  [Files]
      › Report      out/restore-report.md
        Runbook     out/runbook.md
        Credentials out/credentials.age (age-encrypted)
        read it on this terminal: entra-vault credentials show out/credentials.age
      --identity <your identity file>

      Time per tier
        Tier 0          1 ops         1s
        Tier 2      1,200 ops        30s
        Tier 5          1 ops         2s







      ↑↓ move · →/enter details · tab view · q quit
      "
    `);
    await d.press('q');
    // two deviations: not everything was restored, so not 0 (as the CLI: src/cli/exit.ts)
    expect(d.exits).toEqual([1]);
  });

  it('issue 12 item 1: failed and skipped operations give a red ✗ headline, the failures first, and exit 1', async () => {
    const f = new FakeServices({
      failures: [
        { label: 'create user Alice Example', reason: '[GRAPH_THROTTLED] Graph POST /users throttled (429) after retries' },
        { label: 'create group Sales EMEA', reason: '[GRAPH_UNAVAILABLE] Graph POST /groups unavailable after retries (503)' },
      ],
      skipped: 182,
    });
    const d = start(f);
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter, KEY.enter);
    const frame = await d.waitFor('Restore INCOMPLETE');
    expect(frame).toContain('✗ Restore INCOMPLETE: 2 failed, 182 skipped.');
    expect(frame).not.toContain('✓');
    expect(frame).toContain('[Failures (2)]');
    expect(frame).toContain('182 operations were skipped');
    expect(frame).toContain('create user Alice Example');
    await d.press('q');
    expect(d.exits).toEqual([1]);
  });

  it('issue 12 item 11: a failure reason cut at the frame opens whole in a detail view, and Esc returns to the list', async () => {
    const tail = 'the end of a very long reason that no 80-column row can show';
    const reason = `[GRAPH_REQUEST_FAILED] Graph PATCH /identity/conditionalAccess/policies/199dc3c1-c730-4c20-87e1-ab3d83bd285f failed (400 Request_BadRequest: ${tail})`;
    const f = new FakeServices({ failures: [{ label: 'Switch CA policy CA005: Block sign-ins from blocked countries to enabled', reason }], skipped: 0 });
    const d = start(f);
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter, KEY.enter);
    const list = await d.waitFor('[Failures (1)]');
    expect(list).not.toContain(tail);
    expect(list).toContain('→/enter details');
    await d.press(KEY.right);
    const detail = await d.waitFor('Failed operation 1 of 1');
    // the whole reason, wrapped over lines: every word of it is on screen
    const flat = detail.replace(/\s+/g, ' ');
    expect(flat).toContain(tail);
    expect(flat).toContain('Block sign-ins from blocked countries to enabled');
    expect(detail).toContain('esc/← back to the list');
    for (const line of detail.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await d.press(KEY.esc);
    await d.waitFor('[Failures (1)]');
    expect(d.exits).toEqual([]);
    await d.press('q');
    expect(d.exits).toEqual([1]);
  });

  it('only a restore with nothing failed, skipped or missing says ✓ and exits 0', async () => {
    const d = start(new FakeServices({ perfect: true }));
    await toConfirm(d);
    await d.type(DOMAIN);
    await d.press(KEY.enter, KEY.enter);
    await d.waitFor('✓ Restore completed and verified.');
    await d.press('q');
    expect(d.exits).toEqual([0]);
  });
});

describe('Resume', () => {
  it('offers to resume an unfinished journal and resumes it after unlock, connect and confirm', async () => {
    const f = new FakeServices({ journal: JOURNAL });
    const d = start(f);
    expect(snap(await d.waitFor('An unfinished restore was found'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Resume
      [Resume] › Unlock › Connect › Confirm › Execute › Report
      ────────────────────────────────────────────────────────────────────────────────
      An unfinished restore was found.

        Scenario   tenant-loss
        Archive    vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.eva
                   ult
        Target     8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b (target.json)
        Started    2025-03-02 09:15Z
        Progress   601 of 1,215 operations done
        Journal    out/restore.journal

      Resuming skips every operation the journal records as done: nothing is created
      twice. You will unlock the archive, reconnect and confirm again.







      enter/y resume · n start a new recovery · ctrl-c quit
      "
    `);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.type(IDENTITY);
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    expect(d.frame()).toContain('Profile: target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor('614 operations left');
    await d.type(TENANT);
    await d.press(KEY.enter, KEY.enter);
    await d.waitFor('Restore finished with 2 deviations');
    expect(f.calls).toContain(`resume ${JOURNAL.journalPath} ${TENANT}`);
    expect(f.calls.some((c) => c.startsWith('plan') || c.startsWith('execute'))).toBe(false);
  });

  it('n starts a new recovery instead', async () => {
    const d = start(new FakeServices({ journal: JOURNAL }));
    await d.waitFor('An unfinished restore was found');
    await d.press('n');
    await d.waitFor('What happened?');
  });
});

describe('Verify the vault', () => {
  it('verifies the chosen archive and reports the result', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d, 5);
    await d.press(KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.type(IDENTITY);
    await d.press(KEY.enter);
    expect(snap(await d.waitFor('The archive is intact'))).toMatchInlineSnapshot(`
      "
      entra-vault recovery wizard · Verify the vault
      Scenario › Archive › Unlock › Execute › [Report]
      ────────────────────────────────────────────────────────────────────────────────
      ✓ The archive is intact and decrypts.

        Archive     vault/8f14e45f-ceea-4672-a1b2-0c9f1d2e3a4b/2025-03-01T03-00-00Z.ev
                    ault
        Signature   valid
        Entries     31 checked
        Size        5.1 MiB












      enter/q quit
      "
    `);
    expect(f.calls).toContain(`verifyArchive ${ARCHIVES[1]!.path}`);
    await d.press(KEY.enter);
    expect(d.exits).toEqual([0]);
  });
});

describe('terminal conventions', () => {
  it('ctrl-c outside a run leaves the wizard with 130', async () => {
    const d = start(new FakeServices());
    await d.waitFor('enter choose');
    await d.press(KEY.ctrlC);
    expect(d.exits).toEqual([130]);
  });

  it('esc goes back a step', async () => {
    const d = start(new FakeServices());
    await toArchive(d);
    await d.press(KEY.enter);
    await d.waitFor('[Unlock]');
    await d.press(KEY.esc);
    await d.waitFor('[Archive]');
    await d.press(KEY.esc);
    await d.waitFor('[Scenario]');
  });

  it('respects NO_COLOR: colour codes only when colour is allowed', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const colored = start(new FakeServices(), { noColor: false });
      await toArchive(colored);
      // SGR 30-37 and 90-97 are foreground colours.
      expect(colored.frame()).toMatch(/\u001B\[(3[0-7]|9[0-7])m/);
      const plain = start(new FakeServices(), { noColor: true });
      await toArchive(plain);
      expect(plain.frame()).not.toMatch(/\u001B\[(3[0-7]|9[0-7])m/);
      expect(plain.frame()).toContain('✗ BAD SIGNATURE');
    } finally {
      chalk.level = level;
    }
  });
});

describe('waits show their time and have a way back (issue 12 item 6)', () => {
  it('a target that never answers: the wait counts seconds, Esc cancels back to Connect, and another profile connects', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('hang.json');
    await d.press(KEY.enter);
    await d.waitFor((f) => /… signing in and running the preflight · \d+ s/.test(f));
    expect(d.frame()).toContain('please wait · esc cancel · ctrl-c quit');
    // real seconds: a condition, with room for a loaded machine
    // (a loaded machine may skip a tick: any count above 0 will do)
    await d.waitFor((f) => /… signing in and running the preflight · [1-9]\d* s/.test(f), 15_000);
    await d.press(KEY.esc);
    const f1 = await d.waitFor('CANCELLED');
    expect(f1).toContain('CANCELLED: stopped waiting; nothing was written');
    expect(f1).toContain('cancelled: signing in and running the preflight');
    expect(f1).toContain('Connect to the target');
    expect(d.exits).toEqual([]);
    await d.press(KEY.ctrlU);
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight: contoso DR target');
  }, 60_000);
});
