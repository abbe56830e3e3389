/**
 * The stand-in the CLI's wizard runs over (tui/lazy-services.ts, bin/entra-vault.js) forwards
 * every service the wizard may call. It once lacked `changesSince`, so the real wizard never
 * offered the Archive step's `w` ("what changed since this archive?", issue 18 item 3) while
 * every test of the step ran over services that had it.
 */
import { describe, expect, it } from 'vitest';
import { lazyServices } from '../../tui/lazy-services.js';
import { WIZARD_SERVICE_MEMBERS, type WizardServices } from '../../tui/services.js';
import { FakeServices } from './fake-services.js';


describe('lazyServices', () => {
  it('forwards every member of WizardServices, optional ones included, to the loaded services', async () => {
    const fake = new FakeServices({ changes: true });
    const lazy = lazyServices(async () => fake);
    for (const name of Object.keys(WIZARD_SERVICE_MEMBERS)) expect({ name, type: typeof (lazy as unknown as Record<string, unknown>)[name] }).toEqual({ name, type: 'function' });
    const list = await lazy.listArchives('/v');
    expect(list).toEqual(await fake.listArchives('/v'));
    const req = { kind: 'archives' as const, olderPath: list[0]!.path, newerPath: list[0]!.path };
    await expect(lazy.changesSince!(req)).resolves.toEqual(await fake.changesSince!(req));
  });

  it('a loaded implementation without changesSince: a one-line operator error naming the CLI command', async () => {
    const { changesSince: _omit, ...without } = new FakeServices({ changes: true }) as unknown as Record<string, unknown>;
    const lazy = lazyServices(async () => without as unknown as WizardServices);
    await expect(lazy.changesSince!({ kind: 'archives', olderPath: 'a', newerPath: 'b' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
