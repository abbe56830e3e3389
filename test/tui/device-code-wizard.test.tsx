/**
 * The wizard connects with a device-code profile (issue 14 item 5): the real services
 * (tui/services-real.ts) over the emulator served with TLS, the profile naming only the
 * app and `auth.kind: deviceCode`. The Connect step shows the verification address and
 * the user code while @azure/identity's DeviceCodeCredential polls; the test, standing in
 * for the operator signing in on another device, completes the code through the
 * emulator's control, and the preflight then reads the target with the delegated token.
 *
 * Follows https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 * (device authorization request, the user code shown to the user, polling with
 * authorization_pending until the user signs in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { realWizardServices } from '../../tui/services-real.js';
import { preflight } from '../../src/ops/preflight.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { MICROSOFT_GRAPH_APP_ID, RESTORE_WRITER_PERMISSIONS } from '../../src/catalog/permissions.js';
import { drillVault, type DrillVault } from './real-vault.js';
import { KEY, mount } from './harness.js';

let dir: string;
let v: DrillVault;
let emu: EmulatorHandle;
let target: SeededTenant;
let profilePath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-devicecode-'));
  v = await drillVault(join(dir, 'drill'));
  target = emptyTenant({ seed: 31 });
  emu = await startEmulator({ tenants: [target], tls: true });
  const writer = join(dir, 'writer.json');
  await emu.writeProfiles(target.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: writer, auth: 'clientSecret' });
  // The appliance's interactive profile: the writer app's id, no secret, device code. A
  // delegated token carries only the scopes an admin consented for the app (an
  // oauth2PermissionGrant for all principals), so the setup grants them through plain Graph
  // calls, as docs/design.md "Interfaces" tells an operator to.
  const app = await createGraphClient(await loadProfile(writer), {});
  const graphSp = await app.get<{ id: string }>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id`);
  const w = JSON.parse(await readFile(writer, 'utf8')) as Record<string, unknown>;
  const client = await app.get<{ id: string }>(`/servicePrincipals(appId='${String(w.clientId)}')?$select=id`);
  await app.post('/oauth2PermissionGrants', { clientId: client.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: [...new Set(RESTORE_WRITER_PERMISSIONS)].join(' ') });
  profilePath = join(dir, 'device-code.json');
  await writeFile(profilePath, JSON.stringify({ ...w, name: 'operator sign-in', auth: { kind: 'deviceCode' } }, null, 2), { mode: 0o600 });
}, 300_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the wizard with a device-code profile', () => {
  it('shows the code, waits for the sign-in, then connects and runs the preflight', async () => {
    const svc = realWizardServices({ workDir: join(dir, 'work'), vaultDir: v.vault });
    const d = mount(svc, { vaultDir: v.vault });
    try {
      await d.waitFor('enter choose', 60_000);
      await d.press(KEY.enter);
      await d.waitFor((f) => f.includes('Archives in') && f.includes('✓ signed'), 60_000);
      await d.press(KEY.enter);
      await d.waitFor('Unlock the archive', 60_000);
      await d.type(v.identity);
      await d.press(KEY.enter);
      await d.waitFor('Connect to the target tenant', 60_000);
      await d.type(profilePath);
      await d.press(KEY.enter);
      const prompt = await d.waitFor((f) => /enter the code\s+\S+/.test(f), 60_000);
      const code = /enter the code\s+(\S+)/.exec(prompt)![1]!;
      expect(prompt).toContain(`${emu.url}/devicelogin`);
      // nothing is connected before the operator signs in
      expect(prompt).not.toContain('Preflight');
      const admin = target.objects.user!.find((u) => typeof u.userPrincipalName === 'string')!;
      emu.tenant(target.tenantId).completeDeviceCode(code, String(admin.userPrincipalName));
      const pre = await d.waitFor('Preflight', 60_000);
      expect(pre).toContain(target.tenantId);
      // the delegated scopes count, and the operator is named (a Global Administrator)
      expect(pre).toContain(`signed in as ${String(admin.userPrincipalName)}`.slice(0, 40));
      expect(pre).toContain('All needed permissions are held');
      expect(pre).not.toContain('enter the code');
      // the token the wizard used is the operator's (delegated), not an app secret
      expect(emu.tenant(target.tenantId).stats().tokens).toBeGreaterThanOrEqual(2);
    } finally {
      d.unmount();
      await svc.dispose?.();
    }
  }, 600_000);
});

describe('a delegated token acts as its user', () => {
  it('preflight names a signed-in user who is not a Global Administrator as missing; /me needs a delegated token', async () => {
    const app = await createGraphClient(await loadProfile(join(dir, 'writer.json')), {});
    // Graph answers /me only for a signed-in user (https://learn.microsoft.com/graph/api/user-get)
    await expect(app.get('/me')).rejects.toMatchObject({ status: 400 });
    const domain = String(target.objects.domain?.[0]?.id ?? '');
    const upn = `helpdesk@${domain}`;
    await app.post('/users', { accountEnabled: true, displayName: 'Helpdesk', mailNickname: 'helpdesk', userPrincipalName: upn, passwordProfile: { password: 'Tmp-12345-abcdef!', forceChangePasswordNextSignIn: true } });
    const profile = await loadProfile(profilePath);
    const graph = await createGraphClient(profile, {
      deviceCodePrompt: (p) => { setTimeout(() => emu.tenant(target.tenantId).completeDeviceCode(p.userCode, upn), 200); },
    });
    const me = await graph.get<{ userPrincipalName: string }>('/me?$select=userPrincipalName');
    expect(me.userPrincipalName).toBe(upn);
    const p = await preflight(graph, profile.tenantId, profile.clientId, 'operator sign-in', { delegated: true });
    expect(p.signedInAs).toBe(upn);
    // the consented scopes are held, the role is not: a restore would stop before writing
    expect(p.missing).toEqual([`Global Administrator role for ${upn}`]);
  }, 120_000);
});
