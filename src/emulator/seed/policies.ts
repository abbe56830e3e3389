/**
 * Policies of a seeded tenant: named locations, authentication strengths,
 * conditional access (docs/graph-facts.md §3 "Conditional Access"), the authentication
 * methods policy and its method configurations, the authorization policy, and
 * cross-tenant access (default + partners).
 */
import { MICROSOFT_GRAPH_APP_ID } from '../../catalog/permissions.js';
import type { DirObject, Json } from '../../model.js';
import type { RelationKind } from '../../catalog/types.js';
import type { SeedContext } from './context.js';
import type { SeededGroup } from './directory.js';
import { DEPARTMENTS } from './names.js';
import { AUTH_STRENGTH, builtInAuthenticationStrengths, ROLE } from './roles.js';
import { iso, pastDate, Rng, SEED_NOW_MS, TENANT_CREATED_MS } from './rng.js';

/** Built-in authentication strengths (present in every tenant). */
export function seedBuiltInAuthenticationStrengths(ctx: SeedContext): void {
  for (const s of builtInAuthenticationStrengths()) ctx.add('authenticationStrengthPolicy', s);
}

/**
 * Security defaults: on in every tenant created since 22 October 2019, off in a tenant that
 * uses Conditional Access (enabled CA policies require them off). Shape and fixed texts as
 * https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-get shows;
 * the rule: https://learn.microsoft.com/entra/fundamentals/security-defaults.
 */
export function seedSecurityDefaults(ctx: SeedContext, isEnabled: boolean): void {
  ctx.add('identitySecurityDefaultsEnforcementPolicy', {
    id: '00000000-0000-0000-0000-000000000005',
    '@odata.type': '#microsoft.graph.identitySecurityDefaultsEnforcementPolicy',
    displayName: 'Security Defaults',
    description: 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
    isEnabled,
  });
}

/**
 * One policy of each token and session kind, with definitions shaped as Graph's documented
 * create examples (https://learn.microsoft.com/graph/api/activitybasedtimeoutpolicy-post-activitybasedtimeoutpolicies,
 * claimsmappingpolicy-post-claimsmappingpolicies, homerealmdiscoverypolicy-post-homerealmdiscoverypolicies,
 * tokenissuancepolicy-post-tokenissuancepolicy, tokenlifetimepolicy-post-tokenlifetimepolicies).
 */
