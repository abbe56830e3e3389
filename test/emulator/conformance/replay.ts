/**
 * The replay of Graph's documented v1.0 examples (./README.md): the examples, their id
 * substitution and one request's check. Shared by ./examples.test.ts, which checks each answer,
 * and test/ops/documented-tenant.test.ts, which backs up and restores the tenant the replay leaves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedTenant } from '../../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../../src/emulator/seed/types.js';
import type { Lab } from '../helpers.js';
import { resolvePlaceholders, substitutePath, targetKey, type Resolved, type Targets } from './placeholders.js';

export interface Example { name: string; method: string; url: string; requestBody: unknown; status: number; properties: string[] }
const DIR = join(import.meta.dirname, 'examples');
export const NOT_SERVED = join(import.meta.dirname, 'not-served.json');
export const examples: Example[] = readdirSync(DIR).sort().map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Example);
export const notServed = JSON.parse(readFileSync(NOT_SERVED, 'utf8')) as Record<string, string>;

/**
 * Request bodies whose documented values are placeholders for ids the tenant must supply
 * (README.md "Id substitution rule"): getByIds names two users, activation names a template
 * that is not active yet; the current docs' scoped-role example names `roleId-value`/`id-value`,
 * removePassword a keyId of another tenant, and creates whose documented key the seeded tenant
 * already has get a key of their own (the example assumes a tenant without it).
 */
type Doc = Record<string, unknown>;
const BODY: Record<string, (r: Resolved, doc: Doc) => unknown> = {
  'directoryobject-getbyids-1': (r) => ({ ids: [r.targets.users, r.other], types: ['user'] }),
  'directoryrole-post-directoryroles-1': (r) => ({ roleTemplateId: r.inactiveTemplate }),
  'administrativeunit-post-scopedrolemembers-1': (r) => ({ roleId: r.more.auScopedRole, roleMemberInfo: { id: r.other } }),
  'application-removepassword-1': (r) => ({ keyId: r.more.appPasswordKeyId }),
  'directory-post-attributesets-1': (_r, doc) => ({ ...doc, id: 'EngineeringDocs' }),
  'directory-post-customsecurityattributedefinitions-2': (_r, doc) => ({ ...doc, name: 'ProjectDocs2' }),
  'directory-post-customsecurityattributedefinitions-3': (_r, doc) => ({ ...doc, name: 'ProjectDocs3' }),
  'identitycontainer-post-b2xuserflows-1': (_r, doc) => ({ ...doc, id: 'PartnerDocs1' }),
  'identitycontainer-post-b2xuserflows-2': (_r, doc) => ({ ...doc, id: 'PartnerDocs2' }),
};

/**
 * Documented ids inside request bodies of the current docs (principals, groups, catalogs, access
 * packages, roles, scopes, `query` strings such as `/groups/{id}/transitiveMembers`): each example
 * maps the page's sample ids one to one onto tenant objects of the kind the page describes; every
 * occurrence in the body is replaced. Ids of Microsoft's own apps, role templates and built-in
 * policies are the same in every tenant and stay.
 */
