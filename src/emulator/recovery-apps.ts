/**
 * Extra recovery apps in a lab tenant (issue 17 item 3): what an operator provisions with
 * `recovery-scripts/00-prepare-source-tenant.sh` before a restore that spreads its writes
 * over several apps' quotas (docs/graph-facts.md §5 "Throttling", src/graph/shard.ts).
 *
 * Each extra app is a copy of the tenant's restore writer: its own application and service
 * principal (new ids and appId, `uniqueName` and display name numbered), the same Microsoft
 * Graph application permissions (app role assignments), the same directory roles
 * (src/catalog/permissions.ts RESTORE_WRITER_DIRECTORY_ROLES), the same owners, and a lab
 * client secret of its own. Plain data in, plain data out, deterministic from the seed.
 */
import type { DirObject, Relation } from '../model.js';
import type { ResourceType, RelationKind } from '../catalog/types.js';
import { VaultError } from '../errors.js';
import { Rng, base64url, compositeId, guidBytes } from './seed/rng.js';
import type { LabCredential, SeededTenant } from './seed/types.js';

/** Replaces every occurrence of the old ids in a JSON-shaped object. */
function remapped<T>(obj: T, ids: ReadonlyMap<string, string>): T {
  let text = JSON.stringify(obj);
  for (const [from, to] of ids) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/**
 * The tenant with `extra` more restore-writer apps (0: the tenant unchanged). Their lab
 * credentials follow the original writer's in `credentials` (role `restoreWriter`), so the
 * first writer stays the one every single-app profile names.
 * @throws VaultError CONFIG_INVALID when the tenant has no restore writer to copy.
 */
export function withRecoveryApps(tenant: SeededTenant, extra: number): SeededTenant {
  if (extra <= 0) return tenant;
  const writer = tenant.credentials.find((c) => c.role === 'restoreWriter');
  const objects = tenant.objects;
  const app = objects.application?.find((a) => a.appId === writer?.clientId);
  const sp = objects.servicePrincipal?.find((s) => s.appId === writer?.clientId);
  if (!writer || !app || !sp) throw new VaultError('CONFIG_INVALID', `tenant ${tenant.tenantId} has no restore writer app to copy`);
  const out: SeededTenant = {
    ...tenant,
    objects: Object.fromEntries(Object.entries(objects).map(([t, l]) => [t, [...(l ?? [])]])),
    relations: Object.fromEntries(Object.entries(tenant.relations).map(([k, l]) => [k, [...(l ?? [])]])),
    parents: { ...(tenant.parents ?? {}) },
    credentials: [...tenant.credentials],
  };
  const add = (type: ResourceType, o: DirObject): void => void (out.objects[type] ??= []).push(o);
  const rng = new Rng(0, `recovery-apps:${tenant.tenantId}`);
  for (let k = 2; k <= extra + 1; k++) {
    const ids = new Map<string, string>([[String(app.appId), rng.guid()], [app.id, rng.guid()], [sp.id, rng.guid()]]);
    const newSpId = ids.get(sp.id)!;
    const secret = rng.secret();
    const copy = remapped(app, ids);
    const creds = Array.isArray(app.passwordCredentials) ? (app.passwordCredentials as Array<Record<string, unknown>>) : [];
    add('application', {
      ...copy,
      displayName: `${String(app.displayName)} ${k}`,
      uniqueName: `${String(app.uniqueName ?? 'entra-vault-restoreWriter')}-${k}`,
      passwordCredentials: creds.slice(0, 1).map((c) => ({ ...c, keyId: rng.guid(), hint: secret.slice(0, 3) })),
      keyCredentials: [],
    });
    add('servicePrincipal', { ...remapped(sp, ids), displayName: `${String(sp.displayName)} ${k}`, appDisplayName: `${String(app.displayName)} ${k}` });
    // the same Graph permissions: app role assignments filed under the resource SP
    for (const a of objects.appRoleAssignment ?? []) {
      if (a.principalId !== sp.id) continue;
      const id = base64url(new Uint8Array([...guidBytes(newSpId), ...rng.bytes(16)]));
      add('appRoleAssignment', { ...remapped(a, ids), id, principalDisplayName: `${String(sp.displayName)} ${k}` });
      const parent = tenant.parents?.[a.id];
      if (parent) out.parents![id] = parent;
    }
    // the same directory roles, active and permanent, with their PIM schedules
    for (const r of objects.roleAssignment ?? []) {
      if (r.principalId === sp.id) add('roleAssignment', { ...remapped(r, ids), id: `${compositeId(String(r.roleDefinitionId), newSpId)}-1` });
    }
    for (const s of objects.roleAssignmentSchedule ?? []) {
      if (s.principalId === sp.id) add('roleAssignmentSchedule', { ...remapped(s, ids), id: rng.guid() });
    }
    for (const [kind, list] of Object.entries(tenant.relations) as Array<[RelationKind, Relation[]]>) {
      for (const e of list) if (ids.has(e.from) || ids.has(e.to)) out.relations[kind]!.push(remapped(e, ids));
    }
    const cred: LabCredential = { clientId: ids.get(String(app.appId))!, secret, role: 'restoreWriter' };
    out.credentials.push(cred);
  }
  return out;
}
