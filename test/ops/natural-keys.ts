/**
 * Test helper: describes a tenant's references through natural keys (user UPN local
 * part, group/app/location display names, role template ids), never through ids or the
 * restore tool's id map, so a source tenant and a restored target can be compared
 * independently of the tool's own bookkeeping.
 */
import type { ResourceType } from '../../src/catalog/types.js';
import type { DirObject, TenantData } from '../../src/model.js';

/** Separator of the parts of a tuple (display names hold spaces, never this). */
export const SEP = ' ¦ ';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KeyIndex {
  /** id or appId → natural key */
  key(v: string): string | undefined;
  /** every natural key of an object in the tenant */
  has(nk: string): boolean;
  /** natural keys of objects synced from on-premises AD */
  synced: Set<string>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function nkOf(type: ResourceType, o: DirObject): string | undefined {
  switch (type) {
    case 'user': {
      const upn = str(o.userPrincipalName);
      return upn ? `user:${upn.slice(0, upn.indexOf('@')).toLowerCase()}` : undefined;
    }
    case 'group': return `group:${str(o.displayName)}`;
    case 'application': return `app:${str(o.displayName)}`;
    case 'servicePrincipal': return `sp:${str(o.appDisplayName) ?? str(o.displayName)}`;
    case 'namedLocation': return `location:${str(o.displayName)}`;
    case 'administrativeUnit': return `au:${str(o.displayName)}`;
    case 'authenticationStrengthPolicy': return `strength:${str(o.displayName)}`;
    case 'roleDefinition': return `role:${str(o.templateId) ?? o.id}`;
    default: return undefined;
  }
}

export function keyIndex(t: TenantData): KeyIndex {
  const byId = new Map<string, string>();
  const all = new Set<string>();
  const synced = new Set<string>();
  for (const [type, list] of Object.entries(t.objects) as [ResourceType, DirObject[]][]) {
    for (const o of list) {
      const nk = nkOf(type, o);
      if (!nk) continue;
      byId.set(o.id, nk);
      all.add(nk);
      if (o.onPremisesSyncEnabled === true) synced.add(nk);
      if (type === 'roleDefinition' && typeof o.templateId === 'string') byId.set(o.templateId, nk);
      if ((type === 'application' || type === 'servicePrincipal') && typeof o.appId === 'string') {
        const appKey = `appId:${str(o.appDisplayName) ?? str(o.displayName)}`;
        if (!byId.has(o.appId)) byId.set(o.appId, appKey);
        all.add(appKey);
      }
    }
  }
  return { key: (v) => byId.get(v), has: (nk) => all.has(nk), synced };
}

/**
 * A value as a natural key: GUIDs that name an object of the tenant become its key;
 * unknown GUIDs stay as `?<guid>` (dangling); other strings ('All', 'None') stay as they are.
 */
export function asKey(idx: KeyIndex, v: unknown): string {
  if (v === null || v === undefined) return '-';
  const s = String(v);
  if (!GUID.test(s)) return s;
  return idx.key(s) ?? `?${s}`;
}

/** Every GUID-valued leaf of a CA policy's conditions and controls as `path=naturalKey` (array indices dropped). */
export function caReferences(idx: KeyIndex, policy: DirObject): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) for (const x of v) walk(x, path);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else if (typeof v === 'string' && GUID.test(v)) out.push(`${path}${SEP}${asKey(idx, v)}`);
  };
  walk(policy.conditions, 'conditions');
  walk(policy.grantControls, 'grantControls');
  walk(policy.sessionControls, 'sessionControls');
  return out.sort();
}

function scopeKey(idx: KeyIndex, scope: unknown): string {
  const s = typeof scope === 'string' ? scope : '/';
  return s.startsWith('/administrativeUnits/') ? asKey(idx, s.slice('/administrativeUnits/'.length)) : s;
}

/** Reference tuples of the assignment-like objects, by natural key, one string per object. */
export function grantTuples(idx: KeyIndex, t: TenantData): Record<string, string[]> {
  const list = (type: ResourceType) => (t.objects[type] ?? []) as DirObject[];
  const expiry = (o: DirObject): string => {
    const e = (o.scheduleInfo as { expiration?: { type?: string; endDateTime?: string | null } } | undefined)?.expiration;
    return `${e?.type ?? '-'}@${e?.endDateTime ?? '-'}`;
  };
  return {
    roleAssignment: list('roleAssignment').map((o) => [asKey(idx, o.principalId), asKey(idx, o.roleDefinitionId), scopeKey(idx, o.directoryScopeId)].join(SEP)).sort(),
    roleAssignmentSchedule: list('roleAssignmentSchedule').map((o) => [asKey(idx, o.principalId), asKey(idx, o.roleDefinitionId), scopeKey(idx, o.directoryScopeId), expiry(o)].join(SEP)).sort(),
    roleEligibilitySchedule: list('roleEligibilitySchedule').map((o) => [asKey(idx, o.principalId), asKey(idx, o.roleDefinitionId), scopeKey(idx, o.directoryScopeId), expiry(o)].join(SEP)).sort(),
    appRoleAssignment: list('appRoleAssignment').map((o) => [asKey(idx, o.principalId), asKey(idx, o.resourceId), String(o.appRoleId)].join(SEP)).sort(),
    oauth2PermissionGrant: list('oauth2PermissionGrant').map((o) => [asKey(idx, o.clientId), asKey(idx, o.resourceId), String(o.consentType), asKey(idx, o.principalId), String(o.scope ?? '').split(' ').filter(Boolean).sort().join(' ')].join(SEP)).sort(),
  };
}

/** The natural keys a tuple or reference line names (the `user:`, `group:`… parts). */
export function keysIn(line: string): string[] {
  return line.split(SEP).filter((p) => /^(user|group|app|sp|location|au|strength|role|appId):/.test(p) || p.startsWith('?'));
}

/** Multiset difference a − b. */
export function minus(a: string[], b: string[]): string[] {
  const count = new Map<string, number>();
  for (const x of b) count.set(x, (count.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else out.push(x);
  }
  return out;
}
