/**
 * Issue 12 item 15: the plain wizard's other paths over the fake services: a resume (its
 * target fixed, no dry run), the vault check, a selection of objects, a device-code sign-in,
 * missing permissions that block, a wait left with Ctrl-C, and a passphrase typed on a terminal
 * with echo off (raw mode on, then off again; Ctrl-C there leaves).
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { Left, PlainIo } from '../../tui/plain/io.js';
import { ARCHIVES, FakeServices, IDENTITY, JOURNAL, TENANT } from './fake-services.js';
import { drivePlain } from './plain-driver.js';

describe('plain wizard paths', () => {
  it('offers an unfinished restore first and resumes it on its own target: no dry run, exit 0 only when everything came back', async () => {
    const services = new FakeServices({ journal: JOURNAL, perfect: true });
    const d = drivePlain(services);
    await d.waitFor('An unfinished restore was found.');
    await d.answer('Resume it?', '');
    await d.waitFor('Step 2 of 6: Unlock');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.waitFor(`The restore being resumed writes to tenant ${TENANT} through target.json.`);
    await d.answer('Connect to it now?', '1');
    await d.answer('Continue with this target?', '1');
    await d.waitFor('A resumed restore writes: there is no dry run of it.');
    const confirm = await d.waitFor('Do you write to this tenant?');
    expect(confirm.slice(confirm.lastIndexOf('Step 4 of 6: Confirm'))).not.toContain('Dry run');
    await d.answer('[1-2]', '1');
    await d.answer('type its tenant id or initial domain', TENANT);
    await d.answer('Start the run now?', '1');
    expect(await d.done).toBe(0);
    expect(services.calls).toContain(`resume out/restore.journal ${TENANT}`);
    expect(d.transcript()).toContain('✓ Restore completed and verified. (exit code 0)');
  });

  it('issue 18 item 3: "what changed since an archive?" before choosing: two archives (older as A) grouped by risk with counts, a change whole, then the pick', async () => {
    const services = new FakeServices({ changes: true });
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '1');
    await d.waitFor('  5) What changed since an archive?');
    await d.answer('Which archive do you use?', '5');
    await d.waitFor('No target is connected yet');
    await d.answer('Since which archive (A)?', '');
    await d.answer('Up to which archive (B)?', '2');
    await d.answer('Which age identity file?', IDENTITY);
    const report = await d.waitFor('Show a change whole?');
    expect(services.calls).toContain(`changesSince ${ARCHIVES[2]!.path} → ${ARCHIVES[1]!.path} key ${IDENTITY}`);
    const printed = report.slice(report.lastIndexOf('Changes from'));
    expect(printed).toContain('2 created · 0 deleted · 3 changed, riskiest first');
    expect(printed).toContain('Directory roles and PIM 1 · Conditional Access 1 · Application and service principal credentials 1 · Everything else 2');
    expect(printed.split('\n').filter((l) => / \(\d+\)$/.test(l))).toEqual(['Directory roles and PIM (1)', 'Conditional Access (1)', 'Application and service principal credentials (1)', 'Everything else (2)']);
    expect(printed).toContain('  1) + created roleAssignment Global Administrator → Mallory Backdoor');
    await d.answer('Type its number', '2');
    await d.waitFor('state: "enabled" → "disabled"');
    await d.answer('Type its number', '');
    // back on the list: nothing was chosen or unlocked; the operator picks
    await d.answer('Which archive do you use?', '');
    await d.waitFor('Step 3 of 8: Unlock');
    expect(services.calls.filter((c) => c.startsWith('unlock'))).toEqual([]);
    d.endInput();
    await d.done;
  });

  it('verifies the vault: scenario, archive, unlock, the check, its report', async () => {
    const services = new FakeServices();
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '6');
    await d.answer('Which archive do you use?', '');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    expect(await d.done).toBe(0);
    expect(d.transcript()).toContain('Step 4 of 5: Execute');
    expect(d.transcript()).toContain('✓ The archive is intact and decrypts.');
    expect(services.calls).toContain(`verifyArchive ${ARCHIVES[1]!.path}`);
  });

  it('restores the objects picked by number from what differs, planned again for them', async () => {
    const services = new FakeServices();
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '3');
    await d.answer('Which archive do you use?', '');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.answer('Where do you restore to?', '1');
    await d.answer('What is the path of the target connection profile?', 'target.json');
    await d.answer('Continue with this target?', '1');
    await d.waitFor('  2) group Sales EMEA: missing');
    await d.answer('Which objects do you restore?', '1 4');
    await d.waitFor('"1 4" is not a list of numbers from 1 to 3.');
    await d.answer('Which objects do you restore?', '3 1');
    await d.waitFor('Plan objects: 3 operations');
    expect(services.calls).toContain('plan objects {"objectIds":["app1","u7"]}');
    await d.answer('Go on to the typed confirmation?', '1');
    await d.answer('Do you write to this tenant?', '2');
    await d.waitFor('DRY RUN: nothing will be written.');
    await d.answer('Start the run now?', '1');
    expect(await d.done).toBe(0);
    expect(services.calls).toContain('execute objects dry-run');
    expect(d.transcript()).toContain('Dry run finished: nothing was written. (exit code 0)');
  });

  it('shows a device code while the sign-in waits; missing permissions block Continue', async () => {
    const services = new FakeServices();
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '2');
    await d.answer('Which archive do you use?', '');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.answer('Where do you restore to?', '1');
    await d.answer('What is the path of the target connection profile?', 'readonly.json');
    await d.waitFor('  ✗ missing Policy.ReadWrite.ConditionalAccess');
    const blocked = await d.waitFor('The target is blocked: what now?');
    expect(blocked.slice(blocked.lastIndexOf('✗ Blocked'))).not.toContain(') Continue');
    await d.answer('[1-3, Enter for 1]', '2');
    await d.answer('Where do you restore to?', '1');
    await d.answer('What is the path of the target connection profile?', 'device.json');
    await d.waitFor('Device-code sign-in: open https://microsoft.com/devicelogin and enter the code F7KQ-2MWP');
    services.completeSignIn();
    await d.waitFor('Preflight: contoso (device code)');
    d.interrupt();
    expect(await d.done).toBe(130);
  });

  it('Ctrl-C leaves a wait that never ends (a target that never answers): 130, nothing written', async () => {
    const services = new FakeServices();
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '1');
    await d.answer('Which archive do you use?', '');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.answer('Where do you restore to?', '1');
    await d.answer('What is the path of the target connection profile?', 'hang.json');
    await d.waitFor('Signing in and running the preflight');
    d.interrupt();
    expect(await d.done).toBe(130);
    expect(services.calls.some((c) => c.startsWith('execute') || c.startsWith('plan'))).toBe(false);
  });
});

/** A terminal's input side: raw mode is recorded. */
class FakeTty extends PassThrough {
  isTTY = true;
  readonly raw: boolean[] = [];
  setRawMode(raw: boolean): this {
    this.raw.push(raw);
    return this;
  }
}

describe('plain wizard passphrase on a terminal', () => {
  it('turns echo off (raw mode) while it is typed, edits Backspace, prints nothing of it, and restores the terminal', async () => {
    const input = new FakeTty();
    const output = new PassThrough();
    let out = '';
    output.on('data', (c: Buffer) => (out += c.toString()));
    const io = new PlainIo(input, output);
    const typed = io.askHidden('What is the passphrase?');
    input.write('hunter3\u007f2\r');
    expect(await typed).toBe('hunter2');
    expect(input.raw).toEqual([true, false]);
    expect(out).toBe('What is the passphrase? \n');
    const again = io.askHidden('What is the passphrase?');
    input.write('abc\u0003');
    await expect(again).rejects.toBeInstanceOf(Left);
    expect(input.raw).toEqual([true, false, true, false]);
    io.close();
  });
});
