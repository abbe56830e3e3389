/**
 * Deterministic generator of realistic Entra tenants for the Graph emulator: the same
 * seed and size always give the same tenant (deep-equal), sorted by id, with every
 * internal reference resolvable. Pure computation: no clock, no I/O, no Math.random.
 */
import type { SeedContext as Ctx } from './context.js';
import { SeedContext } from './context.js';
import { seedAdministrativeUnits, seedCustomSecurityAttributes, seedDomains, seedGroups, seedGroupSettings, seedOrganization } from './directory.js';
import { seedApplications, seedGraphServicePrincipal, seedLabApp } from './apps.js';
import { COMPANY_NAMES, asciiSlug, DEPARTMENTS, SITES } from './names.js';
import {
  seedAuthenticationMethods, seedAuthorizationPolicy, seedSecurityDefaults, seedTokenPolicies, seedBuiltInAuthenticationStrengths, seedConditionalAccess,
  seedCrossTenantAccess, seedCustomAuthenticationStrength, seedNamedLocations,
} from './policies.js';
import { RoleAssigner, seedBuiltInRoleDefinitions, seedRbac } from './rbac.js';
import { ROLE } from './roles.js';
import { seedRolePolicies } from './role-policies.js';
import { seedPimGroups } from './pim-groups.js';
import { seedConsentDefaults, seedConsentGovernance } from './consent.js';
import { seedGroupLifecycle, seedGroupSpecificSettings } from './directory-settings.js';
import { seedBuiltInUserFlowAttributes, seedUserFlowAttributeAssignments } from './user-flow-attributes.js';
import { seedEventsFlow } from './events-flows.js';
import { seedAuthenticationContexts, seedAuthenticationFlowsPolicy, seedCustomAuthenticationExtension, seedDomainFederation, seedIdentityProviders, seedUserFlow } from './ca-dependencies.js';
import { Rng } from './rng.js';
import { seedEntitlementResources } from './entitlement-resources.js';
import { seedEntitlement, seedEntitlementDefaults } from './entitlement.js';
import { seedGovernance, seedLifecycleDefaults } from './governance.js';
import { seedCertificateAuthorities, seedDeviceRegistrationPolicy, seedDevices } from './devices.js';
import { seedOrgContacts } from './org-contacts.js';
import { seedPeopleSettings } from './people-settings.js';
import { seedIdentitySynchronization } from './cross-tenant-sync.js';
import { seedMultiTenantOrganization, seedNoMultiTenantOrganization } from './multi-tenant-org.js';
import type { EmptyTenantOptions, SeededTenant, SeedOptions } from './types.js';
import { UserFactory } from './users.js';
import { seedUsers } from './users.js';
import { seedSponsors } from './sponsors.js';
import { seedBrandingLocalizations } from './branding.js';

/** The smallest user count a full tenant is generated with (admins and break-glass accounts need room). */
export const MIN_SEED_USERS = 10;

function context(seed: number, tenantId: string | undefined, full: boolean): Ctx {
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const rng = new Rng(seed, 'tenant');
  const tid = tenantId ?? rng.guid();
  const company = rng.pick(COMPANY_NAMES);
  const slug = asciiSlug(company);
  const initialDomain = `${slug}${rng.int(100, 9999)}.onmicrosoft.com`;
  const customDomain = full ? `${company.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example` : initialDomain;
  return new SeedContext(seed >>> 0, tid, company, initialDomain, customDomain, `corp.${customDomain}`);
}

/**
 * A full tenant sized by `users` (raised to {@link MIN_SEED_USERS}): ~N/10 groups,
 * ~N/50 apps (min 5), ~N/200 AUs (min 2), 10–25 CA policies, 5–10 named locations,
 * with the three lab apps and their credentials, and a few objects already deleted.
 * @throws RangeError when `seed` is not finite or `users` is not a non-negative integer.
 */
