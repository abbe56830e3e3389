/**
 * PIM schedules are changed by request, never written directly (docs/graph-facts.md S386):
 * - unifiedRoleAssignmentSchedule and unifiedRoleEligibilitySchedule
 *   (https://learn.microsoft.com/graph/api/resources/unifiedroleassignmentschedule,
 *   https://learn.microsoft.com/graph/api/resources/unifiedroleeligibilityschedule): the Methods
 *   tables list only List, Get and Filter by current user; a PATCH, POST or DELETE of a schedule
 *   is answered 405 (the message Graph gives an undocumented PATCH, S387).
 * - unifiedRoleAssignmentScheduleRequest
 *   (https://learn.microsoft.com/graph/api/resources/unifiedroleassignmentschedulerequest):
 *   "`adminUpdate`: For administrators to change existing role assignments"; the same action on
 *   eligibility requests and on PIM for Groups requests
 *   (https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupassignmentschedulerequest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

type Obj = Record<string, unknown>;
const DIR = '/roleManagement/directory';
const GROUP = '/identityGovernance/privilegedAccess/group';
const endIn2030 = { startDateTime: '2025-01-01T00:00:00Z', recurrence: null, expiration: { type: 'afterDateTime', endDateTime: '2030-01-01T00:00:00Z', duration: null } };

describe('emulator: PIM schedules changed by adminUpdate requests only', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 153, users: 60 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  for (const [set, requests] of [['roleAssignmentSchedules', 'roleAssignmentScheduleRequests'], ['roleEligibilitySchedules', 'roleEligibilityScheduleRequests']] as const) {
    it(`${set}: PATCH, POST and DELETE are 405 and change nothing; adminUpdate changes the period`, async () => {
      const s = ((await L.reader('GET', `${DIR}/${set}`)).json.value as Obj[])[0]!;
      const before = (await L.reader('GET', `${DIR}/${set}/${String(s.id)}`)).json;
      for (const [method, path, body] of [['PATCH', `${DIR}/${set}/${String(s.id)}`, { scheduleInfo: endIn2030 }], ['DELETE', `${DIR}/${set}/${String(s.id)}`, undefined], ['POST', `${DIR}/${set}`, { principalId: s.principalId, roleDefinitionId: s.roleDefinitionId, directoryScopeId: '/', scheduleInfo: endIn2030 }]] as const) {
        const r = await L.writer(method, path, body);
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(errorCode(r)).toBe('Request_BadRequest');
      }
      expect((await L.reader('GET', `${DIR}/${set}/${String(s.id)}`)).json).toEqual(before);

      const subject = { principalId: s.principalId, roleDefinitionId: s.roleDefinitionId, directoryScopeId: s.directoryScopeId ?? '/' };
      const r = await L.writer('POST', `${DIR}/${requests}`, { action: 'adminUpdate', ...subject, justification: 'test', scheduleInfo: endIn2030 });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ action: 'adminUpdate', targetScheduleId: s.id });
      const after = (await L.reader('GET', `${DIR}/${set}/${String(s.id)}`)).json;
      expect(after.scheduleInfo).toEqual(endIn2030);
      // one schedule still, the same one
      const again = (await L.reader('GET', `${DIR}/${set}?$filter=${encodeURIComponent(`principalId eq '${String(s.principalId)}'`)}`)).json.value as Obj[];
      expect(again.filter((x) => x.roleDefinitionId === s.roleDefinitionId && (x.directoryScopeId ?? '/') === subject.directoryScopeId).map((x) => x.id)).toEqual([s.id]);

      // a schedule that does not exist cannot be updated, and the body must carry a period
      const none = await L.writer('POST', `${DIR}/${requests}`, { action: 'adminUpdate', ...subject, principalId: '00000000-0000-0000-0000-000000000001', scheduleInfo: endIn2030 });
      expect(none.status).toBe(404);
      const bad = await L.writer('POST', `${DIR}/${requests}`, { action: 'adminUpdate', ...subject, scheduleInfo: 'soon' });
      expect(bad.status).toBe(400);
      // a validation-only request is not emulated: refused, never performed as a real one
      const check = await L.writer('POST', `${DIR}/${requests}`, { action: 'adminUpdate', ...subject, isValidationOnly: true, scheduleInfo: { ...endIn2030, expiration: { type: 'noExpiration', endDateTime: null, duration: null } } });
      expect(check.status).toBe(400);
      expect((await L.reader('GET', `${DIR}/${set}/${String(s.id)}`)).json.scheduleInfo).toEqual(endIn2030);
      // the reader may not
      expect((await L.reader('POST', `${DIR}/${requests}`, { action: 'adminUpdate', ...subject, scheduleInfo: endIn2030 })).status).toBe(403);
    });
  }

  it('PIM for Groups: adminUpdate changes an assignment\'s period; the schedules stay read-only', async () => {
    const seeded = (L.tenant.objects.pimGroupAssignmentSchedule ?? []) as Obj[];
    const groupId = String(seeded[0]!.groupId);
    const list = (await L.reader('GET', `${GROUP}/assignmentSchedules?$filter=${encodeURIComponent(`groupId eq '${groupId}'`)}`)).json.value as Obj[];
    const s = list[0]!;
    expect((await L.writer('PATCH', `${GROUP}/assignmentSchedules/${String(s.id)}`, { scheduleInfo: endIn2030 })).status).toBe(405);
    const r = await L.writer('POST', `${GROUP}/assignmentScheduleRequests`, { action: 'adminUpdate', accessId: s.accessId, principalId: s.principalId, groupId, justification: 'test', scheduleInfo: endIn2030 });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ action: 'adminUpdate', targetScheduleId: s.id });
    const after = (await L.reader('GET', `${GROUP}/assignmentSchedules/${String(s.id)}`)).json;
    expect(after.scheduleInfo).toEqual(endIn2030);
    const none = await L.writer('POST', `${GROUP}/assignmentScheduleRequests`, { action: 'adminUpdate', accessId: s.accessId === 'member' ? 'owner' : 'member', principalId: s.principalId, groupId, scheduleInfo: endIn2030 });
    expect(none.status).toBe(404);
    // no period: nothing to change, refused (never defaulted to a permanent assignment)
    expect((await L.writer('POST', `${GROUP}/assignmentScheduleRequests`, { action: 'adminUpdate', accessId: s.accessId, principalId: s.principalId, groupId })).status).toBe(400);
    expect((await L.reader('GET', `${GROUP}/assignmentSchedules/${String(s.id)}`)).json.scheduleInfo).toEqual(endIn2030);
  });
});
