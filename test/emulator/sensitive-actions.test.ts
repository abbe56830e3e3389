/**
 * Sensitive actions on users (issue 14 item 3), as Graph documents them:
 * - https://learn.microsoft.com/graph/api/resources/users "Who can update sensitive
 *   attributes?": accountEnabled, businessPhones, mobilePhone, onPremisesImmutableId,
 *   otherMails, passwordProfile and userPrincipalName of a user holding an admin role are
 *   updated only by the roles of the table (Global Administrator's row: Privileged
 *   Authentication Administrator and Global Administrator);
 * - https://learn.microsoft.com/graph/api/user-delete: "In app-only scenarios, the
 *   User.ReadWrite.All application permission isn't enough privilege to delete users with
 *   privileged administrative roles. The app must be assigned a higher privileged
 *   administrator role";
 * - https://learn.microsoft.com/graph/api/directory-deleteditems-restore: restoring such a
 *   user needs the same.
 * The emulator answers 403 Authorization_RequestDenied "Insufficient privileges to complete
 * the operation." (src/emulator/sensitive-actions.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_ADMIN_TEMPLATE_ID, PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID } from '../../src/catalog/permissions.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

describe('emulator: sensitive actions on users who hold admin roles', () => {
  let L: Lab;
  let writerSp = '';
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 93 }));
    const cred = L.tenant.credentials.find((c) => c.role === 'restoreWriter')!;
    writerSp = String((await L.writer('GET', `/servicePrincipals(appId='${cred.clientId}')?$select=id`)).json.id);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  const domain = (): string => L.tenant.initialDomain;
  async function user(nick: string): Promise<string> {
    const r = await L.writer('POST', '/users', {
      accountEnabled: true, displayName: nick, mailNickname: nick, userPrincipalName: `${nick}@${domain()}`,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Xy7!-correct-horse-battery' },
    });
    expect(r.status).toBe(201);
    return String(r.json.id);
  }
  async function grant(principalId: string, roleDefinitionId: string): Promise<string> {
    const r = await L.writer('POST', '/roleManagement/directory/roleAssignments', { principalId, roleDefinitionId, directoryScopeId: '/' });
    expect(r.status).toBe(201);
    return String(r.json.id);
  }
  const revoke = async (id: string): Promise<void> => {
    expect((await L.writer('DELETE', `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(204);
  };
  const writerRole = async (templateId: string): Promise<string | undefined> => {
    const r = await L.writer('GET', `/roleManagement/directory/roleAssignments?$filter=principalId eq '${writerSp}'`);
    return (r.json.value as { id: string; roleDefinitionId: string }[]).find((a) => a.roleDefinitionId === templateId)?.id;
  };

  it('the recovery app of a new tenant holds Privileged Authentication Administrator, as the documented setup gives it', async () => {
    expect(await writerRole(PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID)).toBeDefined();
  });

  it('without it, the app may not update the password or phones of a Global Administrator, nor delete or restore one', async () => {
    const admin = await user('ga-sensitive');
    await grant(admin, GLOBAL_ADMIN_TEMPLATE_ID);
    const plain = await user('plain-sensitive');
    await revoke((await writerRole(PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID))!);

    for (const body of [{ mobilePhone: '+1 555 0100' }, { accountEnabled: false }, { passwordProfile: { password: 'Another-9!-long-secret', forceChangePasswordNextSignIn: true } }, { userPrincipalName: `ga-renamed@${domain()}` }]) {
      const r = await L.writer('PATCH', `/users/${admin}`, body);
      expect(r.status, JSON.stringify(body)).toBe(403);
      expect(errorCode(r)).toBe('Authorization_RequestDenied');
    }
    // a property that is not sensitive is the permission's alone
    expect((await L.writer('PATCH', `/users/${admin}`, { jobTitle: 'Incident lead' })).status).toBe(204);
    expect((await L.writer('DELETE', `/users/${admin}`)).status).toBe(403);
    // a user without an admin role: the permission is enough
    expect((await L.writer('PATCH', `/users/${plain}`, { mobilePhone: '+1 555 0101' })).status).toBe(204);
    expect((await L.writer('DELETE', `/users/${plain}`)).status).toBe(204);
    expect((await L.writer('POST', `/directory/deletedItems/${plain}/restore`)).status).toBe(200);

    // with the role back the app may act; a deleted admin keeps its role, so its restore needs the role too
    const back = await grant(writerSp, PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID);
    expect((await L.writer('PATCH', `/users/${admin}`, { mobilePhone: '+1 555 0102' })).status).toBe(204);
    expect((await L.writer('DELETE', `/users/${admin}`)).status).toBe(204);
    await revoke(back);
    const refused = await L.writer('POST', `/directory/deletedItems/${admin}/restore`);
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe('Authorization_RequestDenied');
    await grant(writerSp, PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID);
    expect((await L.writer('POST', `/directory/deletedItems/${admin}/restore`)).status).toBe(200);
  });

  it('User Administrator on the app acts on a Helpdesk Administrator, not on a Global Administrator (the table, row by row)', async () => {
    const paa = (await writerRole(PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID))!;
    const ua = await grant(writerSp, USER_ADMIN);
    await revoke(paa);
    const helpdesk = await user('helpdesk-sensitive');
    await grant(helpdesk, HELPDESK_ADMIN);
    const ga = await user('ga2-sensitive');
    await grant(ga, GLOBAL_ADMIN_TEMPLATE_ID);
    expect((await L.writer('PATCH', `/users/${helpdesk}`, { businessPhones: ['+1 555 0103'] })).status).toBe(204);
    expect((await L.writer('PATCH', `/users/${ga}`, { businessPhones: ['+1 555 0104'] })).status).toBe(403);
    await revoke(ua);
    await grant(writerSp, PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID);
  });
});
