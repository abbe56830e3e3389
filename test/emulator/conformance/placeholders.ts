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
  /** Documented ids kept as they are when the tenant has them (built-in objects, names): collection → ids. */
  keep: Keep;
  /** Objects of particular states some examples of the current docs need (`moreObjects()` below). */
  more: More;
  /**
   * Objects the replay created (2xx POST to a collection), by collection key in creation order: a
   * DELETE takes the last one created in its collection, else `deleteTargets`.
   */
  created: Record<string, Array<Record<string, unknown>>>;
}

/** Collection key (lower case) → ids that stay as documented when the tenant has them. */
export type Keep = Record<string, Set<string>>;

/** Named objects for the examples of microsoftgraph/microsoft-graph-docs-contrib (README.md). */
export interface More {
  user: string;
  /** The `applications` target, a seeded password credential of it, an application with extension properties. */
  app: string; appPasswordKeyId: string; appWithExtensions: string;
  /** appId of an application without a service principal (registered by the lookup: every seeded one has one). */
  appIdWithoutSp: string;
  /** A service principal with owners; one whose app roles are assigned (`appRoleAssignedTo`), one of its roles `other` does not hold, one of its assignments. */
  spWithOwners: string; resourceSp: string; resourceAppRole: string; resourceAssignment: string;
  /** A service principal exposing a delegated permission nobody classified yet, and that permission. */
  classifySp: string; classifyPermissionId: string; classifyPermissionName: string;
  /** Microsoft Graph's service principal and a service principal without an AllPrincipals grant to it. */
  graphSp: string; grantClientSp: string;
  /** An activated directory role an administrative unit can scope (Helpdesk Administrator). */
  auScopedRole: string;
  /** A role-assignable group; a custom role definition. */
  roleAssignableGroup: string; customRole: string;
  /** Microsoft 365 groups: one with a Group.Unified.Guest setting (and that setting), one without, one outside the lifecycle policy. */
  m365WithSetting: string; m365Setting: string; m365WithoutSetting: string; m365OutsideLifecycle: string;
  /** The tenant-wide Group.Unified setting. */
  unifiedSetting: string;
  /** Named locations: the first IP and the first country one. */
  ipLocation: string; countryLocation: string;
  /** The first entitlement-management catalog and access package; the access package of the first assignment policy. */
  catalog: string; accessPackage: string; policyAccessPackage: string;
  /** An access review of a group's members (`/groups/{id}/transitiveMembers`) and that group. */
  groupReview: string; groupReviewGroup: string;
  /** The last Available custom security attribute other than Engineering_Project (which the list examples read): the deprecate example takes it. */
  attributeToDeprecate: string;
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
  const lists = await collections(L);
  const more = await moreObjects(L, user, other, targets.applications!);
  const keep: Keep = {};
  for (const [key, c] of Object.entries(lists)) {
    const objs = c.objs.filter(c.pick ?? (() => true));
    targets[key] = objs[0]!.id;
    if (c.keep) keep[key.toLowerCase()] = new Set(c.objs.map((o) => o.id));
  }
  // administrative units: the assigned-membership one (the first seeded is dynamic)
  targets.administrativeUnits = (await list(L, '/directory/administrativeUnits')).find((a) => !a.membershipRule)!.id;
  targets.appRoleAssignedTo = more.resourceAssignment;
  targets.settings = more.m365Setting;
  // a DELETE of a domain takes the one no user names: Graph refuses to delete a domain objects still use (domain-delete)
  const deleteTargets: Targets = { ...targets, directoryObjects: victim, deletedItems: deletedUser, devices: L.tenant.objects.device!.at(-1)!.id, domains: unverified.id };
  for (const [key, c] of Object.entries(lists)) deleteTargets[key] = (c.victim ? c.objs.filter(c.victim) : c.objs).at(-1)!.id;
  return {
    targets,
    deleteTargets,
    unverifiedDomain: unverified.id,
    inactiveTemplate: templates.find((t) => !active.has(t))!,
    other,
    lifecycleGroup: await lifecycleGroup(L),
    keep,
    more,
    created: {},
  };
}

