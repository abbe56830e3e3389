/**
 * Risk grouping of the forensics diff (issue 18 item 3; docs/archive-diff-format.md): what an
 * attacker changes to keep or widen access comes first — directory roles and PIM, Conditional
 * Access, application credentials, federation, the authentication methods policy — then
 * everything else. Pure.
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { Json } from '../model.js';
import type { ArchiveComparison, Change, ObjectChange } from './archive-diff.js';
import { cmp, jsonEqual } from './json.js';
import { warningsOf } from './risk-warnings.js';

/** The risk groups, riskiest first. Stable names: the JSON shape carries them. */
export const RISK_GROUPS = ['roles', 'conditionalAccess', 'appCredentials', 'federation', 'authenticationMethods', 'consent', 'entitlementManagement', 'other'] as const;
export type RiskGroup = (typeof RISK_GROUPS)[number];

/** Each group's title for text and Markdown. */
export const RISK_TITLES: Record<RiskGroup, string> = {
  roles: 'Directory roles and PIM',
  conditionalAccess: 'Conditional Access',
  appCredentials: 'Application and service principal credentials',
  federation: 'Federation',
  authenticationMethods: 'Authentication methods policy',
  consent: 'Consent governance',
  entitlementManagement: 'Entitlement management',
  other: 'Everything else',
};

const BY_TYPE: Partial<Record<ResourceType, RiskGroup>> = {
  roleAssignment: 'roles',
  roleEligibilitySchedule: 'roles',
  roleAssignmentSchedule: 'roles',
  roleManagementPolicy: 'roles',
  roleManagementPolicyAssignment: 'roles',
  // PIM for Groups: eligible membership or ownership of a (role-assignable) group is privileged access
  pimGroupEligibilitySchedule: 'roles',
  pimGroupAssignmentSchedule: 'roles',
  pimGroupPolicy: 'roles',
  pimGroupPolicyAssignment: 'roles',
  roleDefinition: 'roles',
  scopedRoleMembership: 'roles',
  conditionalAccessPolicy: 'conditionalAccess',
  namedLocation: 'conditionalAccess',
  authenticationStrengthPolicy: 'conditionalAccess',
  authenticationCombinationConfiguration: 'conditionalAccess',
  // security defaults off is Conditional Access's baseline gone
  identitySecurityDefaultsEnforcementPolicy: 'conditionalAccess',
  // CA policies require them (issue 15 item 5)
  authenticationContextClassReference: 'conditionalAccess',
  federatedIdentityCredential: 'appCredentials',
  // who the tenant trusts to sign users in (issue 15 item 6)
  domainFederation: 'federation',
  identityProvider: 'federation',
  // a trusted certificate authority lets its certificates sign users in (issue 15 item 10)
  certificateBasedAuthConfiguration: 'federation',
  authenticationMethodsPolicy: 'authenticationMethods',
  authenticationMethodConfiguration: 'authenticationMethods',
  // who may consent to what an app asks for (an illicit-consent attack widens these)
  permissionGrantPolicy: 'consent',
  permissionGrantPolicyInclude: 'consent',
  permissionGrantPolicyExclude: 'consent',
  adminConsentRequestPolicy: 'consent',
  // who can request (and get) access packages, from which organizations
  accessPackageCatalog: 'entitlementManagement',
  accessPackage: 'entitlementManagement',
  accessPackageAssignmentPolicy: 'entitlementManagement',
  accessPackageAssignment: 'entitlementManagement',
  connectedOrganization: 'entitlementManagement',
  entitlementManagementSettings: 'entitlementManagement',
  // what a request or an assignment calls out to (a Logic App)
  accessPackageCustomWorkflowExtension: 'entitlementManagement',
};

/** Relations that carry their group's risk (a connected organization's sponsors approve its requests). */
const BY_RELATION: Partial<Record<RelationKind, RiskGroup>> = {
  connectedOrganizationInternalSponsors: 'entitlementManagement',
  connectedOrganizationExternalSponsors: 'entitlementManagement',
  // separation of duties: who may hold one package while holding another, or a group
  accessPackageIncompatibleAccessPackages: 'entitlementManagement',
  accessPackageIncompatibleGroups: 'entitlementManagement',
};

/** An authorization policy change is a consent finding when it touches who may consent (permissionGrantPoliciesAssigned). */
function isConsent(c: ObjectChange): boolean {
  return c.properties.some((p) => p.property === 'permissionGrantPoliciesAssigned' || (p.property === 'defaultUserRolePermissions' && !jsonEqual(grants(p.before), grants(p.after))));
}

function grants(v: Json): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v['permissionGrantPoliciesAssigned'] ?? null) : null;
}

/** A domain change is a federation finding when it is about (or creates/deletes) a federated domain. */
function isFederation(c: ObjectChange): boolean {
  if (c.properties.some((p) => p.property === 'authenticationType')) {
    return c.change !== 'changed' ? c.properties.some((p) => p.property === 'authenticationType' && (p.before === 'Federated' || p.after === 'Federated')) : true;
  }
  return false;
}

/** The risk group of one change. */
export function riskOf(c: Change, cmpResult: Pick<ArchiveComparison, 'objectOf'>): RiskGroup {
  if (c.subject === 'relation') {
    // Members of a role-assignable group hold its roles.
    const g = c.kind === 'groupMembers' ? cmpResult.objectOf(c.from) : undefined;
    return g?.obj['isAssignableToRole'] === true ? 'roles' : (BY_RELATION[c.kind] ?? 'other');
  }
  const byType = BY_TYPE[c.type];
  if (byType) return byType;
  if ((c.type === 'application' || c.type === 'servicePrincipal') && c.credentials.length > 0) return 'appCredentials';
  if (c.type === 'domain' && isFederation(c)) return 'federation';
  if (c.type === 'authorizationPolicy' && isConsent(c)) return 'consent';
  return 'other';
}

/** One risk group and its changes. */
export interface RiskGroupChanges {
  risk: RiskGroup;
  title: string;
  changes: Change[];
}

/** A change with the one-line warnings of ./risk-warnings.ts (a protection switched off), when it has any. */
export type WarnedChange = Change & { warnings?: string[] };

const CHANGE_ORDER = { created: 0, changed: 1, deleted: 2 } as const;

const warned = (c: WarnedChange): number => (c.warnings ? 0 : 1);

/**
 * The changes in every risk group, groups riskiest first (all of RISK_GROUPS, empty ones
 * too); inside a group changes with warnings first (./risk-warnings.ts, set as `warnings`),
 * then objects before relations, then created, changed, deleted, then the comparison's order
 * (catalog type order, id).
 */
export function groupByRisk(result: ArchiveComparison): RiskGroupChanges[] {
  const groups = new Map<RiskGroup, WarnedChange[]>(RISK_GROUPS.map((g) => [g, []]));
  const rank = new Map<Change, number>();
  result.changes.forEach((c, i) => {
    const warnings = warningsOf(c);
    const w: WarnedChange = warnings.length > 0 ? { ...c, warnings } : c;
    rank.set(w, i);
    groups.get(riskOf(c, result))?.push(w);
  });
  return RISK_GROUPS.map((risk) => ({
    risk,
    title: RISK_TITLES[risk],
    changes: [...(groups.get(risk) ?? [])].sort((x, y) =>
      warned(x) - warned(y) || cmp(x.subject, y.subject) || CHANGE_ORDER[x.change] - CHANGE_ORDER[y.change] || (rank.get(x) ?? 0) - (rank.get(y) ?? 0)),
  }));
}
