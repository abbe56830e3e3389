/**
 * Conditional Access dependencies and external-identity settings of seeded tenants (issue 15
 * items 5-6): two authentication contexts (c1, c2) as an administrator publishes them, a CA
 * policy that demands MFA for c1, Security Administrator's PIM activation demanding c2 instead
 * of MFA (as the portal writes it), and the authentication flows policy.
 * Shapes: https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update,
 * https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyauthenticationcontextrule,
 * https://learn.microsoft.com/graph/api/authenticationflowspolicy-get.
 */
import type { JsonObject } from '../../model.js';
import type { SeedContext } from './context.js';
import { ROLE } from './roles.js';
import { pastDate, Rng, SEED_NOW_MS, TENANT_CREATED_MS } from './rng.js';

/** The authentication contexts of a drill tenant: [id, displayName, description, isAvailable]. */
export const SEEDED_AUTHENTICATION_CONTEXTS: readonly [string, string, string, boolean][] = [
  ['c1', 'Sensitive data', 'Step-up for sensitive SharePoint sites and admin actions', true],
  ['c2', 'Privileged role activation', 'Required when a privileged role is activated in PIM', true],
];

/** The contexts, a CA policy requiring MFA for c1, and c2 on Security Administrator's PIM activation. */
export function seedAuthenticationContexts(ctx: SeedContext): void {
  const rng = new Rng(ctx.seed, 'authenticationContexts');
  for (const [id, displayName, description, isAvailable] of SEEDED_AUTHENTICATION_CONTEXTS) {
    ctx.add('authenticationContextClassReference', { id, '@odata.type': '#microsoft.graph.authenticationContextClassReference', displayName, description, isAvailable });
  }
  const created = pastDate(rng, TENANT_CREATED_MS + 60 * 86400000, SEED_NOW_MS - 30 * 86400000);
  ctx.add('conditionalAccessPolicy', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.conditionalAccessPolicy', deletedDateTime: null,
    conditions: {
      userRiskLevels: [], signInRiskLevels: [], servicePrincipalRiskLevels: [], insiderRiskLevels: null, clientAppTypes: ['all'], platforms: null,
      locations: null, devices: null, clientApplications: null, authenticationFlows: null,
      users: {
        includeUsers: ['All'], excludeUsers: ctx.emergencyAccess.map((u) => u.id), includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [],
        includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null,
      },
      applications: { includeApplications: [], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: ['c1'], applicationFilter: null },
    },
    createdDateTime: created, description: null, displayName: 'CA-AC1: Sensitive data needs MFA (authentication context c1)',
    grantControls: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    modifiedDateTime: null, sessionControls: null, state: 'enabled', templateId: null,
  });
  const assignment = (ctx.objects.get('roleManagementPolicyAssignment') ?? []).find((a) => a['roleDefinitionId'] === ROLE.securityAdministrator);
  const policy = (ctx.objects.get('roleManagementPolicy') ?? []).find((p) => p.id === assignment?.['policyId']);
  const rules = (policy?.['rules'] ?? []) as JsonObject[];
  for (const r of rules) {
    if (r['id'] === 'AuthenticationContext_EndUser_Assignment') Object.assign(r, { isEnabled: true, claimValue: 'c2' });
    if (r['id'] === 'Enablement_EndUser_Assignment') r['enabledRules'] = ['Justification'];
  }
}

/** The authentication flows policy singleton, in every tenant (shape of the documented GET response). */
export function seedAuthenticationFlowsPolicy(ctx: SeedContext, selfServiceSignUp: boolean): void {
  ctx.add('authenticationFlowsPolicy', {
    id: 'authenticationFlowsPolicy',
    '@odata.type': '#microsoft.graph.authenticationFlowsPolicy',
    displayName: 'Authentication flows policy',
    description: 'Authentication flows policy allows modification of settings related to authentication flows in AAD tenant, such as self-service sign up configuration.',
    selfServiceSignUp: { isEnabled: selfServiceSignUp },
  });
}

/** Entra's built-in identity providers, in every tenant (ids and names as the documented list shows). */
const BUILT_IN_PROVIDERS: readonly [string, string, string][] = [
  ['AADSignup-OAUTH', 'Azure Active Directory Sign up', 'AADSignup'],
  ['EmailOtpSignup-OAUTH', 'Email One Time Passcode', 'EmailOTP'],
  ['MSASignup-OAUTH', 'Microsoft Account', 'MicrosoftAccount'],
];

/**
 * The built-in identity providers, and in a drill tenant Google federation for guests (its
 * secret is held only as Graph reads it back, `****`:
 * https://learn.microsoft.com/graph/api/resources/socialidentityprovider).
 */