type Full = Obj & Record<string, unknown>;
interface Collection { objs: Full[]; pick?: (o: Full) => boolean; victim?: (o: Full) => boolean; keep?: boolean }

/**
 * The collections of the current docs' pages: target = the first listed object (`pick`: the first
 * that fits), DELETE fallback = the last listed (`victim`: the last that fits), `keep`: a documented id
 * the tenant has stays (built-in policies and roles, names).
 */
async function collections(L: Lab): Promise<Record<string, Collection>> {
  const all = async (path: string): Promise<Full[]> => (await list(L, path)) as Full[];
  const custom = (o: Full): boolean => o.isBuiltIn === false;
  const social = (o: Full): boolean => o['@odata.type'] === '#microsoft.graph.socialIdentityProvider';
  return {
    'conditionalAccess/policies': { objs: await all('/identity/conditionalAccess/policies') },
    namedLocations: { objs: await all('/identity/conditionalAccess/namedLocations'), pick: (o) => o['@odata.type'] === '#microsoft.graph.ipNamedLocation' },
    authenticationStrengthPolicies: { objs: await all('/policies/authenticationStrengthPolicies'), pick: (o) => o.policyType === 'custom', victim: (o) => o.policyType === 'custom', keep: true },
    tokenLifetimePolicies: { objs: await all('/policies/tokenLifetimePolicies') },
    tokenIssuancePolicies: { objs: await all('/policies/tokenIssuancePolicies') },
    claimsMappingPolicies: { objs: await all('/policies/claimsMappingPolicies') },
    homeRealmDiscoveryPolicies: { objs: await all('/policies/homeRealmDiscoveryPolicies') },
    activityBasedTimeoutPolicies: { objs: await all('/policies/activityBasedTimeoutPolicies') },
    permissionGrantPolicies: { objs: await all('/policies/permissionGrantPolicies?$select=id'), pick: (o) => !o.id.startsWith('microsoft-'), victim: (o) => !o.id.startsWith('microsoft-'), keep: true },
    partners: { objs: await all('/policies/crossTenantAccessPolicy/partners') },
    appManagementPolicies: { objs: await all('/policies/appManagementPolicies') },
    roleDefinitions: { objs: await all('/roleManagement/directory/roleDefinitions'), pick: custom, victim: custom, keep: true },
    roleAssignments: { objs: await all('/roleManagement/directory/roleAssignments') },
    attributeSets: { objs: await all('/directory/attributeSets'), keep: true },
    customSecurityAttributeDefinitions: { objs: await all('/directory/customSecurityAttributeDefinitions'), keep: true },
    groupLifecyclePolicies: { objs: await all('/groupLifecyclePolicies') },
    groupSettings: { objs: await all('/groupSettings') },
    catalogs: { objs: await all('/identityGovernance/entitlementManagement/catalogs') },
    accessPackages: { objs: await all('/identityGovernance/entitlementManagement/accessPackages') },
    assignmentPolicies: { objs: await all('/identityGovernance/entitlementManagement/assignmentPolicies') },
    connectedOrganizations: { objs: await all('/identityGovernance/entitlementManagement/connectedOrganizations') },
    'accessReviews/definitions': { objs: await all('/identityGovernance/accessReviews/definitions') },
    workflows: { objs: await all('/identityGovernance/lifecycleWorkflows/workflows') },
    identityProviders: { objs: await all('/identity/identityProviders'), pick: social, victim: social, keep: true },
    b2xUserFlows: { objs: await all('/identity/b2xUserFlows'), keep: true },
  };
}

