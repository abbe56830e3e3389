/**
 * The view of the catalog the diff and the planner need, and the restore rules that
 * follow from a descriptor (which properties a body may carry, which types are never
 * created). The catalog itself lives in src/catalog; tests may inject a smaller one.
 */
import { STREAMS_KEY, STREAM_TYPES } from '../snapshot/branding-streams.js';
import { PAGES_KEY } from '../snapshot/user-flow-pages.js';
import type {
  ReferenceRule,
  RelationDescriptor,
  RelationKind,
  ResourceDescriptor,
  ResourceType,
} from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { catalog as productCatalog, descriptor as productDescriptor, relationCatalog } from '../catalog/index.js';
import { MICROSOFT_SERVICES_TENANT_ID } from '../catalog/permissions.js';
import { isBuiltInProfileSource, isMicrosoftOwnedSourceProperty } from './plan/profile-sources.js';

export interface PlannerCatalog {
  descriptor(type: ResourceType): ResourceDescriptor;
  /** Every catalog type in catalog order: the planner's tie-break order within a tier. */
  readonly types: readonly ResourceType[];
  relation(kind: RelationKind): RelationDescriptor | undefined;
}

/** The product catalog (src/catalog) as the planner's view. */
export const defaultPlannerCatalog: PlannerCatalog = {
  descriptor: productDescriptor,
  types: productCatalog.map((d) => d.type),
  relation: (kind) => relationCatalog.find((r) => r.kind === kind),
};

/** Global Administrator's role template id (docs/graph-facts.md §3 "Built-in role ids", §7). */
export const GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

/** Report-only state every CA policy is created/updated with (docs/reliability.md 22). */
export const CA_REPORT_ONLY = 'enabledForReportingButNotEnforced';

/**
 * Properties never written in a create/update body whatever the catalog says, with the
 * reason: secrets and licences cannot be set by PATCH/POST (docs/graph-facts.md §2, §3);
 * they become manual steps instead.
 */
const NEVER_WRITTEN: Partial<Record<ResourceType, readonly string[]>> = {
  user: ['passwordProfile', 'assignedLicenses', 'assignedPlans', 'licenseAssignmentStates', 'provisionedPlans'],
  application: ['passwordCredentials', 'keyCredentials'],
  servicePrincipal: ['passwordCredentials', 'keyCredentials'],
  // write-only secrets of identity providers (docs/graph-facts.md §3 "Identity providers")
  identityProvider: ['clientSecret', 'certificateData'],
  // Managed/Federated follows the domain's federation configuration: Graph sets it when one is created
  domain: ['authenticationType'],
  // a role scope's role and scope carry catalog-bound ids: its create body is built by
  // src/restore/plan/entitlement-resources.ts, and they are its key, never an update
  accessPackageResourceRoleScope: ['role', 'scope'],
};

/**
 * True when `prop` of `type` may appear in a create/update body: not id, not an
 * annotation (except `@odata.type`), not read-only, not a never-written secret/licence.
 */
export function isWritable(desc: ResourceDescriptor, prop: string): boolean {
  if (prop === 'id' || prop === 'deletedDateTime') return false;
  // a branding's images travel in the create body as `@streams`; the executor PUTs them apart (src/snapshot/branding-streams.ts)
  if (prop.startsWith('@')) return prop === '@odata.type' || (prop === STREAMS_KEY && STREAM_TYPES.has(desc.type)) || (prop === PAGES_KEY && desc.type === 'userFlowLanguage');
  if (desc.readOnly.includes(prop)) return false;
  if ((NEVER_WRITTEN[desc.type] ?? []).includes(prop)) return false;
  return true;
}

/** True when `prop` takes part in a comparison (writable, annotations excluded). */
export function isCompared(desc: ResourceDescriptor, prop: string): boolean {
  return !prop.startsWith('@') && isWritable(desc, prop);
}

/**
 * Singletons and objects every tenant already has (organization, built-in
 * authentication method configurations) are updated, never created. Not-deletable
 * types that Graph creates from a client-given body (attribute sets, custom security
 * attribute definitions) are created.
 */