export function seedTenant(opts: SeedOptions): SeededTenant {
  if (!Number.isInteger(opts.users) || opts.users < 0) throw new RangeError('users must be a non-negative integer');
  const total = Math.max(MIN_SEED_USERS, opts.users);
  const ctx = context(opts.seed, opts.tenantId, true);
  seedUsers(ctx, total);
  const verified = seedDomains(ctx, true);
  const groups = seedGroups(ctx, total);
  seedGroupSettings(ctx, groups);
  seedGroupLifecycle(ctx, groups);
  seedGroupSpecificSettings(ctx, groups);
  const aus = seedAdministrativeUnits(ctx, total, groups);
  seedApplications(ctx, total, groups);
  seedRbac(ctx, groups, aus);
  seedCustomSecurityAttributes(ctx, ctx.users);
  seedBuiltInAuthenticationStrengths(ctx);
  const customStrength = seedCustomAuthenticationStrength(ctx);
  const locations = seedNamedLocations(ctx, total);
  seedConditionalAccess(ctx, { groups, locations, customStrength, total });
  const security = groups.filter((g) => g.kind === 'security');
  seedAuthenticationMethods(ctx, security.slice(0, 2));
  seedAuthorizationPolicy(ctx, true);
  // this tenant uses Conditional Access, so its security defaults are off
  seedSecurityDefaults(ctx, false);
  seedTokenPolicies(ctx);
  seedCrossTenantAccess(ctx, 3);
  seedIdentitySynchronization(ctx);
  seedMultiTenantOrganization(ctx);
  // PIM role settings hardened for a few roles; approvers are a security group and a cloud-only
  // user (a small tenant may have no security group, or no such user: then an admin approves)
  const approver = ctx.users.find((u) => !u.hybrid && !u.guest && u.enabled && !ctx.admins.includes(u) && !ctx.emergencyAccess.includes(u)) ?? ctx.admins[0]!;
  const custom = (ctx.objects.get('roleDefinition') ?? []).find((d) => d['isBuiltIn'] === false);
  seedRolePolicies(ctx, {
    ...(security[0] ? { approverGroupId: security[0].id } : {}), approverUserId: approver.id, alertMailbox: `pim-alerts@${ctx.customDomain}`,
    ...(custom ? { customRoleId: custom.id } : {}),
  });
  seedPimGroups(ctx, groups);
  seedConsentDefaults(ctx);
  seedEntitlementDefaults(ctx);
  seedConsentGovernance(ctx, { reviewerUserId: approver.id, ...(security[0] ? { reviewerGroupId: security[0].id } : {}) });
  // issue 15 items 5-6: authentication contexts (a CA policy and a PIM rule name them), flows policy
  seedAuthenticationContexts(ctx);
  seedAuthenticationFlowsPolicy(ctx, true);
  seedIdentityProviders(ctx, true);
  seedCustomAuthenticationExtension(ctx);
  seedUserFlow(ctx);
  seedBuiltInUserFlowAttributes(ctx);
  seedUserFlowAttributeAssignments(ctx);
  // issue 15 item 6: an external-tenant sign-up flow for one of the tenant's own applications
  const signUpApp = ctx.apps.find((a) => !a.displayName.startsWith('entra-vault'));
  if (signUpApp) seedEventsFlow(ctx, signUpApp.appId);
  const federated = seedDomainFederation(ctx);
  // issue 15 item 8: catalogs, access packages, assignment policies and assignments
  seedEntitlement(ctx, { approver, ...(security[0] ? { groupId: security[0].id } : {}), members: ctx.users.filter((u) => u.enabled && !u.guest && !u.hybrid && u !== approver).slice(0, 2) });
  // issue 15 item 10: guests' sponsors
  seedSponsors(ctx, groups);
  // what the packages grant: the catalogs' resources and the packages' resource roles (part 2)
  const grantedApp = ctx.apps.find((a) => a.userRoleIds.length > 0);
  seedEntitlementResources(ctx, { ...(security[0] ? { groupId: security[0].id } : {}), ...(grantedApp ? { app: grantedApp } : {}) });
  // issue 15 item 9: access reviews, lifecycle workflows, their settings and a custom task extension
  seedLifecycleDefaults(ctx);
  const salesTools = (ctx.objects.get('accessPackage') ?? []).find((p) => p['displayName'] === 'Sales tools');
  const extensionApp = ctx.apps.find((a) => !a.displayName.startsWith('entra-vault'));
  const alsoCc = ctx.users.find((u) => u !== approver && !u.hybrid && !u.guest && u.enabled && !ctx.admins.includes(u) && !ctx.emergencyAccess.includes(u));
  if (security[0]) seedGovernance(ctx, { reviewer: approver, groupId: security[0].id, ...(extensionApp ? { appId: extensionApp.appId } : {}), ...(salesTools ? { packageId: salesTools.id } : {}), ...(alsoCc ? { alsoCc } : {}), ...(aus[0] ? { scopeAuId: aus[0].id } : {}) });
  // issue 15 item 10: devices (one a group member), the device registration policy, the CBA trust store
  seedDevices(ctx, ctx.users, security.find((g) => g.obj['membershipRule'] === null));
  seedDeviceRegistrationPolicy(ctx, true, security[0]?.id);
  seedCertificateAuthorities(ctx);
  // issue 15 item 10: two organizational contacts, one a member of the same group
  seedOrgContacts(ctx, security.find((g) => g.obj['membershipRule'] === null));
  // issue 15 item 10: people settings changed from Graph's defaults
  seedPeopleSettings(ctx, { drill: true, ...(security[0] ? { insightsOffForGroup: security[0].id } : {}) });
  seedOrganization(ctx, [...verified, federated]);
  seedBrandingLocalizations(ctx);
  return ctx.finish();
}