/** The objects `More` names, looked up (and one application registered) through the emulator's API. */
async function moreObjects(L: Lab, user: string, other: string, appTarget: string): Promise<More> {
  const all = async (path: string): Promise<Full[]> => (await list(L, path)) as Full[];
  const apps = await all('/applications?$top=999');
  const sps = await all('/servicePrincipals?$top=999');
  const app = apps.find((a) => a.id === appTarget)!;
  const find = async <T>(items: T[], ok: (x: T) => Promise<boolean> | boolean, what: string): Promise<T> => {
    for (const x of items) if (await ok(x)) return x;
    throw new Error(`placeholder lookup: ${what}`);
  };
  const appWithExtensions = await find(apps, async (a) => (await list(L, `/applications/${a.id}/extensionProperties`)).length > 0, 'no application with extension properties');
  // an application without a service principal (the create example registers one for it)
  const bare = await L.writer('POST', '/applications', { displayName: 'Conformance: application without a service principal' });
  if (bare.status !== 201) throw new Error(`placeholder setup: application create failed: ${bare.status} ${bare.text.slice(0, 200)}`);
  const spWithOwners = await find(sps, async (s) => (await list(L, `/servicePrincipals/${s.id}/owners`)).length > 0, 'no service principal with owners');
  const graphSp = await find(sps, (s) => s.appId === '00000003-0000-0000-c000-000000000000', 'no Microsoft Graph service principal');
  let resourceAppRole = '';
  let resourceAssignment = '';
  const resourceSp = await find(sps, async (s) => {
    if (s.id === graphSp.id) return false;
    const assigned = (await list(L, `/servicePrincipals/${s.id}/appRoleAssignedTo`)) as Full[];
    const free = ((s.appRoles ?? []) as Full[]).find((r) => !assigned.some((a) => a.principalId === other && a.appRoleId === r.id));
    if (!assigned.length || !free) return false;
    [resourceAppRole, resourceAssignment] = [free.id, assigned[0]!.id];
    return true;
  }, 'no service principal whose app roles are assigned');
  let classifyPermissionId = '';
  let classifyPermissionName = '';
  const classifySp = await find(sps, async (s) => {
    const classified = (await list(L, `/servicePrincipals/${s.id}/delegatedPermissionClassifications`)) as Full[];
    const scope = ((s.oauth2PermissionScopes ?? []) as Full[]).find((p) => !classified.some((c) => c.permissionId === p.id));
    if (!scope) return false;
    [classifyPermissionId, classifyPermissionName] = [scope.id, String(scope.value)];
    return true;
  }, 'no service principal with an unclassified delegated permission');
  const grants = (await list(L, '/oauth2PermissionGrants')) as Full[];
  const grantClientSp = await find(sps, (s) => s.id !== graphSp.id && !grants.some((g) => g.clientId === s.id && g.resourceId === graphSp.id && g.consentType === 'AllPrincipals'), 'no service principal without a tenant-wide grant to Microsoft Graph');
  const roles = (await list(L, '/directoryRoles')) as Full[];
  const auScopedRole = await find(roles, (r) => r.roleTemplateId === '729827e3-9c14-49f7-bb1b-9608f156bbb8', 'Helpdesk Administrator is not activated');
  const groups = (await list(L, '/groups?$select=id,groupTypes,isAssignableToRole&$top=999')) as Full[];
  const roleAssignableGroup = await find(groups, (g) => g.isAssignableToRole === true, 'no role-assignable group');
  const m365 = groups.filter((g) => (g.groupTypes as string[]).includes('Unified'));
  const settingOf = async (g: Full): Promise<string | undefined> => (await list(L, `/groups/${g.id}/settings`))[0]?.id;
  const m365WithSetting = await find(m365, async (g) => (await settingOf(g)) !== undefined, 'no Microsoft 365 group with a setting');
  const m365WithoutSetting = await find(m365, async (g) => (await settingOf(g)) === undefined, 'no Microsoft 365 group without a setting');
  const m365OutsideLifecycle = await find(m365, async (g) => (await list(L, `/groups/${g.id}/groupLifecyclePolicies`)).length === 0, 'every Microsoft 365 group is in the lifecycle policy');
  const settings = (await list(L, '/groupSettings')) as Full[];
  const unifiedSetting = await find(settings, (x) => x.templateId === '62375ab9-6b52-47ed-826b-58e47e0e304b', 'no tenant-wide Group.Unified setting');
  const locations = (await list(L, '/identity/conditionalAccess/namedLocations')) as Full[];
  const ofType = (t: string): string => locations.find((l) => l['@odata.type'] === `#microsoft.graph.${t}`)!.id;
  const policies = (await list(L, '/identityGovernance/entitlementManagement/assignmentPolicies?$expand=accessPackage')) as Full[];
  const reviews = (await list(L, '/identityGovernance/accessReviews/definitions')) as Full[];
  const groupReview = await find(reviews, (d) => /^\/groups\/[^/]+\/transitiveMembers$/.test(String((d.scope as Full | null)?.query)), 'no access review of a group');
  const attributes = (await list(L, '/directory/customSecurityAttributeDefinitions')) as Full[];
  const attributeToDeprecate = attributes.filter((a) => a.status === 'Available' && a.id !== 'Engineering_Project').at(-1)!.id;
  return {
    user,
    app: app.id, appPasswordKeyId: String(((app.passwordCredentials ?? []) as Full[])[0]?.keyId ?? ''), appWithExtensions: appWithExtensions.id,
    appIdWithoutSp: String(bare.json.appId),
    spWithOwners: spWithOwners.id, resourceSp: resourceSp.id, resourceAppRole, resourceAssignment,
    classifySp: classifySp.id, classifyPermissionId, classifyPermissionName,
    graphSp: graphSp.id, grantClientSp: grantClientSp.id,
    auScopedRole: auScopedRole.id,
    roleAssignableGroup: roleAssignableGroup.id,
    customRole: (await list(L, '/roleManagement/directory/roleDefinitions?$filter=isBuiltIn eq false'))[0]!.id,
    m365WithSetting: m365WithSetting.id, m365Setting: (await settingOf(m365WithSetting))!, m365WithoutSetting: m365WithoutSetting.id,
    m365OutsideLifecycle: m365OutsideLifecycle.id,
    unifiedSetting: unifiedSetting.id,
    ipLocation: ofType('ipNamedLocation'), countryLocation: ofType('countryNamedLocation'),
    catalog: (await list(L, '/identityGovernance/entitlementManagement/catalogs'))[0]!.id,
    accessPackage: (await list(L, '/identityGovernance/entitlementManagement/accessPackages'))[0]!.id,
    policyAccessPackage: String((policies[0]!.accessPackage as Full).id),
    groupReview: groupReview.id, groupReviewGroup: String((groupReview.scope as Full).query).split('/')[2]!,
    attributeToDeprecate,
  };
}

