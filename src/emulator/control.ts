/**
 * Drill controls (docs/design.md "Graph emulator"): damage presets, directory sync
 * bringing on-premises objects back, and deep-copied state export. These act on the
 * store directly, as an attacker, an on-premises outage or AD Connect would — not
 * through Graph, so Graph's guard rails (the last-Global-Administrator rule) do not
 * apply: a tenant can and does lose every admin when accounts are deleted or disabled
 * on-premises or by a compromised privileged app (docs/graph-facts.md §7 "Lockout can still happen").
 */
import { GLOBAL_ADMIN_TEMPLATE_ID, PRIVILEGED_ROLE_ADMIN_TEMPLATE_ID } from '../catalog/permissions.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { byEdge, byId, type DirObject, type Relation } from '../model.js';
import type { Registry } from './registry.js';
import { SYNCED_ATTRIBUTES } from './directory-rules.js';
import type { Prng } from './prng.js';
import type { TenantStore } from './store.js';
import type { DamageOptions, DamagePreset, DamageReport, DirectorySyncReport, ExportedState } from './types.js';
import { afterWrite, hardDelete, softDelete } from './writes.js';

/** Built-in roles that count as privileged admin roles (template ids, Entra built-in roles reference). */
const PRIVILEGED_TEMPLATES = new Set([
  GLOBAL_ADMIN_TEMPLATE_ID,
  PRIVILEGED_ROLE_ADMIN_TEMPLATE_ID,
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', // Hybrid Identity Administrator
]);

function privilegedDefinitionIds(store: TenantStore): Set<string> {
  const ids = new Set<string>(PRIVILEGED_TEMPLATES);
  for (const d of store.live.get('roleDefinition')?.values() ?? []) {
    if (d.isPrivileged === true || PRIVILEGED_TEMPLATES.has(String(d.templateId))) ids.add(d.id);
  }
  return ids;
}

const ASSIGNMENT_TYPES: readonly ResourceType[] = ['roleAssignment', 'roleEligibilitySchedule', 'roleAssignmentSchedule'];

export function damage(store: TenantStore, preset: DamagePreset, options: DamageOptions, now: string): DamageReport {
  const report: DamageReport = { softDeleted: [], hardDeleted: [] };
  const hard = (t: ResourceType, id: string): void => {
    hardDelete(store, t, id);
    report.hardDeleted.push(id);
  };
  const soft = (t: ResourceType, id: string): void => {
    softDelete(store, t, id, now);
    report.softDeleted.push(id);
  };
  switch (preset) {
    case 'deleteAllAdmins': {
      const defs = privilegedDefinitionIds(store);
      const holders = new Set<string>();
      for (const t of ASSIGNMENT_TYPES) {
        for (const a of [...(store.live.get(t)?.values() ?? [])]) {
          if (!defs.has(String(a.roleDefinitionId)) || !store.get('user', String(a.principalId))) continue;
          holders.add(String(a.principalId));
          hard(t, a.id);
        }
      }
      const sorted = [...holders].sort();
      sorted.forEach((id) => soft('user', id));
      // half of them purged from the recycle bin: those cannot come back with their ids
      sorted.forEach((id, i) => {
        if (i % 2 === 1) {
          hardDelete(store, 'user', id);
          report.hardDeleted.push(id);
        }
      });
      break;
    }
    case 'hardDeleteSecurityGroups':
      for (const g of [...(store.live.get('group')?.values() ?? [])]) {
        if (!(Array.isArray(g.groupTypes) && g.groupTypes.includes('Unified'))) hard('group', g.id);
      }
      break;
    case 'wipePolicies':
      for (const t of ['conditionalAccessPolicy', 'namedLocation'] as const) {
        for (const id of [...(store.live.get(t)?.keys() ?? [])]) (options.purge ? hard : soft)(t, id);
      }
      // authentication strengths have no recycle bin: custom ones are gone for good
      for (const p of [...(store.live.get('authenticationStrengthPolicy')?.values() ?? [])]) {
        if (p.policyType !== 'builtIn') hard('authenticationStrengthPolicy', p.id);
      }
      break;
    case 'purgeRecycleBin':
      // simulates the 30-day expiry, so AUs (which cannot be purged through Graph) go too
      for (const [t, m] of store.bin) for (const id of [...m.keys()]) hard(t, id);
      break;
  }
  return report;
}