/**
 * A brand-new tenant: organization, the initial `*.onmicrosoft.com` domain, one initial
 * Global Administrator, the built-in role definitions and authentication strengths,
 * Microsoft Graph's SP, default policies (authorization, authentication methods,
 * cross-tenant default) and the freshly registered restore-writer lab app with its secret.
 * @throws RangeError when `seed` is not finite.
 */
export function emptyTenant(opts: EmptyTenantOptions): SeededTenant {
  const ctx = context(opts.seed, opts.tenantId, false);
  const rng = new Rng(ctx.seed, 'initialAdmin');
  const f = new UserFactory(ctx, rng);
  const p = f.person();
  const admin = f.make({
    kind: 'initialAdmin', ...p, department: DEPARTMENTS.find((d) => d.name === 'IT')!, site: SITES[0]!, hybrid: false, enabled: true,
    upnLocal: 'admin', jobTitle: null,
  });
  ctx.admins = [admin];
  seedDomains(ctx, false);
  seedBuiltInRoleDefinitions(ctx);
  new RoleAssigner(ctx, new Rng(ctx.seed, 'rbac')).assign(ROLE.globalAdministrator, admin);
  seedGraphServicePrincipal(ctx);
  seedLabApp(ctx, 'restoreWriter', admin);
  seedBuiltInAuthenticationStrengths(ctx);
  seedAuthorizationPolicy(ctx, false);
  // a tenant created today starts with security defaults on
  seedSecurityDefaults(ctx, true);
  seedAuthenticationMethods(ctx, []);
  seedCrossTenantAccess(ctx, 0);
  seedRolePolicies(ctx);
  seedConsentDefaults(ctx);
  seedEntitlementDefaults(ctx);
  seedLifecycleDefaults(ctx);
  seedAuthenticationFlowsPolicy(ctx, false);
  seedIdentityProviders(ctx, false);
  seedBuiltInUserFlowAttributes(ctx);
  seedDeviceRegistrationPolicy(ctx, false);
  seedNoMultiTenantOrganization(ctx);
  seedPeopleSettings(ctx, { drill: false });
  seedOrganization(ctx, [ctx.initialDomain]);
  return ctx.finish();
}