export function seedIdentityProviders(ctx: SeedContext, google: boolean): void {
  for (const [id, displayName, identityProviderType] of BUILT_IN_PROVIDERS) {
    ctx.add('identityProvider', { id, '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName, identityProviderType });
  }
  if (!google) return;
  const rng = new Rng(ctx.seed, 'identityProviders');
  ctx.add('identityProvider', {
    id: 'Google-OAUTH', '@odata.type': '#microsoft.graph.socialIdentityProvider', displayName: 'Google',
    identityProviderType: 'Google', clientId: `${rng.int(100000000000, 999999999999)}-guests.apps.googleusercontent.com`, clientSecret: '****',
  });
}

/**
 * A drill tenant's federated domain: `sso-<custom domain>`, verified, federated with an AD FS
 * style identity provider (the shape of https://learn.microsoft.com/graph/api/domain-post-federationconfiguration's
 * example). The signing certificate is deterministic placeholder base64, not a parseable
 * certificate: nothing in the emulator reads it. Returns the domain's name.
 */
export function seedDomainFederation(ctx: SeedContext): string {
  const rng = new Rng(ctx.seed, 'domainFederation');
  const name = `sso-${ctx.customDomain}`;
  ctx.add('domain', {
    id: name, '@odata.type': '#microsoft.graph.domain', authenticationType: 'Federated', availabilityStatus: null, isAdminManaged: true,
    isDefault: false, isInitial: false, isRoot: true, isVerified: true, manufacturer: null, model: null, passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: 2147483647, state: null, supportedServices: ['Email'],
  });
  const cert = `MIIC${Array.from({ length: 24 }, () => rng.guid().replace(/-/g, '')).join('')}`;
  ctx.add('domainFederation', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.internalDomainFederation', displayName: `${ctx.orgName} AD FS`,
    issuerUri: `http://adfs.${ctx.customDomain}/adfs/services/trust`, metadataExchangeUri: `https://adfs.${ctx.customDomain}/adfs/services/trust/mex`,
    signingCertificate: cert, passiveSignInUri: `https://adfs.${ctx.customDomain}/adfs/ls`, preferredAuthenticationProtocol: 'wsFed',
    activeSignInUri: `https://adfs.${ctx.customDomain}/adfs/services/trust/2005/usernamemixed`, signOutUri: `https://adfs.${ctx.customDomain}/adfs/ls/?wa=wsignout1.0`,
    promptLoginBehavior: 'nativeSupport', isSignedAuthenticationRequestRequired: true, nextSigningCertificate: null, passwordResetUri: null,
    federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp', signingCertificateUpdateStatus: null,
  }, name);
  return name;
}

/**
 * A drill tenant's token-issuance-start extension calling an API protected by one of its apps
 * (the shape of https://learn.microsoft.com/graph/api/identitycontainer-post-customauthenticationextensions's
 * example): `resourceId` is that app's identifier URI, embedding its appId.
 */
export function seedCustomAuthenticationExtension(ctx: SeedContext): void {
  const app = ctx.apps.find((a) => !a.displayName.startsWith('entra-vault'));
  if (!app) return;
  const rng = new Rng(ctx.seed, 'customAuthenticationExtensions');
  const extensionId = rng.guid();
  ctx.add('customAuthenticationExtension', {
    id: extensionId, '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtension', displayName: 'Claims from the HR store',
    description: 'Fetch additional claims from custom user store',
    endpointConfiguration: { '@odata.type': '#microsoft.graph.httpRequestEndpoint', targetUrl: `https://authevents.${ctx.customDomain}/tokenstart` },
    authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdTokenAuthentication', resourceId: `api://authevents.${ctx.customDomain}/${app.appId}` },
    clientConfiguration: { timeoutInMilliseconds: 2000, maximumRetries: 1 },
    behaviorOnError: null,
    claimsForTokenConfiguration: [{ claimIdInApiResponse: 'DateOfBirth' }, { claimIdInApiResponse: 'CustomRoles' }],
  });
  // the listener that makes Entra call it when the app signs a user in (the shape of
  // https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventlisteners)
  ctx.add('authenticationEventListener', {
    id: new Rng(ctx.seed, 'authenticationEventListeners').guid(), '@odata.type': '#microsoft.graph.onTokenIssuanceStartListener',
    displayName: 'HR claims at sign-in', authenticationEventsFlowId: null,
    conditions: { applications: { includeApplications: [{ appId: app.appId }] } },
    handler: { '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler', configuration: null, customExtension: { id: extensionId } },
  });
}

/**
 * A drill tenant's partner sign-up flow (https://learn.microsoft.com/graph/api/identitycontainer-post-b2xuserflows's
 * example), offering Google when the tenant has it (b2xidentityuserflow-post-identityproviders).
 */
export function seedUserFlow(ctx: SeedContext): void {
  ctx.add('b2xUserFlow', { id: 'B2X_1_Partner', '@odata.type': '#microsoft.graph.b2xIdentityUserFlow', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1, apiConnectorConfiguration: {} });
  if ((ctx.objects.get('identityProvider') ?? []).some((p) => p.id === 'Google-OAUTH')) ctx.rel('b2xUserFlowIdentityProviders', 'B2X_1_Partner', 'Google-OAUTH', 'identityProvider');
}