const SWAP: Record<string, (r: Resolved) => Record<string, string>> = {
  'accesspackageassignmentpolicy-update-1': (r) => ({ '87e1c7f7-c7f7-87e1-f7c7-e187f7c7e187': r.targets.assignmentPolicies!, '49d2c59b-0a81-463d-a8ec-ddad3935d8a0': r.more.policyAccessPackage, 'e6bf4d7d-6824-4dd0-809d-5bf42d4817c2': r.more.user }),
  'accessreviewscheduledefinition-update-1': (r) => ({ '60860cdd-fb4d-4054-91ba-f75e04444aa6': r.more.groupReview, 'b7a059cb-038a-4802-8fc9-b9d1ed0cf11f': r.more.groupReviewGroup }),
  'accessreviewset-post-definitions-1': (r) => ({ '02f3bafb-448c-487c-88c2-5fd65ce49a41': r.targets.groups!, '398164b1-5196-49dd-ada2-364b49f99b27': r.more.user }),
  'accessreviewset-post-definitions-2': (r) => ({ 'fc9a2c2b-1ddc-486d-a211-5fe8ca77fa1f': r.more.user }),
  'accessreviewset-post-definitions-3': (r) => ({ 'bae11f90-7d5d-46ba-9f55-8112b59d92ae': r.more.resourceSp, '072ac5f4-3f13-4088-ab30-0a276f3e6322': r.targets.groups! }),
  'accessreviewset-post-definitions-4': (r) => ({ '02f3bafb-448c-487c-88c2-5fd65ce49a41': r.targets.groups!, '398164b1-5196-49dd-ada2-364b49f99b27': r.more.user, '072ac5f4-3f13-4088-ab30-0a276f3e6322': r.targets.groups! }),
  'adminconsentrequestpolicy-update-1': (r) => ({ 'b6879be8-fb87-4482-a72e-18445d2b5c54': r.more.user, 'b3427cc5-bf69-4dcd-95f7-ed1eb432f5e9': r.other }),
  'conditionalaccessroot-post-policies-1': (r) => ({ 'ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba': r.targets.groups! }),
  'conditionalaccessroot-post-policies-2': (r) => ({ 'ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba': r.targets.groups!, '198ad66e-87b3-4157-85a3-8a7b51794ee9': r.more.countryLocation }),
  'conditionalaccessroot-post-policies-3': (r) => ({ 'a702a13d-a437-4a07-8a7e-8c052de62dfd': r.more.user, '124c5b6a-ffa5-483a-9b88-04c3fce5574a': r.other, 'd2136c9c-b049-47ae-b9cf-316e04ef7198': r.more.ipLocation }),
  'conditionalaccessroot-post-policies-4': (r) => ({ 'ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba': r.targets.groups! }),
  'crosstenantaccesspolicy-post-partners-1': (r) => ({ '6f546279-4da5-4b53-a095-09ea0cef9971': r.targets.groups! }),
  'crosstenantaccesspolicyconfigurationdefault-update-1': (r) => ({ '0be493dc-cb56-4a53-936f-9cf64410b8b0': r.targets.groups! }),
  'entitlementmanagement-post-accesspackages-1': (r) => ({ '66584aae-98bb-48cc-9458-7bee5d2a6577': r.more.catalog }),
  'entitlementmanagement-post-assignmentpolicies-1': (r) => ({ 'a2e1ca1e-4e56-47d2-9daa-e2ba8d12a82b': r.more.accessPackage }),
  'entitlementmanagement-post-assignmentpolicies-2': (r) => ({ 'a2e1ca1e-4e56-47d2-9daa-e2ba8d12a82b': r.more.accessPackage, '7deff43e-1f17-44ef-9e5f-d516b0ba11d4': r.more.user, '46184453-e63b-4f20-86c2-c557ed5d5df9': r.other, '1623f912-5e86-41c2-af47-39dd67582b66': r.targets.groups! }),
  'entitlementmanagement-post-assignmentpolicies-3': (r) => ({ '8a36831e-1527-4b2b-aff2-81259a8d8e76': r.more.accessPackage }),
  'entitlementmanagement-post-assignmentpolicies-4': (r) => ({ '977c7ff4-ef8f-4910-9d31-49048ddf3120': r.more.accessPackage, '08a551cb-575a-4343-b914-f6e42798bd20': r.more.user }),
  'grouplifecyclepolicy-addgroup-1': (r) => ({ 'ffffffff-ffff-ffff-ffff-ffffffffffff': r.more.m365OutsideLifecycle }),
  'grouplifecyclepolicy-removegroup-1': (r) => ({ 'ffffffff-ffff-ffff-ffff-ffffffffffff': r.more.m365OutsideLifecycle }),
  'identitygovernance-lifecycleworkflowscontainer-post-workflows-2': (r) => ({ '1baa57fa-3c4e-4526-ba5a-db47a9df95f0': r.more.user }),
  'oauth2permissiongrant-post-1': (r) => ({ 'ef969797-201d-4f6b-960c-e9ed5f31dab5': r.more.grantClientSp, '943603e4-e787-4fe9-93d1-e30f749aae39': r.more.graphSp }),
  'rbacapplication-post-roleassignments-1': (r) => ({ 'c2cf284d-6c41-4e6b-afac-4b80928c9034': r.more.customRole, 'f8ca5a85-489a-49a0-b555-0a6d81e56f0d': r.other }),
  'rbacapplication-post-roleassignments-2': (r) => ({ 'f8ca5a85-489a-49a0-b555-0a6d81e56f0d': r.other, '5d107bba-d8e2-4e13-b6ae-884be90e5d1a': r.targets.administrativeUnits! }),
  'rbacapplication-post-roleassignments-3': (r) => ({ '6b937a9d-c731-465b-a844-2d5b5368c161': r.other, '661e1310-bd76-4795-89a7-8f3c8f855bfc': r.more.app }),
  'rbacapplication-post-roleassignmentschedulerequests-1': (r) => ({ '071cc716-8147-4397-a5ba-b2105951cc0b': r.more.roleAssignableGroup }),
  'rbacapplication-post-roleeligibilityschedulerequests-1': (r) => ({ '071cc716-8147-4397-a5ba-b2105951cc0b': r.other }),
  'serviceprincipal-post-approleassignedto-1': (r) => ({ '33ad69f9-da99-4bed-acd0-3f24235cb296': r.other, '9028d19c-26a9-4809-8e3f-20ff73e2d75e': r.more.resourceSp, 'ef7437e6-4f94-4a0a-a110-a439eb2aa8f7': r.more.resourceAppRole }),
  'serviceprincipal-post-delegatedpermissionclassifications-1': (r) => ({ 'e1fe6dd8-ba31-4d61-89e7-88639da4683d': r.more.classifyPermissionId, 'User.Read': r.more.classifyPermissionName }),
  'serviceprincipal-post-serviceprincipals-1': (r) => ({ '65415bb1-9267-4313-bbf5-ae259732ee12': r.more.appIdWithoutSp }),
};

