/**
 * Seeded applications and everything hanging off them: service principals (one per
 * app, plus Microsoft Graph's), owners, extension properties and their values,
 * federated identity credentials, app role assignments, OAuth2 grants, and the
 * appliance's lab apps with their client secrets.
 */
import { BACKUP_READER_PERMISSIONS, MICROSOFT_GRAPH_APP_ID, RESTORE_WRITER_DIRECTORY_ROLES, RESTORE_WRITER_PERMISSIONS } from '../../catalog/permissions.js';
import { RoleAssigner } from './rbac.js';
import type { DirObject, Json } from '../../model.js';
import { graphAppRoleId, MICROSOFT_GRAPH_SCOPES } from '../graph-app.js';
import { seedGraphServicePrincipal } from './first-party.js';

export { seedGraphServicePrincipal };
import type { SeedContext, SeededApp, SeededUser } from './context.js';
import type { SeededGroup } from './directory.js';
import type { LabCredential } from './types.js';
import { APP_NAMES, asciiSlug } from './names.js';
import { base64, base64url, compositeId, guidBytes, iso, pastDate, Rng, SEED_NOW_MS, TENANT_CREATED_MS } from './rng.js';

type AppKind = 'web' | 'api' | 'daemon' | 'spa';

const SCOPE_ID = new Map(MICROSOFT_GRAPH_SCOPES.map((s) => [s.value, s.id]));

interface AppRoleSpec { value: string; displayName: string; members: 'User' | 'Application' }

function appRole(rng: Rng, r: AppRoleSpec): { [k: string]: Json } {
  return {
    allowedMemberTypes: [r.members],
    description: `${r.displayName} of the application`,
    displayName: r.displayName,
    id: rng.guid(),
    isEnabled: true,
    origin: 'Application',
    value: r.value,
  };
}

function permissionScope(rng: Rng, value: string, what: string): { [k: string]: Json } {
  return {
    adminConsentDescription: `Allows the app to ${what} on behalf of the signed-in user.`,
    adminConsentDisplayName: `${what.charAt(0).toUpperCase()}${what.slice(1)}`,
    id: rng.guid(),
    isEnabled: true,
    origin: null,
    type: 'User',
    userConsentDescription: `Allows the app to ${what} on your behalf.`,
    userConsentDisplayName: `${what.charAt(0).toUpperCase()}${what.slice(1)}`,
    value,
  };
}

/** Secret metadata as Graph returns it: never the secret itself (docs/graph-facts.md §2 "Never readable"). */
function passwordCredential(rng: Rng, displayName: string, hint: string, startMs: number): { [k: string]: Json } {
  return {
    customKeyIdentifier: null,
    displayName,
    endDateTime: iso(startMs + 365 * 86400000 * (rng.chance(0.5) ? 1 : 2)),
    hint,
    keyId: rng.guid(),
    secretText: null,
    startDateTime: iso(startMs),
  };
}

function keyCredential(rng: Rng, subject: string, startMs: number): { [k: string]: Json } {
  return {
    customKeyIdentifier: base64(rng.bytes(20)),
    displayName: `CN=${subject}`,
    endDateTime: iso(startMs + 2 * 365 * 86400000),
    key: null,
    keyId: rng.guid(),
    startDateTime: iso(startMs),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  };
}

interface AppSpec {
  displayName: string;
  kind: AppKind;
  uniqueName: string | null;
  roles: AppRoleSpec[];
  scopes: Array<[string, string]>;
  requiredResourceAccess: Json[];
  redirectUris: string[];
  passwords: number;
  certificates: number;
  createdMs: number;
  notes?: string | null;
  tags?: string[];
}

