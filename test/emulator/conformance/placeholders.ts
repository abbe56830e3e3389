/**
 * Placeholder ids of Graph's documented examples (`{id}`, `{object-id}`, `{domain-name}`, the
 * page's own sample GUIDs) → objects of the replay tenant that are in the state each example
 * assumes, looked up through the emulator's HTTP API (README.md "Id substitution rule").
 */
import type { Lab } from '../helpers.js';

/** Collection segment → the id that replaces the segment after it. */
export type Targets = Record<string, string>;

interface Obj { id: string; onPremisesSyncEnabled?: boolean | null; membershipRule?: string | null; groupTypes?: string[] }

async function list(L: Lab, path: string): Promise<Obj[]> {
  const r = await L.writer('GET', path, undefined, { ConsistencyLevel: 'eventual' });
  if (r.status !== 200 || !Array.isArray(r.json?.value)) throw new Error(`placeholder lookup ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.value as Obj[];
}

async function ids(L: Lab, path: string): Promise<string[]> {
  return (await list(L, path)).map((o) => o.id);
}

/** A cloud-only user that has a manager (the manager example reads one), then two other cloud-only users. */
async function users(L: Lab): Promise<{ user: string; other: string; victim: string }> {
  const cloud = (await list(L, '/users?$select=id,onPremisesSyncEnabled&$top=999')).filter((u) => !u.onPremisesSyncEnabled).map((u) => u.id);
  let user: string | undefined;
  for (const id of cloud) if ((await L.writer('GET', `/users/${id}/manager`)).status === 200) { user = id; break; }
  if (!user) throw new Error('placeholder lookup: no cloud-only user with a manager');
  const rest = cloud.filter((id) => id !== user);
  if (rest.length < 2) throw new Error('placeholder lookup: fewer than three cloud-only users');
  return { user, other: rest[0]!, victim: rest[1]! };
}

/**
 * An assigned (not dynamic, not synced) security group of which `other` is neither member nor
 * owner (the add-member and add-owner examples add them). The memberOf example lists a group
 * the group belongs to: when it belongs to none, it is added to another assigned group first.
 */
async function group(L: Lab, other: string): Promise<string> {
  const groups = (await list(L, '/groups?$select=id,onPremisesSyncEnabled,membershipRule,groupTypes,mailEnabled,securityEnabled&$top=999'))
    .filter((g) => !g.onPremisesSyncEnabled && !g.membershipRule && !(g as Obj & { mailEnabled?: boolean }).mailEnabled);
  for (const g of groups) {
    const members = await ids(L, `/groups/${g.id}/members?$select=id&$top=999`);
    const owners = await ids(L, `/groups/${g.id}/owners?$select=id`);
    if (members.includes(other) || owners.includes(other)) continue;
    if ((await ids(L, `/groups/${g.id}/memberOf`)).length === 0) {
      const parent = groups.find((p) => p.id !== g.id)!;
      const r = await L.writer('POST', `/groups/${parent.id}/members/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/directoryObjects/${g.id}` });
      if (r.status !== 204) throw new Error(`placeholder setup: nesting a group failed: ${r.status} ${r.text.slice(0, 200)}`);
    }
    return g.id;
  }
  throw new Error('placeholder lookup: no assigned security group without the other user');
}

/** Every placeholder target, plus the state-specific ones some examples need. */
export interface Resolved {
  targets: Targets;
  /** Targets of a DELETE (a removal must not take an object other examples still read). */
  deleteTargets: Targets;
  unverifiedDomain: string;
  /** A built-in role template that is not activated yet (the activation example activates it). */
  inactiveTemplate: string;
  other: string;
  /** A group the tenant's lifecycle (expiration) policy applies to (the list-policies example reads one). */
  lifecycleGroup: string;
}

/** The first group that lists a lifecycle policy (`GET /groups/{id}/groupLifecyclePolicies`). */
async function lifecycleGroup(L: Lab): Promise<string> {
  for (const id of await ids(L, '/groups?$select=id&$top=999')) {
    if ((await list(L, `/groups/${id}/groupLifecyclePolicies`)).length > 0) return id;
  }
  throw new Error('placeholder lookup: no group belongs to a group lifecycle policy');
}

export async function resolvePlaceholders(L: Lab): Promise<Resolved> {
  const { user, other, victim } = await users(L);
  const domains = await list(L, '/domains');
  const verified = domains.find((d) => (d as Obj & { isVerified?: boolean }).isVerified && !(d as Obj & { isInitial?: boolean }).isInitial);
  const unverified = domains.find((d) => (d as Obj & { isVerified?: boolean }).isVerified === false);
  if (!verified || !unverified) throw new Error('placeholder lookup: the tenant needs a verified custom domain and an unverified one');
  const roles = (await list(L, '/directoryRoles')) as Array<Obj & { roleTemplateId: string }>;
  const globalAdmin = roles.find((r) => r.roleTemplateId === '62e90394-69f5-4237-9190-012177145e10')!.id;
  const templates = await ids(L, '/directoryRoleTemplates');
  const active = new Set(roles.map((r) => r.roleTemplateId));
  const first = (t: keyof typeof L.tenant.objects): string => L.tenant.objects[t]![0]!.id;
  const deletedGroup = L.tenant.deleted.group?.[0]?.id;
  const deletedUser = L.tenant.deleted.user?.[0]?.id;
  if (!deletedGroup || !deletedUser) throw new Error('placeholder lookup: the tenant needs a deleted group and a deleted user');
  const targets: Targets = {
    users: user, directoryObjects: user, members: other, owners: other,
    groups: await group(L, other), applications: first('application'), servicePrincipals: first('servicePrincipal'),
    administrativeUnits: first('administrativeUnit'), oauth2PermissionGrants: first('oauth2PermissionGrant'),
    domains: verified.id, organization: (await ids(L, '/organization'))[0]!,
    deletedItems: deletedGroup, directoryRoles: globalAdmin,
    directoryRoleTemplates: templates[0]!, subscribedSkus: (await ids(L, '/subscribedSkus'))[0]!,
    devices: first('device'),
  };
  return {
    targets,
    deleteTargets: { ...targets, directoryObjects: victim, deletedItems: deletedUser, devices: L.tenant.objects.device!.at(-1)!.id },
    unverifiedDomain: unverified.id,
    inactiveTemplate: templates.find((t) => !active.has(t))!,
    other,
    lifecycleGroup: await lifecycleGroup(L),
  };
}

/** Replaces the segment after each known collection; `$ref`, `$count`, actions and casts stay. */
export function substitutePath(url: string, targets: Targets, inBody = false): string {
  const [path, query] = url.split('?');
  const segs = path!.split('/');
  for (let i = 1; i < segs.length; i++) {
    const coll = segs[i - 1]!;
    // A bare word (getByIds, delta, members) is an action or navigation, not an id.
    if (!(coll in targets) || /^[A-Za-z]+$/.test(segs[i]!) || /^(\$ref|\$count|microsoft\.graph\.|graph\.)/.test(segs[i]!)) continue;
    // Inside a body (`@odata.id`, `@odata.bind`) a user or directory object is the one being added.
    segs[i] = inBody && (coll === 'directoryObjects' || coll === 'users') ? targets.members! : targets[coll]!;
  }
  return segs.join('/') + (query ? `?${query}` : '');
}