/**
 * Examples that assume a particular object state: verify needs an unverified domain, the
 * lifecycle-policies list a group that belongs to one; the current docs' pages below name the
 * object of the kind they describe (README.md "Id substitution rule").
 */
const TARGETS: Record<string, (r: Resolved) => Partial<Targets>> = {
  'domain-verify-1': (r) => ({ domains: r.unverifiedDomain }),
  'group-list-grouplifecyclepolicies-1': (r) => ({ groups: r.lifecycleGroup }),
  'administrativeunit-delete-members-1': (r) => ({ administrativeUnits: r.targets.administrativeUnits!, members: r.targets.groups! }),
  'accessreviewscheduledefinition-update-1': (r) => ({ 'accessReviews/definitions': r.more.groupReview }),
  'customsecurityattributedefinition-update-3': (r) => ({ customSecurityAttributeDefinitions: r.more.attributeToDeprecate }),
  'application-list-extensionproperty-1': (r) => ({ applications: r.more.appWithExtensions }),
  'countrynamedlocation-get-1': (r) => ({ namedLocations: r.more.countryLocation }),
  'countrynamedlocation-update-1': (r) => ({ namedLocations: r.more.countryLocation }),
  'countrynamedlocation-delete-1': (r) => ({ namedLocations: createdOf(r, 'namedLocations', 'countryNamedLocation') ?? r.more.countryLocation }),
  'ipnamedlocation-delete-1': (r) => ({ namedLocations: createdOf(r, 'namedLocations', 'ipNamedLocation') ?? r.more.ipLocation }),
  'group-post-settings-2': (r) => ({ groups: r.more.m365WithoutSetting }),
  'groupsetting-get-1': (r) => ({ groups: r.more.m365WithSetting }),
  'groupsetting-update-1': (r) => ({ groupSettings: r.more.unifiedSetting }),
  'groupsetting-update-2': (r) => ({ groups: r.more.m365WithSetting }),
  'serviceprincipal-list-owners-1': (r) => ({ servicePrincipals: r.more.spWithOwners }),
  'serviceprincipal-list-approleassignedto-1': (r) => ({ servicePrincipals: r.more.resourceSp }),
  'serviceprincipal-post-approleassignedto-1': (r) => ({ servicePrincipals: r.more.resourceSp }),
  'serviceprincipal-delete-approleassignedto-1': (r) => ({ servicePrincipals: r.more.resourceSp }),
  'serviceprincipal-post-delegatedpermissionclassifications-1': (r) => ({ servicePrincipals: r.more.classifySp }),
};

/** The last object the replay created in a collection (of an OData type, when named). */
function createdOf(r: Resolved, key: string, type?: string): string | undefined {
  const objs = (r.created[key] ?? []).filter((o) => !type || o['@odata.type'] === `#microsoft.graph.${type}`);
  return objs.length ? String(objs.at(-1)!.id) : undefined;
}