export function isNeverCreated(desc: ResourceDescriptor, obj: DirObject): boolean {
  // A partner's identity synchronization policy is a singleton Graph creates with PUT (src/catalog/cross-tenant-sync.ts).
  if (desc.type === 'crossTenantIdentitySyncPolicyPartner') return false;
  if (desc.shape === 'singleton') return true;
  if (desc.softDelete === 'notDeletable' && desc.requiredOnCreate.length === 0) return true;
  // Every tenant gets its own <name>.onmicrosoft.com; another tenant's cannot be added.
  if (desc.type === 'domain' && obj.id.toLowerCase().endsWith('.onmicrosoft.com')) return true;
  // Built-in role definitions and Microsoft's first-party service principals exist in every
  // tenant (docs/graph-facts.md §3).
  if (isMicrosoftBuiltIn(desc.type, obj)) return true;
  return false;
}

/**
 * A service principal of one of Microsoft's first-party applications (Microsoft Graph,
 * Exchange Online, …): owned by the Microsoft Services tenant, present in every tenant and
 * matched by appId, never created or deleted by a restore (docs/graph-facts.md §3
 * "First-party service principals").
 */
export function isFirstPartyServicePrincipal(type: ResourceType, obj: DirObject): boolean {
  return type === 'servicePrincipal' && typeof obj['appOwnerOrganizationId'] === 'string' && obj['appOwnerOrganizationId'].toLowerCase() === MICROSOFT_SERVICES_TENANT_ID;
}

/**
 * What Microsoft puts in every tenant: built-in role definitions, first-party service
 * principals, and the built-in permission grant policies (ids `microsoft-…`) with their
 * condition sets, which cannot be edited (src/catalog/consent-policies.ts).
 */
export function isMicrosoftBuiltIn(type: ResourceType, obj: DirObject): boolean {
  return (type === 'roleDefinition' && obj['isBuiltIn'] === true) || isFirstPartyServicePrincipal(type, obj) || isBuiltInConsentPolicy(type, obj)
    // built-in user flow attributes (city, email…): in every tenant, not updatable (src/catalog/user-flow-attributes.ts)
    || (type === 'userFlowAttribute' && obj['userFlowAttributeType'] === 'builtIn')
    // Microsoft's Entra ID profile source: in every tenant, matched by kind (./plan/profile-sources.ts)
    || isBuiltInProfileSource(type, obj);
}

/** A built-in permission grant policy, or a condition set of one (its parent's id starts `microsoft-`). */
export function isBuiltInConsentPolicy(type: ResourceType, obj: DirObject): boolean {
  if (type === 'permissionGrantPolicy') return obj.id.startsWith('microsoft-');
  if (type === 'permissionGrantPolicyInclude' || type === 'permissionGrantPolicyExclude') return (parentIdOf(obj) ?? '').startsWith('microsoft-');
  return false;
}

/**
 * Whether a restore takes an object of this kind back from its recycle bin. Not the
 * Conditional Access bin: v1.0 documents no restore of a deleted policy or named location,
 * and beta's restore pages name no permission an application may use (docs/graph-facts.md
 * S392), so the writer recreates them, and the verify does not take a deleted copy for the
 * object (the recreated one is matched by name).
 */
export function restoresFromBin(desc: Pick<ResourceDescriptor, 'softDelete'>): boolean {
  return desc.softDelete === 'recycleBin' || desc.softDelete === 'recycleBinIfUnified' || desc.softDelete === 'lifecycleDeletedItems';
}

/**
 * The properties of a first-party service principal that belong to the tenant (whether it
 * may sign in, whether assignment is required, the admin's notes and tags); Microsoft owns
 * the rest (names, app roles, scopes), which change with Microsoft's releases, so a restore
 * never writes them and fidelity never compares them (docs/graph-facts.md §3).
 */
export const FIRST_PARTY_TENANT_PROPERTIES: readonly string[] = ['accountEnabled', 'appRoleAssignmentRequired', 'notes', 'notificationEmailAddresses', 'tags'];

/** Whether a restore writes (and fidelity compares) `prop` of `obj`: Microsoft's built-ins only their tenant-owned settings. */
export function isTenantOwned(type: ResourceType, obj: DirObject, prop: string): boolean {
  if (type === 'roleDefinition' && obj['isBuiltIn'] === true) return false;
  if (type === 'userFlowAttribute' && obj['userFlowAttributeType'] === 'builtIn') return false;
  if (isBuiltInConsentPolicy(type, obj)) return false;
  if (isFirstPartyServicePrincipal(type, obj)) return FIRST_PARTY_TENANT_PROPERTIES.includes(prop);
  if (isBuiltInProfileSource(type, obj)) return !isMicrosoftOwnedSourceProperty(prop);
  return true;
}

/** True for objects synced from on-premises AD (directory sync restores them, not Graph). */
export function isOnPremisesSynced(obj: DirObject): boolean {
  return obj['onPremisesSyncEnabled'] === true;
}