function buildApp(ctx: SeedContext, rng: Rng, spec: AppSpec): SeededApp {
  const id = rng.guid();
  const appId = rng.guid();
  const roles = spec.roles.map((r) => appRole(rng, r));
  const scopes = spec.scopes.map(([v, w]) => permissionScope(rng, v, w));
  const identifierUris = spec.kind === 'api' || scopes.length ? [`api://${appId}`] : [];
  const created = iso(spec.createdMs);
  const passwords: Json[] = [];
  for (let i = 0; i < spec.passwords; i++) {
    passwords.push(passwordCredential(rng, i === 0 ? 'primary' : `rotation-${i}`, base64url(rng.bytes(3)).slice(0, 3), spec.createdMs + i * 86400000 * 30));
  }
  const certs: Json[] = [];
  for (let i = 0; i < spec.certificates; i++) certs.push(keyCredential(rng, `${asciiSlug(spec.displayName)}.${ctx.customDomain}`, spec.createdMs + i * 86400000));
  const web = spec.kind === 'web' || spec.kind === 'api';
  const app: DirObject = {
    id,
    '@odata.type': '#microsoft.graph.application',
    deletedDateTime: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: scopes,
      preAuthorizedApplications: [],
      requestedAccessTokenVersion: spec.kind === 'api' ? 2 : null,
    },
    appId,
    applicationTemplateId: null,
    appRoles: roles,
    authenticationBehaviors: null,
    certification: null,
    createdByAppId: null,
    createdDateTime: created,
    defaultRedirectUri: null,
    description: spec.kind === 'daemon' ? 'Background service (client credentials)' : null,
    disabledByMicrosoftStatus: null,
    displayName: spec.displayName,
    groupMembershipClaims: spec.kind === 'web' && rng.chance(0.4) ? 'SecurityGroup' : null,
    identifierUris,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    isDeviceOnlyAuthSupported: null,
    isDisabled: null,
    isFallbackPublicClient: null,
    keyCredentials: certs,
    managerApplications: [],
    nativeAuthenticationApisEnabled: null,
    notes: spec.notes ?? null,
    oauth2RequirePostResponse: false,
    optionalClaims: null,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials: passwords,
    publicClient: { redirectUris: [] },
    publisherDomain: ctx.customDomain,
    requestSignatureVerification: null,
    requiredResourceAccess: spec.requiredResourceAccess,
    samlMetadataUrl: null,
    serviceManagementReference: null,
    servicePrincipalLockConfiguration: null,
    signInAudience: 'AzureADMyOrg',
    spa: { redirectUris: spec.kind === 'spa' ? spec.redirectUris : [] },
    tags: spec.tags ?? [],
    tokenEncryptionKeyId: null,
    uniqueName: spec.uniqueName,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: web && spec.redirectUris[0] ? spec.redirectUris[0].replace(/\/signin-oidc$/, '/') : null,
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: spec.kind === 'web' && rng.chance(0.2) },
      logoutUrl: null,
      redirectUris: web ? spec.redirectUris : [],
      redirectUriSettings: web ? spec.redirectUris.map((uri) => ({ uri, index: null })) : [],
    },
  };
  const sp = servicePrincipalOf(ctx, rng, spec, { appId, roles, scopes, identifierUris, homepage: (app.web as { homePageUrl: string | null }).homePageUrl });
  return {
    app, sp, appId, displayName: spec.displayName,
    userRoleIds: roles.filter((r) => (r.allowedMemberTypes as string[])[0] === 'User').map((r) => r.id as string),
    appOnlyRoleIds: roles.filter((r) => (r.allowedMemberTypes as string[])[0] === 'Application').map((r) => r.id as string),
    scopeValues: scopes.map((s) => s.value as string),
  };
}

/**
 * The app's service principal as Graph returns it. Called after the application is built:
 * the seed's random draws happen in the same order as before (deterministic tenants).
 */