/** Collections whose ids are names (a bare word after them is an id, not an action). */
const NAMED = new Set(['attributesets', 'customsecurityattributedefinitions', 'identityproviders', 'b2xuserflows', 'permissiongrantpolicies']);

/** The target key of the segment after `segs[i - 1]`: `parent/collection` when known, else the collection (any case). */
export function targetKey(segs: readonly string[], i: number, targets: Targets): string | undefined {
  const keys = new Map(Object.keys(targets).map((k) => [k.toLowerCase(), k]));
  return keys.get(`${segs[i - 2] ?? ''}/${segs[i - 1]}`.toLowerCase()) ?? keys.get(segs[i - 1]!.toLowerCase());
}

/**
 * Replaces the segment after each known collection; `$ref`, `$count`, actions and casts stay, and
 * so does a documented id the tenant has (`keep`).
 */
export function substitutePath(url: string, targets: Targets, inBody = false, keep: Keep = {}): string {
  const [path, query] = url.split('?');
  const segs = path!.split('/');
  for (let i = 1; i < segs.length; i++) {
    const key = targetKey(segs, i, targets);
    if (!key || !segs[i] || /^(\$ref|\$count|microsoft\.graph\.|graph\.)/.test(segs[i]!)) continue;
    // A bare word (getByIds, delta, members) is an action or navigation, not an id, except after a collection of named objects.
    if (/^[A-Za-z]+$/.test(segs[i]!) && !NAMED.has(key.toLowerCase())) continue;
    if (keep[key.toLowerCase()]?.has(segs[i]!)) continue;
    // Inside a body (`@odata.id`, `@odata.bind`) a user or directory object is the one being added.
    segs[i] = inBody && (key === 'directoryObjects' || key === 'users') ? targets.members! : targets[key]!;
  }
  return segs.join('/') + (query ? `?${query}` : '');
}
