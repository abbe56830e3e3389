/**
 * Issue 15 item 10, organizational contacts, checked after a tenant-loss restore into a new
 * tenant, read back through Graph (https://learn.microsoft.com/graph/api/orgcontact-list,
 * https://learn.microsoft.com/graph/api/group-list-members):
 * - the archive holds the drill tenant's two contacts and the member edge to one of them with
 *   toType `orgContact` (not `user`);
 * - no contact is POSTed (the new tenant lists none: Graph cannot create one); `manual:orgContacts`
 *   lists each contact's mail and the group it was in, fidelity reports each as a missing
 *   orgContact (never a missing user), the membership is reported blocked, and the exit rule
 *   says the restore is incomplete.
 * Shared by test/ops/group-lifecycle-restore.test.ts, which already restores a drill tenant.
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { restoreComplete, type RunRestoreResult } from '../../src/ops/restore.js';

/** The checks above, for a restore `r` of `archive`. */
export async function checkOrgContactsAfterTenantLoss(archive: TenantData, graph: GraphClient, r: RunRestoreResult): Promise<void> {
  const contacts = archive.objects.orgContact ?? [];
  expect(contacts.map((c) => c['mail']).sort()).toEqual(['dana.okafor@fabrikam.example', 'lars.holm@tailspintoys.example']);
  const ids = new Set(contacts.map((c) => c.id));
  const edges = (archive.relations.groupMembers ?? []).filter((e) => ids.has(e.to));
  expect(edges.map((e) => e.toType), 'contact membership archived as an orgContact edge').toEqual(['orgContact']);
  expect(r.plan.operations.some((o) => o.kind !== 'verify' && 'type' in o && o.type === 'orgContact')).toBe(false);

  const live: DirObject[] = [];
  for await (const c of graph.list<DirObject>('/contacts')) live.push(c);
  expect(live).toEqual([]);

  const step = r.plan.manualSteps.find((s) => s.id === 'manual:orgContacts');
  expect(step?.objects.sort()).toEqual([...ids].sort());
  for (const c of contacts) expect(step!.instructions).toContain(`mail ${String(c['mail'])}, alias ${String(c['mailNickname'])}, proxy addresses SMTP:${String(c['mail'])}`);
  const group = (archive.objects.group ?? []).find((g) => g.id === edges[0]!.from)!;
  expect(step!.instructions).toContain(`member of ${String(group['displayName'])}`);
  expect(r.plan.unresolved.some((u) => u.path === 'groupMembers' && u.value === edges[0]!.to && u.effect === 'blocked')).toBe(true);

  const dev = r.fidelity!.deviations;
  expect(dev.filter((d) => d.type === 'orgContact' && d.what === 'objectMissing').map((d) => d.archivedId).sort()).toEqual([...ids].sort());
  expect(dev.filter((d) => d.type === 'user' && d.archivedId !== undefined && ids.has(d.archivedId))).toEqual([]);
  expect(dev.filter((d) => [...ids].some((id) => d.reason.includes(id)) && /\buser\b/i.test(d.reason))).toEqual([]);
  expect(dev.some((d) => d.relation === 'groupMembers' && d.reason.includes(edges[0]!.to))).toBe(true);
  expect(restoreComplete(r)).toBe(false);
}
