/**
 * Issue 18 item 3: the wizard offers "what changed since this archive?" on the Archive step,
 * before the point to restore is chosen (tui/steps/archive-changes.tsx). Without a target,
 * `w` marks an archive and `w` on another compares the two (older first); with a connected
 * target (back on the Archive step from Connect), `w` compares the highlighted archive with
 * the tenant. The report is grouped by risk with the counts per group, each change opens a
 * detail, Esc returns to the list and the operator picks. Over the fake services, whose
 * report is the real comparison of the done-when's scripted attack (fake-services.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, mount, type Driver } from './harness.js';
import { expectFramesFit, squashed, toArchive, toConnect } from './journey.js';
import { ARCHIVES, FakeServices, IDENTITY } from './fake-services.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: Parameters<typeof mount>[1] = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});

const NEWER = ARCHIVES[1]!.path;
const OLDER = ARCHIVES[2]!.path;
const changes = (f: FakeServices): string[] => f.calls.filter((c) => c.startsWith('changesSince'));
/** The frame's lines that head a risk group, in order. */
const groups = (frame: string): string[] => frame.split('\n').filter((l) => /^\S.*\(\d+\)\s*$/.test(l)).map((l) => l.trim());

describe('what changed since this archive? (issue 18 item 3)', () => {
  it('two archives, no target yet: w marks, w on another compares (older first) after the identity file; risk groups first; detail; back to pick', async () => {
    const f = new FakeServices({ changes: true });
    const d = start(f);
    await toArchive(d);
    expect(d.frame()).toContain('w compare');
    const from = d.frames().length;
    // the preselected archive (TENANT's newest) is marked, then the older one is compared with it
    await d.press('w');
    await d.waitFor('Marked 2025-03-01 03:00');
    await d.press(KEY.down);
    await d.waitFor('› 2025-02-28');
    await d.press('w');
    await d.waitFor('Identity file:');
    await d.type(IDENTITY);
    await d.press(KEY.enter);
    const report = await d.waitFor('Changes from');
    expect(changes(f)).toEqual([`changesSince ${OLDER} → ${NEWER} key ${IDENTITY}`]);
    expect(report).toContain('2 created · 0 deleted · 3 changed, riskiest first');
    expect(report).toMatch(/Directory roles and PIM 1 · Conditional Access 1 · Application and service\s+principal credentials 1 · Everything else 2/);
    expect(groups(report)).toEqual(['Directory roles and PIM (1)', 'Conditional Access (1)', 'Application and service principal credentials (1)', 'Everything else (2)']);
    expect(report).toMatch(/› \+ created roleAssignment Global Administrator → Mallory Backdoor/);
    // the CA change's detail: the property before → after
    await d.press(KEY.down, KEY.enter);
    const detail = await d.waitFor('Properties');
    expect(detail).toContain('state: "enabled" → "disabled"');
    expect(detail).toContain('Conditional Access');
    // the secret's detail shows its metadata, never a secret
    await d.press(KEY.esc, KEY.down, KEY.right);
    expect(await d.waitFor('Credentials')).toMatch(/secret added: backdoor, keyId k-evil, hint Xx~/);
    await d.press(KEY.esc);
    await d.waitFor('Changes from');
    await d.press(KEY.esc);
    await d.waitFor('Archives in');
    // nothing was chosen or unlocked by the comparison: the operator picks now
    expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual([]);
    // the cursor is where it was (on the older archive): the operator picks the newer one
    expect(d.frame()).toMatch(/› 2025-02-28/);
    await d.press(KEY.up, KEY.enter);
    await d.waitFor('Unlock the archive');
    expectFramesFit(d, { columns: 80, rows: 24 }, from);
  });

  it('with a connected target: w compares the highlighted archive with the tenant, with the unlocked key; the wait shows progress and Esc cancels', async () => {
    const f = new FakeServices({ changes: true, holdChanges: true });
    const d = start(f);
    await toConnect(d);
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.esc);
    await d.waitFor('Unlocked with');
    await d.press(KEY.esc);
    expect(await d.waitFor('Archives in')).toContain('w changes since');
    await d.press('w');
    const wait = await d.waitFor((fr) => squashed(fr).includes(squashed('reading the target tenant')));
    expect(wait).toContain('please wait');
    await d.press(KEY.esc);
    await d.waitFor('CANCELLED');
    expect(changes(f)).toEqual([`changesSince live ${NEWER}`]);
    f.release();
    await d.press('w');
    const report = await d.waitFor('Changes from');
    expect(report).toContain('→ live tenant now');
    expect(groups(report)[0]).toBe('Directory roles and PIM (1)');
    expect(changes(f)).toEqual([`changesSince live ${NEWER}`, `changesSince live ${NEWER}`]);
  });

  it('a wrong identity file is refused on the Archive step, which stays usable', async () => {
    const f = new FakeServices({ changes: true });
    const d = start(f);
    await toArchive(d);
    // keys faster than a frame: the marked archive and the cursor are read at once
    await d.burst('w', KEY.down, 'w');
    await d.waitFor('Identity file:');
    await d.type('/wrong/key.txt');
    await d.press(KEY.enter);
    const frame = await d.waitFor('KEY_INVALID');
    expect(frame).toContain('Archives in');
    await d.press(KEY.up, KEY.enter);
    await d.waitFor('Unlock the archive');
  });

  it('services without changesSince: no w on the key line, and w does nothing', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toArchive(d);
    expect(d.frame()).not.toContain('w compare');
    await d.press('w', KEY.down, 'w');
    expect(d.frame()).not.toContain('Marked');
    expect(d.frame()).not.toContain('Identity file:');
  });
});