/** A group whose members Entra computes from a membership rule. */
export function isDynamicGroup(g: DirObject | undefined): boolean {
  return Array.isArray(g?.['groupTypes']) && (g['groupTypes'] as Json[]).includes('DynamicMembership');
}

/**
 * A member edge Entra maintains from a rule: of a dynamic group, or of an administrative unit
 * with `membershipType: "Dynamic"` (docs/graph-facts.md §3 "Groups"; manual writes are refused).
 */
export function isRuleMembership(kind: string, from: DirObject | undefined): boolean {
  return (kind === 'groupMembers' && isDynamicGroup(from)) || (kind === 'administrativeUnitMembers' && from?.['membershipType'] === 'Dynamic');
}

/**
 * The parent of a contained object (extension property → application, …). The snapshot
 * engine records it as `@parentId`; `parentId` is accepted as well.
 */
export function parentIdOf(obj: DirObject): string | undefined {
  const p = obj['@parentId'] ?? obj['parentId'];
  return typeof p === 'string' ? p : undefined;
}

/** `extension_<appId without dashes>_<name>` → its parts; undefined for other names. */
export function parseExtensionName(name: string): { appIdHex: string; short: string } | undefined {
  const m = /^extension_([0-9a-fA-F]{32})_(.+)$/.exec(name);
  return m ? { appIdHex: (m[1] as string).toLowerCase(), short: m[2] as string } : undefined;
}

/** An appId without dashes, lower-case (the form embedded in extension names). */
export function appIdHex(appId: string): string {
  return appId.replace(/-/g, '').toLowerCase();
}

/** The reference rules of a descriptor, extension-name rules last (they rename keys). */
export function referenceRules(desc: ResourceDescriptor): readonly ReferenceRule[] {
  return [...desc.references].sort((a, b) => Number(a.by === 'extensionName') - Number(b.by === 'extensionName'));
}

/** The UPN's domain, lower-case ('' when there is none). */
export function upnDomain(upn: string): string {
  const at = upn.lastIndexOf('@');
  return at < 0 ? '' : upn.slice(at + 1).toLowerCase();
}

/** The UPN's local part. */
export function upnLocal(upn: string): string {
  const at = upn.lastIndexOf('@');
  return at < 0 ? upn : upn.slice(0, at);
}

/**
 * The object id an `idInText` reference value holds (its rule's `pattern`, first capture
 * group), or undefined when the value holds none (an admin consent reviewer named by a role
 * template, a built-in value). Never throws on a value; a rule without a pattern holds none.
 */
export function idInText(rule: Pick<ReferenceRule, 'pattern'>, value: string): string | undefined {
  if (!rule.pattern) return undefined;
  const m = new RegExp(rule.pattern).exec(value);
  return m?.[1];
}

/** `value` with the id its `idInText` rule finds replaced by `id` (unchanged when it holds none). */
export function withIdInText(rule: Pick<ReferenceRule, 'pattern'>, value: string, id: string): string {
  const old = idInText(rule, value);
  return old === undefined ? value : value.replace(old, id);
}

/**
 * Every object id an `idInText` value holds: all matches of the rule's `pattern` when the
 * rule says `several` (a comma-separated list of ids), else the one `idInText` finds. In the
 * order they appear, each once. Never throws on a value.
 */
export function idsInText(rule: Pick<ReferenceRule, 'pattern' | 'several'>, value: string): string[] {
  if (!rule.several) {
    const one = idInText(rule, value);
    return one === undefined ? [] : [one];
  }
  if (!rule.pattern) return [];
  const out: string[] = [];
  for (const m of value.matchAll(new RegExp(rule.pattern, 'g'))) {
    const id = m[1];
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * `value` with each id its rule finds replaced by `live(id)` (kept where that is undefined),
 * in one pass, so an id written never gets replaced again. A rule without `several` replaces
 * its one id, as `withIdInText` does.
 */
export function withIdsInText(rule: Pick<ReferenceRule, 'pattern' | 'several'>, value: string, live: (id: string) => string | undefined): string {
  if (!rule.several) {
    const one = idInText(rule, value);
    const to = one === undefined ? undefined : live(one);
    return to === undefined ? value : withIdInText(rule, value, to);
  }
  if (!rule.pattern) return value;
  return value.replace(new RegExp(rule.pattern, 'g'), (whole: string, id: string) => {
    const to = live(id);
    return to === undefined ? whole : whole.replace(id, to);
  });
}
