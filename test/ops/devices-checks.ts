/**
 * Issue 15 items 7 and 10, checked after a tenant-loss restore into a new tenant, read back
 * through Graph (https://learn.microsoft.com/graph/api/certificatebasedauthconfiguration-list,
 * https://learn.microsoft.com/graph/api/device-list,
 * https://learn.microsoft.com/graph/api/deviceregistrationpolicy-get,
 * https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-get):
 * - the CBA trust store is recreated under the new tenant's organization with every certificate authority;
 * - no device is POSTed (the new tenant lists none); each is a manual step and a fidelity deviation,
 *   and the group membership a device had is reported (blocked, listed in the step), never silent;
 * - the registration policy is PUT back whole (https://learn.microsoft.com/graph/api/deviceregistrationpolicy-update,
 *   docs/graph-facts.md S186): the archived quota, MFA setting and the group allowed to join, re-linked to the
 *   recreated group's new id; no manual step, no deviation; the devices keep the exit rule at incomplete;
 * - a partner's identity synchronization policy is PUT again under the recreated partner.
 * Shared by a tenant-loss test that already restores a drill tenant (test/ops/group-lifecycle-restore.test.ts),
 * so these checks add no restore of their own to the suite.
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { restoreComplete, type RunRestoreResult } from '../../src/ops/restore.js';
import { CBA_CONFIGURATION_ID } from '../../src/catalog/devices.js';

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

/** The checks above, for a restore `r` of `archive` into tenant `targetTenantId`. */
export async function checkDevicesAndSyncAfterTenantLoss(archive: TenantData, graph: GraphClient, r: RunRestoreResult, targetTenantId: string): Promise<void> {
  const devices = archive.objects.device ?? [];
  expect(devices.length, 'devices archived').toBeGreaterThanOrEqual(3);
  const deviceEdges = (archive.relations.groupMembers ?? []).filter((e) => e.toType === 'device');
  expect(deviceEdges, 'device membership archived as a device edge').toHaveLength(1);
  const [cba] = archive.objects.certificateBasedAuthConfiguration ?? [];
  expect(cba?.id).toBe(CBA_CONFIGURATION_ID);
  const [policy] = archive.objects.deviceRegistrationPolicy ?? [];
  expect(policy?.['userDeviceQuota']).toBe(20);
  const plan = r.plan;
  expect(plan.operations.some((o) => o.kind !== 'verify' && 'type' in o && o.type === 'device')).toBe(false);
  expect(plan.operations.filter((o) => o.kind === 'update' && o.type === 'deviceRegistrationPolicy')).toHaveLength(1);

  // the trust store, under the new tenant's organization, as archived
  const liveCba = await all<DirObject>(graph, `/organization/${targetTenantId}/certificateBasedAuthConfiguration`);
  expect(liveCba.map((c) => [c.id, c['certificateAuthorities']])).toEqual([[CBA_CONFIGURATION_ID, cba!['certificateAuthorities']]]);

  // no device was created; each is listed, with the group it was in
  expect(await all<DirObject>(graph, '/devices')).toEqual([]);
  const step = plan.manualSteps.find((s) => s.id === 'manual:devices');
  expect(step?.objects.sort()).toEqual(devices.map((d) => d.id).sort());
  for (const d of devices) expect(step!.instructions).toContain(`deviceId ${String(d['deviceId'])}`);
  const group = (archive.objects.group ?? []).find((g) => g.id === deviceEdges[0]!.from)!;
  expect(step!.instructions).toContain(`member of ${String(group['displayName'])}`);
  expect(plan.unresolved.some((u) => u.path === 'groupMembers' && u.value === deviceEdges[0]!.to && u.effect === 'blocked')).toBe(true);

  // the registration policy, PUT back: the archived values, the group allowed to join by its new id
  const livePolicy = await graph.get<DirObject>('/policies/deviceRegistrationPolicy');
  expect(livePolicy['userDeviceQuota']).toBe(20);
  expect(livePolicy['multiFactorAuthConfiguration']).toBe('required');
  expect(plan.manualSteps.some((s) => s.id === 'manual:deviceRegistrationPolicy')).toBe(false);
  const joinGroup = (archive.objects.group ?? []).find((g) => (policy!['azureADJoin'] as { allowedToJoin: { groups: string[] } }).allowedToJoin.groups.includes(g.id))!;
  const liveJoin = (livePolicy['azureADJoin'] as { allowedToJoin: { groups: string[] } }).allowedToJoin.groups;
  expect(liveJoin).toHaveLength(1);
  expect(liveJoin[0]).not.toBe(joinGroup.id);
  expect((await graph.get<DirObject>(`/groups/${liveJoin[0]!}?$select=displayName`))['displayName']).toBe(joinGroup['displayName']);

  const dev = r.fidelity!.deviations;
  // the partner's identity synchronization, under the recreated partner, as archived
  const [sync] = archive.objects.crossTenantIdentitySyncPolicyPartner ?? [];
  expect(sync, 'identity synchronization archived').toBeDefined();
  const partnerId = String(sync!['@parentId']);
  const liveSync = await graph.get<DirObject>(`/policies/crossTenantAccessPolicy/partners/${partnerId}/identitySynchronization`);
  expect(liveSync).toMatchObject({ tenantId: partnerId, displayName: sync!['displayName'], userSyncInbound: { isSyncAllowed: true } });
  expect(dev.filter((d) => d.type === 'crossTenantIdentitySyncPolicyPartner')).toEqual([]);

  // fidelity reports each, and the exit rule says the restore is incomplete
  expect(dev.filter((d) => d.type === 'device' && d.what === 'objectMissing')).toHaveLength(devices.length);
  expect(dev.filter((d) => d.type === 'deviceRegistrationPolicy')).toEqual([]);
  expect(dev.some((d) => d.relation === 'groupMembers' && d.reason.includes(deviceEdges[0]!.to))).toBe(true);
  expect(dev.filter((d) => d.type === 'certificateBasedAuthConfiguration')).toEqual([]);
  expect(restoreComplete(r)).toBe(false);
}