/**
 * What AD Connect does after a loss: synced objects still in the recycle bin are
 * restored with their ids (a hard match on the source anchor); those gone for good are
 * recreated with new ids but the same immutable id / SID / on-premises UPN, carrying
 * only the attributes AD masters, plus synced group memberships and managers.
 */
export function directorySync(store: TenantStore, ids: Prng, now: string): DirectorySyncReport {
  const report: DirectorySyncReport = { restored: [], recreated: [] };
  const newId = new Map<string, string>();
  for (const oldId of store.onPremisesIds) {
    const src = store.onPremSource.get(oldId);
    if (!src || store.get(src.type, oldId)) continue;
    const binned = store.bin.get(src.type)?.get(oldId);
    if (binned) {
      store.binMap(src.type).delete(oldId);
      store.insert(src.type, { ...binned, deletedDateTime: null });
      store.touch(src.type, oldId, 'live');
      report.restored.push(oldId);
      continue;
    }
    const anchor = src.type === 'user' ? 'onPremisesImmutableId' : 'onPremisesSecurityIdentifier';
    const matched = [...(store.live.get(src.type)?.values() ?? [])].find((o) => o[anchor] !== undefined && o[anchor] === src.obj[anchor]);
    if (matched) {
      newId.set(oldId, matched.id);
      continue;
    }
    const o: DirObject = { id: ids.guid() };
    for (const p of SYNCED_ATTRIBUTES[src.type] ?? []) if (src.obj[p] !== undefined) o[p] = structuredClone(src.obj[p]!);
    if (src.obj['@odata.type'] !== undefined) o['@odata.type'] = src.obj['@odata.type']!;
    o.onPremisesSyncEnabled = true;
    o.onPremisesLastSyncDateTime = now;
    o.createdDateTime = now;
    o.deletedDateTime = null;
    if (src.type === 'user') o.userType = src.obj.userType ?? 'Member';
    if (src.type === 'group') o.groupTypes = [];
    store.insert(src.type, o);
    store.touch(src.type, o.id, 'live');
    afterWrite(store, src.type, o);
    newId.set(oldId, o.id);
    report.recreated.push({ type: src.type, oldId, newId: o.id });
  }
  const current = (old: string): string | undefined => {
    const id = newId.get(old) ?? old;
    return store.isLive(id) ? id : undefined;
  };
  for (const { newId: gid, oldId } of report.recreated) {
    const src = store.onPremSource.get(oldId)!;
    for (const m of src.members ?? []) {
      const to = current(m);
      if (to && store.edges('groupMembers').add(gid, to)) store.memberChanged(gid, to, false);
    }
    const mgr = src.manager ? current(src.manager) : undefined;
    if (mgr) store.edges('userManager').add(gid, mgr);
  }
  return report;
}

/** Deep copy of the live tenant and its bins, sorted (objects by id, relations by edge). */
export function exportState(store: TenantStore, reg: Registry): ExportedState {
  const objects: Partial<Record<ResourceType, DirObject[]>> = {};
  const withParent = (t: ResourceType, o: DirObject): DirObject => {
    const c = structuredClone(o);
    const p = store.parentOf.get(o.id);
    if (p && reg.has(t) && reg.hasParent(t) && c['@parentId'] === undefined && c.parentId === undefined) c['@parentId'] = p;
    return c;
  };
  for (const [t, m] of store.live) if (m.size > 0) objects[t] = [...m.values()].map((o) => withParent(t, o)).sort(byId);
  const deleted: Partial<Record<ResourceType, DirObject[]>> = {};
  for (const [t, m] of store.bin) if (m.size > 0) deleted[t] = [...m.values()].map((o) => withParent(t, o)).sort(byId);
  const relations: Partial<Record<RelationKind, Relation[]>> = {};
  for (const [kind, e] of store.rel) {
    const list: Relation[] = [];
    for (const [from, tos] of e.fwd) {
      if (!store.isLive(from)) continue;
      for (const to of tos) {
        const toType = store.typeOf.get(to);
        if (toType && store.isLive(to)) list.push({ kind, from, to, toType });
      }
    }
    if (list.length > 0) relations[kind] = list.sort(byEdge);
  }
  return { data: { tenantId: store.tenantId, initialDomain: store.initialDomain, objects, relations }, deleted };
}
