/**
 * Issue 18 item 3 through the real wizard services (tui/services-real.ts → tui/services-changes.ts
 * → src/ops/archive-diff.ts, src/ops/archive-live-diff.ts): "what changed since this archive?"
 * on one small emulator tenant. Two real signed backups around the done-when's scripted attack
 * (a new Global Administrator, a disabled CA policy, a new app secret, a federated domain), made
 * with plain Graph HTTP calls; then one more change after the second backup, which only the
 * comparison with the live tenant can see. Reads only: the tenant is read back through Graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { initKeys, loadSigningKey } from '../../src/crypto/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { ObjectChange } from '../../src/restore/archive-diff.js';
import type { ArchiveDiffReport } from '../../tui/services.js';
import { realWizardServices } from '../../tui/services-real.js';
import { client, token } from '../emulator/helpers.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const tenant = seedTenant({ seed: 18, users: 10 });
let emu: EmulatorHandle;
let dir: string;
let identity: string;
let vault: string;
let older = '';
const attack = { user: '', ca: '', app: '', secret: '', domain: '' };

/** "type:change" of each risk group's first change, for the groups that have any, riskiest first. */
const firsts = (r: ArchiveDiffReport): string[] =>
  r.groups.filter((g) => g.changes.length > 0 && g.risk !== 'other').map((g) => { const c = g.changes[0] as ObjectChange; return `${g.risk}:${c.type}:${c.change}`; });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-changes-'));
  emu = await startEmulator({ port: 0, tenants: [tenant] });
  await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
  const keys = await initKeys(join(dir, 'keys'), { x25519: false });
  identity = keys.identityPath;
  vault = join(dir, 'vault');
  const signingKey = await loadSigningKey(keys.signingKeyPath);
  const reader = await createGraphClient(await loadProfile(join(dir, 'reader.json')), { clock: systemClock });
  const backup = async (): Promise<string> => (await runBackup({
    graph: reader, vaultDir: vault, recipients: [keys.recipient], signingKey, reporter: { report: () => undefined }, clock: systemClock, toolVersion: 'test', createVault: true,
  })).archivePath;
  older = await backup();
  const graph = client(emu, await token(emu, tenant, 'restoreWriter'));
  const u = await graph('POST', '/users', { accountEnabled: true, displayName: 'Mallory Backdoor', mailNickname: 'mallory', userPrincipalName: `mallory@${tenant.initialDomain}`, passwordProfile: { password: 'Attack-Passw0rd!' } });
  expect(u.status, u.text).toBe(201);
  attack.user = u.json.id;
  expect((await graph('POST', '/roleManagement/directory/roleAssignments', { principalId: attack.user, roleDefinitionId: GA, directoryScopeId: '/' })).status).toBe(201);
  attack.ca = (await graph('GET', '/identity/conditionalAccess/policies')).json.value.find((p: { state: string }) => p.state === 'enabled').id;
  expect((await graph('PATCH', `/identity/conditionalAccess/policies/${attack.ca}`, { state: 'disabled' })).status).toBe(204);
  attack.app = (await graph('GET', '/applications?$select=id')).json.value[0].id;
  const pw = await graph('POST', `/applications/${attack.app}/addPassword`, { passwordCredential: { displayName: 'backdoor' } });
  expect(pw.status, pw.text).toBe(200);
  attack.secret = pw.json.secretText;
  attack.domain = (await graph('GET', '/domains')).json.value.find((d: { isVerified: boolean; isInitial: boolean }) => d.isVerified && !d.isInitial).id;
  expect((await graph('PATCH', `/domains/${attack.domain}`, { authenticationType: 'Federated' })).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('realWizardServices.changesSince (issue 18 item 3)', () => {
  it('the archive against the connected tenant: the attack first, grouped by risk, no secret; keys and target required; two archives', async () => {
    const svc = realWizardServices({ workDir: join(dir, 'work'), vaultDir: vault });
    try {
      // nothing unlocked and no key typed: refused, nothing decrypted
      await expect(svc.changesSince!({ kind: 'archives', olderPath: older, newerPath: older })).rejects.toMatchObject({ code: 'USAGE' });
      // the two-archive path (the pair around an attack is test/cli/diff-archives.test.ts): an archive with itself
      const same = await svc.changesSince!({ kind: 'archives', olderPath: older, newerPath: older, identityPath: identity });
      expect(same.identical).toBe(true);
      // live needs a connected target
      await expect(svc.changesSince!({ kind: 'live', archivePath: older })).rejects.toMatchObject({ code: 'USAGE' });
      await svc.connect({ profilePath: join(dir, 'writer.json') }, { onDeviceCode: () => undefined, signal: new AbortController().signal });
      // the identity typed for the first comparison is kept for this one
      const phases: string[] = [];
      const live = await svc.changesSince!({ kind: 'live', archivePath: older }, { reporter: { report: (e) => e.kind === 'phase' && phases.push(e.message) } });
      expect(phases).toContain('reading the target tenant');
      expect(live.identical).toBe(false);
      expect(live.b.manifestSha256).toBe('');
      expect(live.b.tenantId).toBe(tenant.tenantId);
      expect(firsts(live)).toEqual(['roles:roleAssignment:created', 'conditionalAccess:conditionalAccessPolicy:changed', 'appCredentials:application:changed', 'federation:domain:changed']);
      expect((live.groups[0]!.changes as ObjectChange[]).map((c) => `${c.change} ${c.label}`)).toEqual(['created Global Administrator → Mallory Backdoor']);
      expect((live.groups[1]!.changes[0] as ObjectChange).properties).toContainEqual({ property: 'state', before: 'enabled', after: 'disabled' });
      expect(JSON.stringify(live)).not.toContain(attack.secret);
    } finally {
      await svc.close();
    }
  }, 60_000);
});
