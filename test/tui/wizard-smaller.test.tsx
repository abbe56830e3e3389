/**
 * Issue 12 item 14, each sub-item a test: what the wizard says after going back to Unlock,
 * a damaged newest archive, which tenant an archive is of, which archive a vault check
 * failed on, next steps in wizard keys rather than CLI flags, who holds Global
 * Administrator after an all-admins-deleted restore, and a first frame at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, mount, type Driver } from './harness.js';
import { FakeServices, IDENTITY } from './fake-services.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: Parameters<typeof mount>[1] = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});

async function toArchive(d: Driver, scenario = 0): Promise<void> {
  await d.waitFor('enter choose');
  for (let i = 0; i < scenario; i++) await d.press(KEY.down);
  await d.press(KEY.enter);
  await d.waitFor('Archives in');
}

async function toConnect(d: Driver, scenario = 0): Promise<void> {
  await toArchive(d, scenario);
  await d.press(KEY.enter);
  await d.waitFor('Unlock the archive');
  await d.type(IDENTITY);
  await d.press(KEY.enter);
  await d.waitFor('Connect to the target');
}

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