export function seedTokenPolicies(ctx: SeedContext): void {
  const rng = new Rng(ctx.seed, 'stsPolicies');
  // Assigned to the first seeded business app and its service principal (not an appliance lab app).
  const app = (ctx.objects.get('application') ?? []).find((a) => !/entra-vault|lab/i.test(String(a.displayName)));
  const sp = app ? (ctx.objects.get('servicePrincipal') ?? []).find((x) => x.appId === app.appId) : undefined;
  const assign: Partial<Record<string, [RelationKind, DirObject | undefined]>> = {
    tokenLifetimePolicy: ['applicationTokenLifetimePolicies', app],
    tokenIssuancePolicy: ['applicationTokenIssuancePolicies', app],
    claimsMappingPolicy: ['servicePrincipalClaimsMappingPolicies', sp],
    homeRealmDiscoveryPolicy: ['servicePrincipalHomeRealmDiscoveryPolicies', sp],
  };
  const add = (type: 'activityBasedTimeoutPolicy' | 'claimsMappingPolicy' | 'homeRealmDiscoveryPolicy' | 'tokenIssuancePolicy' | 'tokenLifetimePolicy', displayName: string, definition: object, isOrganizationDefault: boolean): void => {
    const id = rng.guid();
    ctx.add(type, { id, '@odata.type': `#microsoft.graph.${type}`, deletedDateTime: null, definition: [JSON.stringify(definition)], description: null, displayName, isOrganizationDefault });
    const [kind, owner] = assign[type] ?? [];
    if (kind && owner) ctx.rel(kind, owner.id, id, type);
  };
  add('activityBasedTimeoutPolicy', 'Idle web sessions sign out after an hour', { ActivityBasedTimeoutPolicy: { Version: 1, ApplicationPolicies: [{ ApplicationId: 'default', WebSessionIdleTimeout: '01:00:00' }] } }, true);
  add('claimsMappingPolicy', 'Employee id in tokens', { ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: [{ Source: 'user', ID: 'employeeid', SamlClaimType: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid', JwtClaimType: 'employeeid' }] } }, false);
  add('homeRealmDiscoveryPolicy', 'Accelerate to the federated domain', { HomeRealmDiscoveryPolicy: { AccelerateToFederatedDomain: true, PreferredDomain: 'federated.example.edu' } }, false);
  add('tokenIssuancePolicy', 'SAML 2.0 tokens signed with SHA-256', { TokenIssuancePolicy: { Version: 1, SigningAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', SamlTokenVersion: '2.0', TokenResponseSigningPolicy: 'TokenOnly' } }, false);
  add('tokenLifetimePolicy', 'Access tokens live eight hours', { TokenLifetimePolicy: { Version: 1, AccessTokenLifetime: '8:00:00' } }, false);
}

/** The authorization policy singleton with Entra's defaults (plus a tightened consent setting in full tenants). */
export function seedAuthorizationPolicy(ctx: SeedContext, hardened: boolean): void {
  ctx.add('authorizationPolicy', {
    id: 'authorizationPolicy',
    '@odata.type': '#microsoft.graph.authorizationPolicy',
    deletedDateTime: null,
    allowedToSignUpEmailBasedSubscriptions: !hardened,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    allowInvitesFrom: hardened ? 'adminsAndGuestInviters' : 'everyone',
    allowUserConsentForRiskyApps: null,
    blockMsolPowerShell: hardened,
    defaultUserRolePermissions: {
      allowedToCreateApps: !hardened,
      allowedToCreateSecurityGroups: !hardened,
      allowedToCreateTenants: !hardened,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: hardened ? [] : ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
    },
    description: 'Used to manage authorization related settings across the company.',
    displayName: 'Authorization Policy',
    // Guest User role template (a built-in role definition of every tenant)
    guestUserRoleId: ROLE.guestUser,
  });
}

const allUsersTarget = (extra: { [k: string]: Json } = {}): Json => ({ targetType: 'group', id: 'all_users', isRegistrationRequired: false, ...extra });

/**
 * The authentication methods policy singleton and its method configurations
 * (children of the policy). `targetGroups` (full tenants) scope some methods to groups.
 */
export function seedAuthenticationMethods(ctx: SeedContext, targetGroups: SeededGroup[]): void {
  const policyId = 'authenticationMethodsPolicy';
  ctx.add('authenticationMethodsPolicy', {
    id: policyId,
    '@odata.type': '#microsoft.graph.authenticationMethodsPolicy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    displayName: 'Authentication Methods Policy',
    lastModifiedDateTime: iso(SEED_NOW_MS - 40 * 86400000),
    policyMigrationState: 'migrationComplete',
    policyVersion: '1.5',
    reconfirmationInDays: 0,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        enforceRegistrationAfterAllowedSnoozes: true,
        state: 'default',
        excludeTargets: [],
        includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }],
      },
    },
  });
  const g = (i: number): Json | undefined => (targetGroups[i] ? { targetType: 'group', id: targetGroups[i]!.id, isRegistrationRequired: false } : undefined);
  const targets = (i: number): Json[] => {
    const t = g(i);
    return t ? [t] : [allUsersTarget()];
  };
  const conf = (id: string, odataType: string, state: string, props: { [k: string]: Json }): void => {
    ctx.add('authenticationMethodConfiguration', { id, '@odata.type': `#microsoft.graph.${odataType}`, state, excludeTargets: [], ...props }, policyId);
  };
  conf('Fido2', 'fido2AuthenticationMethodConfiguration', 'enabled', {
    isAttestationEnforced: true,
    isSelfServiceRegistrationAllowed: true,
    keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
    includeTargets: targets(0),
  });
  conf('MicrosoftAuthenticator', 'microsoftAuthenticatorAuthenticationMethodConfiguration', 'enabled', {
    isSoftwareOathEnabled: false,
    featureSettings: {
      displayAppInformationRequiredState: { state: 'enabled', includeTarget: { targetType: 'group', id: 'all_users' }, excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' } },
      displayLocationInformationRequiredState: { state: 'enabled', includeTarget: { targetType: 'group', id: 'all_users' }, excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' } },
    },
    includeTargets: [{ '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget', ...(allUsersTarget({ authenticationMode: 'any' }) as { [k: string]: Json }) }],
  });
  conf('TemporaryAccessPass', 'temporaryAccessPassAuthenticationMethodConfiguration', targetGroups.length ? 'enabled' : 'disabled', {
    defaultLifetimeInMinutes: 60, defaultLength: 8, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false,
    includeTargets: targets(1),
  });
  conf('Email', 'emailAuthenticationMethodConfiguration', 'enabled', { allowExternalIdToUseEmailOtp: 'default', includeTargets: [allUsersTarget()] });
  conf('Sms', 'smsAuthenticationMethodConfiguration', 'disabled', { includeTargets: [allUsersTarget({ isUsableForSignIn: false })] });
  conf('SoftwareOath', 'softwareOathAuthenticationMethodConfiguration', 'disabled', { includeTargets: [allUsersTarget()] });
  conf('Voice', 'voiceAuthenticationMethodConfiguration', 'disabled', { isOfficePhoneAllowed: false, includeTargets: [allUsersTarget()] });
  conf('X509Certificate', 'x509CertificateAuthenticationMethodConfiguration', 'disabled', {
    certificateUserBindings: [
      { x509CertificateField: 'PrincipalName', userProperty: 'userPrincipalName', priority: 1 },
      { x509CertificateField: 'RFC822Name', userProperty: 'userPrincipalName', priority: 2 },
    ],
    authenticationModeConfiguration: { x509CertificateAuthenticationDefaultMode: 'x509CertificateSingleFactor', rules: [] },
    includeTargets: [allUsersTarget()],
  });
}

const b2b = (accessType: string): Json => ({
  usersAndGroups: { accessType, targets: [{ target: 'AllUsers', targetType: 'user' }] },
  applications: { accessType, targets: [{ target: 'AllApplications', targetType: 'application' }] },
});

/** Cross-tenant access: the policy, its default configuration, and (full tenants) partners keyed by their tenant id. */
export function seedCrossTenantAccess(ctx: SeedContext, partners: number): void {
  const rng = new Rng(ctx.seed, 'crossTenantAccess');
  const policyId = 'crossTenantAccessPolicy';
  ctx.add('crossTenantAccessPolicy', {
    id: policyId,
    '@odata.type': '#microsoft.graph.crossTenantAccessPolicy',
    deletedDateTime: null,
    allowedCloudEndpoints: [],
    description: null,
    displayName: 'CrossTenantAccessPolicy',
  });
  ctx.add('crossTenantAccessPolicyDefault', {
    id: 'default',
    '@odata.type': '#microsoft.graph.crossTenantAccessPolicyConfigurationDefault',
    isServiceDefault: partners === 0,
    appServiceConnectInbound: null,
    m365CollaborationInbound: null,
    m365CollaborationOutbound: null,
    inboundTrust: { isMfaAccepted: partners > 0, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    b2bCollaborationInbound: b2b('allowed'),
    b2bCollaborationOutbound: b2b('allowed'),
    b2bDirectConnectInbound: b2b('blocked'),
    b2bDirectConnectOutbound: b2b('blocked'),
    invitationRedemptionIdentityProviderConfiguration: { primaryIdentityProviderPrecedenceOrder: ['azureActiveDirectory', 'externalFederation', 'socialIdentityProviders'], fallbackIdentityProvider: 'defaultConfiguredIdp' },
    tenantRestrictions: { devices: null, usersAndGroups: { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] }, applications: { accessType: 'blocked', targets: [{ target: 'AllApplications', targetType: 'application' }] } },
  }, policyId);
  for (let i = 0; i < partners; i++) {
    const tenantId = rng.guid();
    ctx.add('crossTenantAccessPolicyPartner', {
      id: tenantId,
      '@odata.type': '#microsoft.graph.crossTenantAccessPolicyConfigurationPartner',
      tenantId,
      isServiceProvider: i === 0,
      isInMultiTenantOrganization: false,
      appServiceConnectInbound: null,
      m365CollaborationInbound: null,
      m365CollaborationOutbound: null,
      inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: i === 0, isHybridAzureADJoinedDeviceAccepted: false },
      automaticUserConsentSettings: { inboundAllowed: i === 1, outboundAllowed: i === 1 },
      b2bCollaborationInbound: null,
      b2bCollaborationOutbound: null,
      b2bDirectConnectInbound: i === 1 ? b2b('allowed') : null,
      b2bDirectConnectOutbound: i === 1 ? b2b('allowed') : null,
      tenantRestrictions: null,
    }, policyId);
  }
}

/** Named locations (5–10): trusted office IP ranges and blocked/allowed countries. */
export function seedNamedLocations(ctx: SeedContext, total: number): { trusted: string[]; blockedCountries: string; allowedCountries: string } {
  const rng = new Rng(ctx.seed, 'namedLocations');
  const count = Math.min(10, 5 + Math.floor(Math.log10(Math.max(10, total))));
  const trusted: string[] = [];
  const ip = (displayName: string, cidrs: string[], isTrusted: boolean): string => {
    const created = pastDate(rng, TENANT_CREATED_MS, SEED_NOW_MS - 60 * 86400000);
    const id = rng.guid();
    ctx.add('namedLocation', {
      id,
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      deletedDateTime: null,
      createdDateTime: created,
      displayName,
      modifiedDateTime: created,
      isTrusted,
      ipRanges: cidrs.map((c) => ({ '@odata.type': c.includes(':') ? '#microsoft.graph.iPv6CidrRange' : '#microsoft.graph.iPv4CidrRange', cidrAddress: c })),
    });
    if (isTrusted) trusted.push(id);
    return id;
  };
  const country = (displayName: string, countries: string[], unknown: boolean): string => {
    const created = pastDate(rng, TENANT_CREATED_MS, SEED_NOW_MS - 60 * 86400000);
    const id = rng.guid();
    ctx.add('namedLocation', {
      id,
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      deletedDateTime: null,
      createdDateTime: created,
      displayName,
      modifiedDateTime: created,
      countriesAndRegions: countries,
      countryLookupMethod: 'clientIpAddress',
      includeUnknownCountriesAndRegions: unknown,
    });
    return id;
  };
  ip('HQ Frankfurt egress', ['203.0.113.0/26', '2001:db8:100::/48'], true);
  ip('Datacenter Munich', ['198.51.100.0/25'], true);
  ip('VPN gateways', ['192.0.2.16/28', '192.0.2.64/28'], true);
  const blockedCountries = country('Blocked countries', ['KP', 'IR', 'SY', 'CU'], true);
  const allowedCountries = country('Operating countries', ['DE', 'AT', 'CH', 'NL', 'FR', 'IE', 'GB', 'US', 'PL'], false);
  for (let i = 5; i < count; i++) {
    ip(`Branch office ${i - 4}`, [`198.51.100.${128 + (i - 5) * 16}/28`], rng.chance(0.5));
  }
  return { trusted, blockedCountries, allowedCountries };
}

/** A custom authentication strength (full tenants). */
export function seedCustomAuthenticationStrength(ctx: SeedContext): string {
  const rng = new Rng(ctx.seed, 'authStrength');
  const id = rng.guid();
  const created = pastDate(rng, TENANT_CREATED_MS, SEED_NOW_MS - 90 * 86400000);
  ctx.add('authenticationStrengthPolicy', {
    id,
    '@odata.type': '#microsoft.graph.authenticationStrengthPolicy',
    allowedCombinations: ['fido2', 'windowsHelloForBusiness', 'temporaryAccessPassOneTime', 'password,microsoftAuthenticatorPush'],
    createdDateTime: created,
    description: 'FIDO2 or Authenticator push; TAP for onboarding',
    displayName: 'Admin portals strength',
    modifiedDateTime: created,
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
  });
  // Only these security keys count as fido2 for the strength (YubiKey 5 series AAGUIDs):
  // https://learn.microsoft.com/graph/api/authenticationstrengthpolicy-post-combinationconfigurations
  ctx.add('authenticationCombinationConfiguration', {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.fido2CombinationConfiguration',
    appliesToCombinations: ['fido2'],
    allowedAAGUIDs: ['cb69481e-8ff7-4039-93ec-0a2729a154a8', 'ee882879-721c-4913-9775-3dfcce97072a'],
  }, id);
  return id;
}

interface CaOptions {
  groups: SeededGroup[];
  locations: { trusted: string[]; blockedCountries: string; allowedCountries: string };
  customStrength: string;
  total: number;
}

function caUsers(p: Partial<{ [k: string]: Json }>): Json {
  return {
    includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [],
    includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null, ...p,
  } as Json;
}

function caApps(include: string[], exclude: string[] = []): Json {
  return { includeApplications: include, excludeApplications: exclude, includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null };
}

function grant(builtInControls: string[], strengthId: string | null = null, operator = 'OR'): Json {
  return {
    operator,
    builtInControls,
    customAuthenticationFactors: [],
    termsOfUse: [],
    authenticationStrength: strengthId ? { id: strengthId } : null,
  };
}

/**
 * Conditional access policies (10–25) referencing users, groups, roles (by template id),
 * apps (appIds, 'All', 'Office365'), named locations (ids, 'All', 'AllTrusted') and
 * authentication strengths; every policy that targets all users excludes both
 * emergency-access accounts (docs/graph-facts.md §7 "Prevention").
 */
export function seedConditionalAccess(ctx: SeedContext, o: CaOptions): void {
  const rng = new Rng(ctx.seed, 'conditionalAccess');
  const count = Math.min(25, Math.max(10, 8 + Math.floor(Math.log2(Math.max(2, o.total)))));
  const ea = ctx.emergencyAccess.map((u) => u.id);
  const adminRoles = [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator, ROLE.userAdministrator, ROLE.helpdeskAdministrator,
    ROLE.groupsAdministrator, ROLE.applicationAdministrator, ROLE.conditionalAccessAdministrator, ROLE.securityAdministrator];
  const webApps = ctx.apps.filter((a) => a.app.description === null && !a.displayName.startsWith('entra-vault'));
  const security = o.groups.filter((g) => g.kind === 'security' || g.kind === 'dynamicSecurity' || g.kind === 'synced');
  const guests = ctx.users.filter((u) => u.guest);
  let n = 0;
  const policy = (displayName: string, state: string, conditions: { [k: string]: Json }, grantControls: Json, sessionControls: Json = null): void => {
    n += 1;
    const created = pastDate(rng, TENANT_CREATED_MS + 60 * 86400000, SEED_NOW_MS - 30 * 86400000);
    ctx.add('conditionalAccessPolicy', {
      id: rng.guid(),
      '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
      deletedDateTime: null,
      conditions: {
        userRiskLevels: [], signInRiskLevels: [], servicePrincipalRiskLevels: [], insiderRiskLevels: null,
        clientAppTypes: ['all'], platforms: null, locations: null, devices: null, clientApplications: null, authenticationFlows: null,
        ...conditions,
      },
      createdDateTime: created,
      description: null,
      displayName: `CA${String(n).padStart(3, '0')}: ${displayName}`,
      grantControls,
      modifiedDateTime: rng.chance(0.5) ? pastDate(rng, Date.parse(created)) : null,
      sessionControls,
      state,
      templateId: null,
    });
  };

  policy('Require phishing-resistant MFA for administrators', 'enabled', {
    users: caUsers({ includeRoles: adminRoles, excludeUsers: ea }), applications: caApps(['All']),
  }, grant([], AUTH_STRENGTH.phishingResistant));
  policy('Block legacy authentication', 'enabled', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['All']), clientAppTypes: ['exchangeActiveSync', 'other'],
  }, grant(['block']));
  policy('Require MFA for all users outside trusted locations', 'enabled', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea, excludeGroups: security[0] ? [security[0].id] : [] }), applications: caApps(['All']),
    locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
  }, grant([], AUTH_STRENGTH.mfa));
  policy('Require MFA for guests', 'enabledForReportingButNotEnforced', {
    users: caUsers({
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest,b2bCollaborationMember',
        externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
      },
      excludeUsers: guests.slice(0, 1).map((g) => g.id),
    }),
    applications: caApps(['All']),
  }, grant(['mfa']));
  policy('Block sign-ins from blocked countries', 'enabled', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['All']),
    locations: { includeLocations: [o.locations.blockedCountries], excludeLocations: [] },
  }, grant(['block']));
  policy('Office 365 sign-in frequency on unmanaged devices', 'enabled', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['Office365']),
    platforms: { includePlatforms: ['all'], excludePlatforms: ['windows', 'macOS'] },
  }, null, {
    applicationEnforcedRestrictions: { isEnabled: true }, cloudAppSecurity: null, disableResilienceDefaults: null,
    persistentBrowser: { mode: 'never', isEnabled: true },
    signInFrequency: { value: 8, type: 'hours', authenticationType: 'primaryAndSecondaryAuthentication', frequencyInterval: 'timeBased', isEnabled: true },
  });
  policy('Block device code flow', 'enabledForReportingButNotEnforced', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['All']),
    authenticationFlows: { transferMethods: 'deviceCodeFlow' },
  }, grant(['block']));
  policy('Admin portals and Microsoft Graph need the admin strength', 'enabled', {
    users: caUsers({ includeRoles: [ROLE.globalReader, ROLE.securityAdministrator], excludeUsers: ea }),
    applications: caApps(['MicrosoftAdminPortals', MICROSOFT_GRAPH_APP_ID]),
  }, grant([], o.customStrength));
  policy('Require MFA for high sign-in risk', 'disabled', {
    users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['All']), signInRiskLevels: ['high', 'medium'],
  }, grant(['mfa']));
  policy('Allow only operating countries for privileged roles', 'enabled', {
    users: caUsers({ includeRoles: [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator], excludeUsers: ea }), applications: caApps(['All']),
    locations: { includeLocations: ['All'], excludeLocations: [o.locations.allowedCountries, ...o.locations.trusted.slice(0, 1)] },
  }, grant(['block']));
  const states = ['enabled', 'enabledForReportingButNotEnforced', 'disabled'];
  for (let i = 0; n < count; i++) {
    const app = webApps.length ? webApps[i % webApps.length]! : undefined;
    const grp = security.length ? security[i % security.length]! : undefined;
    const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
    if (app && grp) {
      policy(`${app.displayName}: compliant device or MFA for ${dept.name}`, states[i % states.length]!, {
        users: caUsers({ includeGroups: [grp.id], excludeUsers: ea }), applications: caApps([app.appId]),
        locations: { includeLocations: ['All'], excludeLocations: o.locations.trusted.slice(0, 1 + (i % 2)) },
      }, grant(['compliantDevice', 'mfa']));
    } else {
      policy(`Require MFA for Office 365 (${dept.name})`, states[i % states.length]!, {
        users: caUsers({ includeUsers: ['All'], excludeUsers: ea }), applications: caApps(['Office365']),
      }, grant(['mfa']));
    }
  }
}
