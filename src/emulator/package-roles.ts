/**
 * What an access package assignment gives, as Graph documents it: "When a subject receives an
 * access package assignment, the subject will be provisioned with the role in that scope of each
 * access package resource role scope" (https://learn.microsoft.com/graph/api/resources/accesspackageresourcerolescope,
 * docs/graph-facts.md S385). The emulator provisions a group's roles, `Member_<groupId>` and
 * `Owner_<groupId>` (originSystem AadGroup), and an application's app role (originSystem
 * AadApplication: the role's originId is the app role's id, the scope's the service principal's):
 * when an assignment is delivered, and when a role scope is added to a package that already has
 * delivered assignments. Not modelled: a SharePoint site's roles, and what Graph does when the
 * assignment ends or is removed (no page found says; docs/emulator.md).
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { LINK } from './entitlement-links.js';
import type { TenantStore } from './store.js';
import { base64url, guidBytes } from './seed/rng.js';

const isObj = (v: Json | undefined): v is Record<string, Json> => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** The group and relation a role scope's role gives, when it is a group's. */
function groupRole(store: TenantStore, scope: DirObject): { kind: 'groupMembers' | 'groupOwners'; groupId: string } | undefined {
  const role = scope[LINK.role];
  if (!isObj(role) || role['originSystem'] !== 'AadGroup') return undefined;
  const m = /^(Member|Owner)_(.+)$/.exec(String(role['originId']));
  if (!m || !store.get('group', m[2]!)) return undefined;
  return { kind: m[1] === 'Member' ? 'groupMembers' : 'groupOwners', groupId: m[2]! };
}

/** The service principal and app role a role scope's role gives, when it is an application's. */
function appRole(store: TenantStore, scope: DirObject): { sp: DirObject; appRoleId: string } | undefined {
  const role = scope[LINK.role];
  const where = scope[LINK.scope];
  if (!isObj(role) || role['originSystem'] !== 'AadApplication' || !isObj(where)) return undefined;
  const sp = store.get('servicePrincipal', String(where['originId']));
  return sp && typeof role['originId'] === 'string' ? { sp, appRoleId: role['originId'] } : undefined;
}

/** The user's assignment of the app role, made as Graph makes one (id: the principal's id bytes and 16 more). */
function giveAppRole(store: TenantStore, sp: DirObject, appRoleId: string, user: DirObject, now: string): void {
  for (const id of store.idsWhereEqual('appRoleAssignment', 'principalId', user.id)) {
    const a = store.get('appRoleAssignment', id);
    if (a && a['resourceId'] === sp.id && a['appRoleId'] === appRoleId) return;
  }
  const more = createHash('sha256').update(`${user.id}|${sp.id}|${appRoleId}`).digest().subarray(0, 16);
  const o: DirObject = {
    id: base64url(new Uint8Array([...guidBytes(user.id), ...more])), '@odata.type': '#microsoft.graph.appRoleAssignment', deletedDateTime: null,
    appRoleId, createdDateTime: now, principalDisplayName: (user['displayName'] as string | undefined) ?? null, principalId: user.id, principalType: 'User',
    resourceDisplayName: (sp['displayName'] as string | undefined) ?? null, resourceId: sp.id,
  };
  store.insert('appRoleAssignment', o);
  store.parentOf.set(o.id, sp.id);
  store.touch('appRoleAssignment', o.id, 'live');
}

function give(store: TenantStore, scope: DirObject, userId: string, now: string): void {
  const user = store.get('user', userId);
  if (!user) return;
  const app = appRole(store, scope);
  if (app) giveAppRole(store, app.sp, app.appRoleId, user, now);
  const r = groupRole(store, scope);
  if (!r) return;
  if (store.edges(r.kind).add(r.groupId, userId) && r.kind === 'groupMembers') store.memberChanged(r.groupId, userId, false);
}

const live = (store: TenantStore, type: ResourceType): DirObject[] => [...(store.live.get(type)?.values() ?? [])];
const subjectOf = (a: DirObject): string | undefined => (isObj(a[LINK.target]) ? (a[LINK.target] as Record<string, Json>)['objectId'] as string | undefined : undefined);

/** After a write: a delivered assignment gets its package's group roles; a new role scope is given to the package's delivered assignments. */
export function provisionPackageRoles(store: TenantStore, type: ResourceType, o: DirObject): void {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (type === 'accessPackageAssignment' && o['state'] === 'delivered') {
    const user = subjectOf(o);
    if (!user) return;
    for (const scope of live(store, 'accessPackageResourceRoleScope')) if (store.parentOf.get(scope.id) === o[LINK.accessPackage]) give(store, scope, user, now);
  }
  if (type === 'accessPackageResourceRoleScope') {
    const pkg = store.parentOf.get(o.id);
    for (const a of live(store, 'accessPackageAssignment')) {
      const user = subjectOf(a);
      if (user && a['state'] === 'delivered' && a[LINK.accessPackage] === pkg) give(store, o, user, now);
    }
  }
}
