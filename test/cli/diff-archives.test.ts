/**
 * Issue 18 item 3, done-when: `diff A B` on two archives around a scripted attack (a new
 * Global Administrator, a disabled CA policy, a new app secret, a federated domain) lists each
 * of those first — in text, JSON and Markdown. A and B are real backups of one emulator
 * tenant; the attack is plain Graph HTTP calls with the restore writer's token.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './io.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { ArchiveDiffReport } from '../../src/restore/render-archive-diff.js';
import type { ObjectChange } from '../../src/restore/archive-diff.js';
import { client, token, type Client } from '../emulator/helpers.js';

const GA_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

describe('diff A B around a scripted attack', () => {
  const tenant = seedTenant({ seed: 18, users: 30 });
  const other = emptyTenant({ seed: 19 });
  let emu: EmulatorHandle;
  let dir: string;
  let graph: Client;
  let archiveA = '';
  let archiveB = '';
  const attack = { user: '', ca: '', app: '', secretKeyId: '', secret: '', domain: '' };

  const backup = async (reader = 'reader.json', vault = 'vault'): Promise<string> => {
    const r = await cli(['backup', '--source', join(dir, reader), '--vault', join(dir, vault), '--init',
      '--recipient', join(dir, 'keys', 'recipient.txt'), '--signing-key', join(dir, 'keys', 'signing.key'), '--json']);
    expect(r.code, r.err).toBe(0);
    return (JSON.parse(r.out) as { archivePath: string }).archivePath;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-diff18-'));
    emu = await startEmulator({ port: 0, tenants: [tenant, other] });
    await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
    expect((await cli(['keys', 'init', '--dir', join(dir, 'keys'), '--x25519'])).code).toBe(0);
    graph = client(emu, await token(emu, tenant, 'restoreWriter'));
    archiveA = await backup();

    // 1. a new user made Global Administrator
    const u = await graph('POST', '/users', {
      accountEnabled: true, displayName: 'Mallory Backdoor', mailNickname: 'mallory', userPrincipalName: `mallory@${tenant.initialDomain}`,
      passwordProfile: { password: 'Attack-Passw0rd!', forceChangePasswordNextSignIn: false },
    });
    expect(u.status, u.text).toBe(201);
    attack.user = u.json.id;
    const ra = await graph('POST', '/roleManagement/directory/roleAssignments', { principalId: attack.user, roleDefinitionId: GA_TEMPLATE, directoryScopeId: '/' });
    expect(ra.status, ra.text).toBe(201);
    // 2. an enabled Conditional Access policy switched off
    const cas = await graph('GET', '/identity/conditionalAccess/policies');
    const ca = (cas.json.value as { id: string; state: string }[]).find((p) => p.state === 'enabled');
    expect(ca, 'the seeded tenant has an enabled CA policy').toBeDefined();
    attack.ca = ca!.id;
    expect((await graph('PATCH', `/identity/conditionalAccess/policies/${attack.ca}`, { state: 'disabled' })).status).toBe(204);
    // 3. a new client secret on an app registration
    const apps = await graph('GET', '/applications?$select=id,displayName');
    attack.app = (apps.json.value as { id: string }[])[0]!.id;
    const pw = await graph('POST', `/applications/${attack.app}/addPassword`, { passwordCredential: { displayName: 'backdoor' } });
    expect(pw.status, pw.text).toBe(200);
    attack.secretKeyId = pw.json.keyId;
    attack.secret = pw.json.secretText;
    expect(attack.secret.length).toBeGreaterThan(8);
    // 4. a verified custom domain switched to federated
    const domains = await graph('GET', '/domains');
    const d = (domains.json.value as { id: string; isVerified: boolean; isInitial: boolean }[]).find((x) => x.isVerified && !x.isInitial);
    expect(d, 'the seeded tenant has a verified custom domain').toBeDefined();
    attack.domain = d!.id;
    const fed = await graph('PATCH', `/domains/${attack.domain}`, { authenticationType: 'Federated' });
    expect(fed.status, fed.text).toBe(204);

    archiveB = await backup();
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two tenants are refused (WRONG_TENANT, exit 3) unless --allow-different-tenants acknowledges it', async () => {
    await emu.writeProfiles(other.tenantId, { readerPath: join(dir, 'other-reader.json'), writerPath: join(dir, 'other-writer.json') });
    // the other tenant's archive in the same vault, under its own tenant directory
    const c = await backup('other-reader.json');
    const refused = await cli(['diff', archiveA, c, '--identity', join(dir, 'keys', 'identity.txt')]);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('[WRONG_TENANT]');
    expect(refused.err).toContain('--allow-different-tenants');
    // outside a vault (no directory names a tenant) the signed manifests still do
    const loose = join(dir, 'loose');
    await mkdir(loose);
    for (const [f, name] of [[archiveA, 'a.evault'], [c, 'c.evault']] as const) {
      await copyFile(f, join(loose, name));
      await copyFile(`${f}.minisig`, join(loose, `${name}.minisig`));
    }
    const manifests = await cli(['diff', join(loose, 'a.evault'), join(loose, 'c.evault'), '--identity', join(dir, 'keys', 'identity.txt'), '--signer', join(dir, 'keys', 'signing.pub')]);
    expect(manifests.code, manifests.err).toBe(3);
    expect(manifests.err).toContain(`[WRONG_TENANT]: the archives are of different tenants (A: ${tenant.tenantId}, B: ${other.tenantId})`);
    const allowed = await cli(['diff', archiveA, c, '--identity', join(dir, 'keys', 'identity.txt'), '--json', '--allow-different-tenants']);
    expect(allowed.code, allowed.err).toBe(1);
    const report = JSON.parse(allowed.out) as ArchiveDiffReport;
    expect([report.a.tenantId, report.b.tenantId]).toEqual([tenant.tenantId, other.tenantId]);
    // the 30 seeded users are not in the empty tenant
    const deletedUsers = report.groups.flatMap((g) => g.changes).filter((x) => x.subject === 'object' && x.type === 'user' && x.change === 'deleted');
    expect(deletedUsers.length).toBeGreaterThanOrEqual(30);
  });

  const diff = (...extra: string[]) => cli(['diff', archiveA, archiveB, '--identity', join(dir, 'keys', 'identity.txt'), ...extra]);

  it('JSON: the four attack findings are the first changes, each in its risk group; exit 1', async () => {
    const r = await diff('--json');
    expect(r.code, r.err).toBe(1);
    expect(r.out).not.toContain(attack.secret);
    expect(r.out).not.toContain('Attack-Passw0rd!');
    const report = JSON.parse(r.out) as ArchiveDiffReport;
    expect(report).toMatchObject({ format: 'entra-vault.archive-diff', version: 1, identical: false, reversed: false });
    expect(report.groups.map((g) => g.risk)).toEqual(['roles', 'conditionalAccess', 'appCredentials', 'federation', 'authenticationMethods', 'consent', 'entitlementManagement', 'other']);
    const ordered = report.groups.flatMap((g) => g.changes.map((c) => ({ risk: g.risk, c })));
    const firstOther = ordered.findIndex((x) => x.risk === 'other');
    const risky = ordered.slice(0, firstOther);
    // nothing else of the top groups changed: exactly the four findings come first
    expect(risky.map((x) => x.risk)).toEqual(['roles', 'conditionalAccess', 'appCredentials', 'federation']);
    const [ga, ca, secret, domain] = risky.map((x) => x.c as ObjectChange);
    expect(ga).toMatchObject({ change: 'created', type: 'roleAssignment', label: 'Global Administrator → Mallory Backdoor' });
    expect(ga!.properties).toEqual(expect.arrayContaining([{ property: 'principalId', before: null, after: attack.user }]));
    expect(ca).toMatchObject({ change: 'changed', type: 'conditionalAccessPolicy', idA: attack.ca, idB: attack.ca });
    expect(ca!.properties).toEqual(expect.arrayContaining([{ property: 'state', before: 'enabled', after: 'disabled' }]));
    expect(secret).toMatchObject({ change: 'changed', type: 'application', idA: attack.app });
    expect(secret!.credentials).toEqual([expect.objectContaining({ property: 'passwordCredentials', change: 'added', credential: expect.objectContaining({ keyId: attack.secretKeyId, displayName: 'backdoor' }) })]);
    expect(domain).toMatchObject({ change: 'changed', type: 'domain', idA: attack.domain });
    expect(domain!.properties).toEqual([{ property: 'authenticationType', before: 'Managed', after: 'Federated' }]);
    // the new user itself is there too, with everything else
    expect(ordered.slice(firstOther).map((x) => x.c)).toEqual(expect.arrayContaining([expect.objectContaining({ change: 'created', type: 'user', idB: attack.user })]));
  });

  it('text: the first four change lines are the attack, riskiest first', async () => {
    const r = await diff();
    expect(r.code, r.err).toBe(1);
    expect(r.out).not.toContain(attack.secret);
    // a change's headline is its `  + ` line and the 4-space continuation lines of its wrap
    const lines: string[] = [];
    for (const l of r.out.split('\n')) {
      if (/^ {2}[+~-] /.test(l)) lines.push(l);
      else if (/^ {4}\S/.test(l) && lines.length) lines[lines.length - 1] += ` ${l.trim()}`;
    }
    expect(lines[0]).toMatch(/^ {2}\+ created roleAssignment Global Administrator → Mallory Backdoor/);
    expect(lines[1]).toMatch(new RegExp(`^ {2}~ changed conditionalAccessPolicy .*\\(${attack.ca}`));
    expect(lines[2]).toMatch(new RegExp(`^ {2}~ changed application .*\\(${attack.app}`));
    expect(lines[3]).toMatch(new RegExp(`^ {2}~ changed domain ${attack.domain.replace(/\./g, '\\.')}`));
    expect(r.out).toMatch(/state: "enabled" → "disabled"/);
    expect(r.out).toContain(`secret added: backdoor, keyId ${attack.secretKeyId}`);
    expect(r.out).toMatch(/authenticationType: "Managed" → "Federated"/);
    const titles = r.out.split('\n').filter((l) => /^\S.* \(\d+\)$/.test(l));
    expect(titles.slice(0, 4).map((t) => t.replace(/ \(\d+\)$/, ''))).toEqual(['Directory roles and PIM', 'Conditional Access', 'Application and service principal credentials', 'Federation']);
  });

  it('Markdown: the first four list items are the attack', async () => {
    const r = await diff('--markdown');
    expect(r.code, r.err).toBe(1);
    expect(r.out).not.toContain(attack.secret);
    const items = r.out.split('\n').filter((l) => l.startsWith('- '));
    expect(items[0]).toMatch(/^- \*\*created\*\* roleAssignment Global Administrator → Mallory Backdoor/);
    expect(items[1]).toMatch(/^- \*\*changed\*\* conditionalAccessPolicy /);
    expect(items[2]).toMatch(/^- \*\*changed\*\* application /);
    expect(items[3]).toMatch(/^- \*\*changed\*\* domain /);
    expect(r.out.split('\n').filter((l) => l.startsWith('## ')).slice(0, 4)).toEqual([
      '## Directory roles and PIM (1)', '## Conditional Access (1)', '## Application and service principal credentials (1)', '## Federation (1)',
    ]);
  });

  it('B against A (older second): the vault\'s rollback rule does not apply, the GA shows as deleted, reversed is set', async () => {
    const r = await cli(['diff', archiveB, archiveA, '--identity', join(dir, 'keys', 'identity.txt'), '--json']);
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as ArchiveDiffReport;
    expect(report.reversed).toBe(true);
    expect(report.groups[0]!.changes[0]).toMatchObject({ change: 'deleted', type: 'roleAssignment', label: 'Global Administrator → Mallory Backdoor' });
    // the same archive is refused by a restore-side command without --allow-rollback
    const plan = await cli(['plan', archiveA, '--target', join(dir, 'writer.json'), '--identity', join(dir, 'keys', 'identity.txt')]);
    expect(plan.code).toBe(3);
    expect(plan.err).toContain('[ROLLBACK]');
  });

  it('A against itself is identical: exit 0; --target with two archives is a usage error', async () => {
    const same = await cli(['diff', archiveA, archiveA, '--identity', join(dir, 'keys', 'identity.txt'), '--json']);
    expect(same.code, same.err).toBe(0);
    expect(JSON.parse(same.out)).toMatchObject({ identical: true, counts: { created: 0, deleted: 0, changed: 0 } });
    const both = await diff('--target', join(dir, 'reader.json'));
    expect(both.code).toBe(2);
    expect(both.err).toContain('[USAGE]');
    const none = await cli(['diff', archiveA, '--identity', join(dir, 'keys', 'identity.txt')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--target');
  });
});