/** Body ids: object URLs in @odata.id / @odata.bind get seeded ids; UPN domains get the tenant's; SWAP ids. */
function substituteBody(L: Lab, body: unknown, targets: Targets, swap: Record<string, string> = {}): unknown {
  if (body === null || body === undefined) return undefined;
  const domain = String(L.tenant.objects.user![0]!.userPrincipalName).split('@')[1]!;
  let text = JSON.stringify(body)
    .replace(/https:\/\/graph\.microsoft\.com\/v1\.0(\/[A-Za-z]+\/[^"/?]+)/g, (_m, p: string) => `${L.emu.graphBaseUrl}${substitutePath(p, targets, true)}`)
    .replace(/("userPrincipalName"\s*:\s*"[^"@]+@)[^"]+"/g, `$1${domain}"`);
  for (const [from, to] of Object.entries(swap)) text = text.split(from).join(to);
  return JSON.parse(text);
}

/** The collection a POST creates in (`…/policies` of conditional access, `catalogs`…), as a target key. */
function createdKey(url: string, targets: Targets): string | undefined {
  const segs = url.split('?')[0]!.replace(/\/$/, '').split('/');
  return targetKey([...segs, 'x'], segs.length, targets) ?? segs.at(-1);
}

/** Removals of the 2019 examples keep their own rules (README.md). */
const FIXED_DELETES = new Set(['users', 'directoryObjects', 'members', 'owners', 'groups', 'devices', 'domains', 'deletedItems', 'directoryRoles']);

/** A DELETE takes the last object the replay created in its collection, else its `deleteTargets`. */
function deleteTargets(r: Resolved): Targets {
  const out: Targets = { ...r.deleteTargets };
  for (const key of Object.keys(r.created)) {
    if (FIXED_DELETES.has(key)) continue;
    const id = createdOf(r, key);
    if (id) out[key] = id;
  }
  return out;
}

/** Replay order: reads and writes, then removals of references, then removals of whole objects. */
export function phase(ex: Example): number {
  if (ex.method !== 'DELETE') return 0;
  return ex.url.endsWith('$ref') || ex.url.includes('$ref?') || ex.url.split('/').length > 3 && !ex.url.startsWith('/directory/') ? 1 : 2;
}

export async function replay(L: Lab, r0: Resolved, ex: Example): Promise<string | undefined> {
  const over = (TARGETS[ex.name]?.(r0) ?? {}) as Targets;
  const targets = { ...(ex.method === 'DELETE' ? deleteTargets(r0) : r0.targets), ...over };
  const sent = BODY[ex.name] ? BODY[ex.name]!(r0, ex.requestBody as Doc) : substituteBody(L, ex.requestBody, targets, SWAP[ex.name]?.(r0));
  // a documented id the tenant has stays, except where a DELETE or a TARGETS entry names an object of its own
  const keep = ex.method === 'DELETE' ? {} : Object.fromEntries(Object.entries(r0.keep).filter(([k]) => !Object.keys(over).some((o) => o.toLowerCase() === k)));
  const r = await L.writer(ex.method, substitutePath(ex.url, targets, false, keep), sent, { ConsistencyLevel: 'eventual' });
  if (ex.method === 'POST' && r.status < 300 && typeof r.json?.id === 'string') {
    const key = createdKey(ex.url, r0.targets);
    if (key) (r0.created[key] ??= []).push(r.json);
  }
  if (r.status >= 500) return `emulator 5xx (${r.status})`;
  if (Math.floor(r.status / 100) !== Math.floor(ex.status / 100)) {
    if (r.status >= 400 && (typeof r.json?.error?.code !== 'string' || typeof r.json?.error?.message !== 'string')) return `status ${r.status} without Graph's error shape`;
    return `status ${r.status} (${r.json?.error?.code ?? ''}: ${String(r.json?.error?.message ?? '').slice(0, 90)}), documented ${ex.status}`;
  }
  // `value` alone: a collection, or an action's primitive result ({"value": true})
  if (ex.properties.join() === 'value') return r.json && 'value' in r.json ? undefined : 'no value array';
  const body = r.json && Array.isArray(r.json.value) ? r.json.value[0] : r.json;
  if (!r.json && ex.properties.length) return `no response body (status ${r.status}), documented properties ${ex.properties.join(', ')}`;
  if (!body || Array.isArray(r.json?.value) && r.json.value.length === 0) return ex.properties.length ? 'empty collection: properties not checkable' : undefined;
  if (typeof body !== 'object') return ex.properties.length ? `primitive body, documented properties ${ex.properties.join(', ')}` : undefined;
  const missing = ex.properties.filter((p) => !(p in body));
  return missing.length ? `missing properties: ${missing.join(', ')}` : undefined;
}

/** The tenant the replay runs in (./README.md "Id substitution rule"). */
export function replayTenant(): SeededTenant {
  return seedTenant({ seed: 6, users: 12 });
}

/**
 * Replays every example against `L`, deletes last so the objects they remove are not needed by
 * other examples. Returns each example's finding (undefined: it passed).
 */
export async function replayAll(L: Lab): Promise<Map<string, string | undefined>> {
  const resolved = await resolvePlaceholders(L);
  const results = new Map<string, string | undefined>();
  const order = [...examples].sort((a, b) => phase(a) - phase(b));
  for (const ex of order) results.set(ex.name, await replay(L, resolved, ex));
  return results;
}