function servicePrincipalOf(
  ctx: SeedContext,
  rng: Rng,
  spec: AppSpec,
  a: { appId: string; roles: { [k: string]: Json }[]; scopes: { [k: string]: Json }[]; identifierUris: string[]; homepage: string | null },
): DirObject {
  return {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.servicePrincipal',
    deletedDateTime: null,
    accountEnabled: !rng.chance(0.05),
    addIns: [],
    alternativeNames: [],
    appDescription: null,
    appDisplayName: spec.displayName,
    appId: a.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: ctx.tenantId,
    appRoleAssignmentRequired: spec.kind === 'web' && a.roles.length > 0 && rng.chance(0.6),
    appRoles: a.roles,
    createdByAppId: null,
    customSecurityAttributes: null,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: spec.displayName,
    isDisabled: null,
    homepage: a.homepage,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    oauth2PermissionScopes: a.scopes,
    passwordCredentials: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: spec.redirectUris,
    resourceSpecificApplicationPermissions: [],
    samlSingleSignOnSettings: null,
    servicePrincipalNames: [a.appId, ...a.identifierUris],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMyOrg',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp', ...(spec.tags ?? [])],
    tokenEncryptionKeyId: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

function register(ctx: SeedContext, a: SeededApp): SeededApp {
  ctx.add('application', a.app);
  ctx.add('servicePrincipal', a.sp);
  ctx.apps.push(a);
  return a;
}

function graphRoles(perms: readonly string[]): Json {
  return { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: perms.map((p) => ({ id: graphAppRoleId(p), type: 'Role' })) };
}

function graphScopes(values: readonly string[]): Json {
  return { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: values.map((v) => ({ id: SCOPE_ID.get(v)!, type: 'Scope' })) };
}

/** An app role assignment: principal → resource SP (`appRoleId` one of the resource's roles). */
export function assignAppRole(
  ctx: SeedContext, rng: Rng,
  principal: { id: string; displayName: string; type: 'User' | 'Group' | 'ServicePrincipal' },
  resource: DirObject, appRoleId: string,
): void {
  ctx.add('appRoleAssignment', {
    // Graph's id: base64url of the principal's id bytes followed by 16 more bytes
    id: base64url(new Uint8Array([...guidBytes(principal.id), ...rng.bytes(16)])),
    '@odata.type': '#microsoft.graph.appRoleAssignment',
    deletedDateTime: null,
    appRoleId,
    createdDateTime: pastDate(rng),
    principalDisplayName: principal.displayName,
    principalId: principal.id,
    principalType: principal.type,
    resourceDisplayName: resource.displayName as string,
    resourceId: resource.id,
  }, resource.id);
}

function grant(ctx: SeedContext, clientSpId: string, resourceSpId: string, scope: string, principalId: string | null): void {
  ctx.add('oauth2PermissionGrant', {
    // Graph's id: base64url of client, resource (and principal) id bytes
    id: principalId ? compositeId(clientSpId, resourceSpId, principalId) : compositeId(clientSpId, resourceSpId),
    '@odata.type': '#microsoft.graph.oAuth2PermissionGrant',
    clientId: clientSpId,
    consentType: principalId ? 'Principal' : 'AllPrincipals',
    principalId,
    resourceId: resourceSpId,
    scope,
  });
}

const LAB_APPS: ReadonlyArray<{ role: LabCredential['role']; displayName: string; perms: readonly string[]; notes: string }> = [
  { role: 'backupReader', displayName: 'entra-vault backup reader', perms: BACKUP_READER_PERMISSIONS, notes: 'Reads the tenant for entra-vault snapshots (read-only).' },
  { role: 'restoreWriter', displayName: 'entra-vault restore writer', perms: RESTORE_WRITER_PERMISSIONS, notes: 'Tier-0: writes restores. Keep credential-less between drills (docs/graph-facts.md §6 "Risk").' },
  { role: 'breakGlass', displayName: 'entra-vault break-glass recovery', perms: RESTORE_WRITER_PERMISSIONS, notes: 'App-only path back to a Global Administrator when every admin is gone (docs/graph-facts.md §7).' },
];

/**
 * A lab app of the appliance: application + SP + one app role assignment to Microsoft
 * Graph per permission, and a client secret whose text only the returned credential holds.
 */
export function seedLabApp(ctx: SeedContext, role: LabCredential['role'], owner: SeededUser | undefined): SeededApp {
  const spec = LAB_APPS.find((l) => l.role === role)!;
  const rng = new Rng(ctx.seed, `lab:${role}`);
  const createdMs = SEED_NOW_MS - 7 * 86400000;
  const a = register(ctx, buildApp(ctx, rng, {
    displayName: spec.displayName, kind: 'daemon', uniqueName: `entra-vault-${role}`, roles: [], scopes: [],
    requiredResourceAccess: [graphRoles(spec.perms)], redirectUris: [], passwords: 0, certificates: 0, createdMs, notes: spec.notes,
  }));
  a.sp.accountEnabled = true;
  const secret = rng.secret();
  (a.app.passwordCredentials as Json[]).push(passwordCredential(rng, 'lab secret', secret.slice(0, 3), createdMs));
  const graphSp = ctx.objects.get('servicePrincipal')!.find((s) => s.id === ctx.graphSpId)!;
  for (const p of spec.perms) {
    assignAppRole(ctx, rng, { id: a.sp.id, displayName: spec.displayName, type: 'ServicePrincipal' }, graphSp, graphAppRoleId(p));
  }
  if (owner) ctx.rel('applicationOwners', a.app.id, owner.id, 'user');
  // the recovery apps hold the directory roles the documented setup gives them (permissions.ts)
  if (role !== 'backupReader') {
    const assigner = new RoleAssigner(ctx, new Rng(ctx.seed, `lab-roles:${role}`));
    for (const r of RESTORE_WRITER_DIRECTORY_ROLES) assigner.assign(r.templateId, { id: a.sp.id, displayName: spec.displayName });
  }
  ctx.credentials.push({ clientId: a.appId, secret, role });
  return a;
}

/** One of the tenant's own apps: its spec drawn from the seed and the app + SP registered. */
function buildTenantApp(ctx: SeedContext, rng: Rng, kind: AppKind, i: number, apis: SeededApp[]): TenantApp {
  const base = APP_NAMES[i % APP_NAMES.length]!;
  const displayName = i < APP_NAMES.length ? base : `${base} ${Math.floor(i / APP_NAMES.length) + 1}`;
  const slug = asciiSlug(displayName);
  const roles: AppRoleSpec[] = [];
  const scopes: Array<[string, string]> = [];
  const rra: Json[] = [];
  const redirectUris: string[] = [];
  const daemonPerms = rng.chance(0.5) ? ['User.Read.All', 'Group.Read.All'] : ['Directory.Read.All'];
  if (kind === 'api') {
    roles.push({ value: `${slug}.Read.All`, displayName: 'Read all data', members: 'Application' });
    roles.push({ value: `${slug}.ReadWrite.All`, displayName: 'Read and write all data', members: 'Application' });
    roles.push({ value: 'Reader', displayName: 'Reader', members: 'User' });
    scopes.push(['access_as_user', `access ${displayName} as the signed-in user`]);
    redirectUris.push(`https://${slug}.${ctx.customDomain}/signin-oidc`);
  } else if (kind === 'web') {
    roles.push({ value: 'Admin', displayName: 'Administrator', members: 'User' });
    roles.push({ value: 'User', displayName: 'Standard user', members: 'User' });
    redirectUris.push(`https://${slug}.${ctx.customDomain}/signin-oidc`);
    rra.push(graphScopes(['openid', 'profile', 'email', 'offline_access', 'User.Read']));
  } else if (kind === 'spa') {
    redirectUris.push(`https://${slug}.${ctx.customDomain}/`, 'http://localhost:3000/');
    rra.push(graphScopes(['openid', 'profile', 'User.Read']));
  } else {
    rra.push(graphRoles(daemonPerms));
  }
  // clients of earlier APIs: the reference to another tenant app by appId
  const api = apis.length ? rng.pick(apis) : undefined;
  if (api && kind !== 'api') {
    rra.push({
      resourceAppId: api.appId,
      resourceAccess: kind === 'daemon'
        ? api.appOnlyRoleIds.map((rid) => ({ id: rid, type: 'Role' }))
        : [{ id: (api.app.api as { oauth2PermissionScopes: Array<{ id: string }> }).oauth2PermissionScopes[0]!.id, type: 'Scope' }],
    });
  }
  const a = register(ctx, buildApp(ctx, rng, {
    displayName, kind, uniqueName: rng.chance(0.3) ? `app-${slug}` : null, roles, scopes, requiredResourceAccess: rra, redirectUris,
    passwords: kind === 'daemon' || kind === 'web' ? rng.int(1, 2) : 0, certificates: kind === 'daemon' && rng.chance(0.5) ? 1 : 0,
    createdMs: Date.parse(pastDate(rng, TENANT_CREATED_MS + 30 * 86400000)),
  }));
  return { a, kind, displayName, daemonPerms, api };
}

/** Owners, consents and app role assignments of one tenant app (same draws, same order). */
function wireTenantApp(
  ctx: SeedContext,
  rng: Rng,
  t: TenantApp,
  w: { graphSp: DirObject; members: SeededUser[]; ownersPool: SeededUser[]; groups: SeededGroup[] },
): void {
  const { a, kind, displayName, daemonPerms, api } = t;
  const { graphSp, members, ownersPool, groups } = w;
    // owners
    for (const o of rng.sample(ownersPool, rng.int(1, 2))) ctx.rel('applicationOwners', a.app.id, o.id, 'user');
    if (rng.chance(0.5)) ctx.rel('servicePrincipalOwners', a.sp.id, rng.pick(ownersPool).id, 'user');

    // consents and assignments
    if (kind === 'daemon') {
      for (const p of daemonPerms) {
        assignAppRole(ctx, rng, { id: a.sp.id, displayName, type: 'ServicePrincipal' }, graphSp, graphAppRoleId(p));
      }
      if (api) for (const rid of api.appOnlyRoleIds) assignAppRole(ctx, rng, { id: a.sp.id, displayName, type: 'ServicePrincipal' }, api.sp, rid);
    } else if (kind === 'web' || kind === 'spa') {
      const scopesText = kind === 'web' ? 'openid profile email offline_access User.Read' : 'openid profile User.Read';
      if (rng.chance(0.7)) {
        grant(ctx, a.sp.id, graphSp.id, scopesText, null);
      } else {
        for (const u of rng.sample(members, Math.min(3, members.length))) grant(ctx, a.sp.id, graphSp.id, scopesText, u.id);
      }
      if (api) grant(ctx, a.sp.id, api.sp.id, api.scopeValues.join(' '), null);
    }
    if (a.userRoleIds.length) {
      for (const u of rng.sample(members, Math.min(members.length, rng.int(2, 12)))) {
        assignAppRole(ctx, rng, { id: u.id, displayName: u.displayName, type: 'User' }, a.sp, rng.pick(a.userRoleIds));
      }
      const assignable = groups.filter((g) => g.kind === 'security' || g.kind === 'dynamicSecurity');
      for (const g of rng.sample(assignable, Math.min(assignable.length, rng.int(0, 2)))) {
        assignAppRole(ctx, rng, { id: g.id, displayName: g.displayName, type: 'Group' }, a.sp, rng.pick(a.userRoleIds));
      }
    }
}

interface TenantApp {
  a: SeededApp;
  kind: AppKind;
  displayName: string;
  daemonPerms: string[];
  /** An earlier API of the tenant this app is a client of. */
  api: SeededApp | undefined;
}

const KINDS: readonly AppKind[] = ['api', 'web', 'daemon', 'spa', 'web'];

/**
 * The tenant's own apps (~N/50, at least 5) and their service principals, owners,
 * extension properties (+ values on users and groups), federated credentials, app role
 * assignments and OAuth2 grants; then the three lab apps and one deleted app + SP.
 */
export function seedApplications(ctx: SeedContext, total: number, groups: SeededGroup[]): void {
  const rng = new Rng(ctx.seed, 'applications');
  const graphSp = seedGraphServicePrincipal(ctx);
  const count = Math.max(5, Math.floor(total / 50));
  const members = ctx.users.filter((u) => !u.guest && u.enabled);
  const ownersPool = members.length ? members : ctx.admins;
  const apis: SeededApp[] = [];
  const tenantApps: SeededApp[] = [];
  for (let i = 0; i < count; i++) {
    const t = buildTenantApp(ctx, rng, KINDS[i % KINDS.length]!, i, apis);
    tenantApps.push(t.a);
    if (t.kind === 'api') apis.push(t.a);
    wireTenantApp(ctx, rng, t, { graphSp, members, ownersPool, groups });
  }

  // a couple of groups owned by a service principal (automation-created groups)
  const automation = tenantApps.find((a) => a.app.description !== null) ?? tenantApps[0]!;
  for (const g of rng.sample(groups.filter((x) => x.kind === 'security'), 2)) ctx.rel('groupOwners', g.id, automation.sp.id, 'servicePrincipal');

  seedExtensions(ctx, rng, tenantApps[1] ?? tenantApps[0]!, groups);
  for (const a of tenantApps) {
    if (a.app.description !== null && rng.chance(0.6)) seedFederatedCredential(ctx, rng, a);
  }
  if (!ctx.objects.get('federatedIdentityCredential')) seedFederatedCredential(ctx, rng, tenantApps[0]!);

  const owner = ctx.admins[0];
  for (const role of ['backupReader', 'restoreWriter', 'breakGlass'] as const) seedLabApp(ctx, role, owner);

  // an application and its service principal already in the recycle bin
  // (restoring the app does not restore its SP: docs/graph-facts.md §4)
  const gone = buildApp(ctx, rng, {
    displayName: 'Legacy Intranet', kind: 'web', uniqueName: null, roles: [], scopes: [],
    requiredResourceAccess: [graphScopes(['openid', 'User.Read'])], redirectUris: [`https://intranet-old.${ctx.customDomain}/signin-oidc`],
    passwords: 1, certificates: 0, createdMs: TENANT_CREATED_MS + 5 * 86400000,
  });
  const deletedAt = pastDate(rng, SEED_NOW_MS - 12 * 86400000);
  gone.app.deletedDateTime = deletedAt;
  gone.sp.deletedDateTime = deletedAt;
  ctx.addDeleted('application', gone.app);
  ctx.addDeleted('servicePrincipal', gone.sp);
}

/** Directory extensions registered on `owner` (`extension_<appId without dashes>_<name>`) and their values. */
function seedExtensions(ctx: SeedContext, rng: Rng, owner: SeededApp, groups: SeededGroup[]): void {
  const prefix = `extension_${owner.appId.replace(/-/g, '')}_`;
  const defs: Array<[string, string, string[], boolean]> = [
    ['employeeBadge', 'String', ['User'], false],
    ['hireSource', 'String', ['User'], false],
    ['costCenterCode', 'Integer', ['Group'], false],
    ['skills', 'String', ['User'], true],
  ];
  for (const [name, dataType, targetObjects, isMultiValued] of defs) {
    ctx.add('extensionProperty', {
      id: rng.guid(),
      '@odata.type': '#microsoft.graph.extensionProperty',
      deletedDateTime: null,
      appDisplayName: owner.displayName,
      dataType,
      isMultiValued,
      isSyncedFromOnPremises: false,
      name: `${prefix}${name}`,
      targetObjects,
    }, owner.app.id);
  }
  const people = ctx.users.filter((u) => !u.guest);
  for (const u of rng.sample(people, Math.max(1, Math.floor(people.length / 5)))) {
    u.obj[`${prefix}employeeBadge`] = `B${rng.int(100000, 999999)}`;
    if (rng.chance(0.5)) u.obj[`${prefix}hireSource`] = rng.pick(['Referral', 'Agency', 'Campus', 'Direct']);
    if (rng.chance(0.3)) u.obj[`${prefix}skills`] = rng.sample(['TypeScript', 'SAP', 'Negotiation', 'PowerShell', 'Kubernetes'], 2);
  }
  for (const g of rng.sample(groups, Math.max(1, Math.floor(groups.length / 10)))) g.obj[`${prefix}costCenterCode`] = rng.int(1000, 9999);
}

function seedFederatedCredential(ctx: SeedContext, rng: Rng, a: SeededApp): void {
  const repo = `${asciiSlug(ctx.orgName)}/${asciiSlug(a.displayName)}`;
  const github = rng.chance(0.6);
  ctx.add('federatedIdentityCredential', {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.federatedIdentityCredential',
    audiences: ['api://AzureADTokenExchange'],
    description: github ? 'GitHub Actions deployments from main' : 'Kubernetes workload identity',
    issuer: github ? 'https://token.actions.githubusercontent.com' : `https://oidc.prod-aks.azure.com/${ctx.tenantId}/`,
    name: github ? 'github-main' : 'aks-workload',
    subject: github ? `repo:${repo}:ref:refs/heads/main` : `system:serviceaccount:${asciiSlug(a.displayName)}:default`,
  }, a.app.id);
}
