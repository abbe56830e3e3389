/**
 * Tenant-level directory objects of a seeded tenant: organization (+ branding),
 * domains, groups of every kind with members and owners, group settings,
 * administrative units, custom security attribute sets and definitions.
 */
import { ALLOWED_VALUES } from '../allowed-values.js';
import type { DirObject, Json } from '../../model.js';
import type { SeedContext, SeededUser } from './context.js';
import { asciiSlug, DEPARTMENTS, GROUP_TOPICS, SITES } from './names.js';
import { cloudSid, pastDate, Rng, SEED_NOW_MS, TENANT_CREATED_MS, iso } from './rng.js';

/** The organization object (id = tenant id) and its default branding. */
export function seedOrganization(ctx: SeedContext, verifiedDomains: string[]): void {
  const site = SITES[0]!;
  ctx.add('organization', {
    id: ctx.tenantId,
    '@odata.type': '#microsoft.graph.organization',
    deletedDateTime: null,
    assignedPlans: [],
    businessPhones: [`${site.phonePrefix}2000000`],
    city: site.city,
    country: site.country,
    countryLetterCode: site.countryCode,
    createdDateTime: iso(TENANT_CREATED_MS),
    defaultUsageLocation: site.countryCode,
    displayName: ctx.orgName,
    marketingNotificationEmails: [],
    mobileDeviceManagementAuthority: 'unknown',
    onPremisesLastSyncDateTime: ctx.onPremisesIds.length ? iso(SEED_NOW_MS - 1800000) : null,
    onPremisesSyncEnabled: ctx.onPremisesIds.length ? true : null,
    partnerTenantType: null,
    postalCode: site.postalCode,
    preferredLanguage: 'en',
    privacyProfile: { contactEmail: `privacy@${ctx.customDomain}`, statementUrl: `https://www.${ctx.customDomain}/privacy` },
    provisionedPlans: [],
    securityComplianceNotificationMails: [`security@${ctx.customDomain}`],
    securityComplianceNotificationPhones: [],
    state: site.state,
    street: site.street,
    technicalNotificationMails: [`it-notifications@${ctx.customDomain}`],
    tenantType: 'AAD',
    verifiedDomains: verifiedDomains.map((name) => ({
      capabilities: 'Email, OfficeCommunicationsOnline',
      isDefault: name === ctx.customDomain,
      isInitial: name === ctx.initialDomain,
      name,
      type: 'Managed',
    })),
  });
  ctx.add('organizationalBranding', {
    id: '0',
    '@odata.type': '#microsoft.graph.organizationalBranding',
    backgroundColor: '#0B3D91',
    backgroundImageRelativeUrl: null,
    bannerLogoRelativeUrl: null,
    cdnList: [],
    contentCustomization: null,
    customAccountResetCredentialsUrl: null,
    customCannotAccessYourAccountText: null,
    customCannotAccessYourAccountUrl: null,
    customCSSRelativeUrl: null,
    customForgotMyPasswordText: null,
    customPrivacyAndCookiesText: null,
    customPrivacyAndCookiesUrl: null,
    customResetItNowText: null,
    customTermsOfUseText: null,
    customTermsOfUseUrl: null,
    faviconRelativeUrl: null,
    headerBackgroundColor: null,
    headerLogoRelativeUrl: null,
    loginPageLayoutConfiguration: null,
    loginPageTextVisibilitySettings: null,
    signInPageText: `Welcome to ${ctx.orgName}. Authorised use only.`,
    squareLogoDarkRelativeUrl: null,
    squareLogoRelativeUrl: null,
    usernameHintText: `firstname.lastname@${ctx.customDomain}`,
  }, ctx.tenantId);
}

function domain(name: string, opts: { isDefault: boolean; isInitial: boolean; isVerified: boolean; isRoot?: boolean }): DirObject {
  return {
    id: name,
    '@odata.type': '#microsoft.graph.domain',
    authenticationType: 'Managed',
    availabilityStatus: null,
    isAdminManaged: true,
    isDefault: opts.isDefault,
    isInitial: opts.isInitial,
    isRoot: opts.isRoot ?? true,
    isVerified: opts.isVerified,
    manufacturer: null,
    model: null,
    passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: 2147483647,
    state: null,
    supportedServices: opts.isVerified ? ['Email', 'OfficeCommunicationsOnline'] : [],
  };
}

/**
 * Domains: the initial `*.onmicrosoft.com`, the verified custom domain users live on,
 * and (full tenants only) a custom domain added but not verified yet (isVerified false,
 * no services). Returns the verified names.
 */
export function seedDomains(ctx: SeedContext, full: boolean): string[] {
  ctx.add('domain', domain(ctx.initialDomain, { isDefault: !full, isInitial: true, isVerified: true }));
  if (!full) return [ctx.initialDomain];
  ctx.add('domain', domain(ctx.customDomain, { isDefault: true, isInitial: false, isVerified: true }));
  ctx.add('domain', domain(`newbrand-${ctx.customDomain}`, { isDefault: false, isInitial: false, isVerified: false }));
  return [ctx.customDomain, ctx.initialDomain];
}

type GroupKind = 'security' | 'unified' | 'mailSecurity' | 'dynamicSecurity' | 'dynamicUnified' | 'roleAssignable' | 'synced';

export interface SeededGroup {
  id: string;
  obj: DirObject;
  kind: GroupKind;
  displayName: string;
}

function groupObject(ctx: SeedContext, rng: Rng, kind: GroupKind, displayName: string, nick: string, extra: Partial<DirObject> = {}): DirObject {
  const id = rng.guid();
  const unified = kind === 'unified' || kind === 'dynamicUnified';
  const mailEnabled = unified || kind === 'mailSecurity';
  const dynamic = kind === 'dynamicSecurity' || kind === 'dynamicUnified';
  const mail = mailEnabled ? `${nick}@${ctx.customDomain}` : null;
  const created = pastDate(rng, TENANT_CREATED_MS + 86400000);
  const synced = kind === 'synced';
  const ext: { [k: string]: Json } = {};
  for (let i = 1; i <= 15; i++) ext[`extensionAttribute${i}`] = null;
  return {
    id,
    '@odata.type': '#microsoft.graph.group',
    deletedDateTime: null,
    accessType: null,
    assignedLabels: [],
    assignedLicenses: [],
    classification: unified ? rng.pick(['Internal', 'Confidential', null]) : null,
    createdDateTime: created,
    description: extra.description !== undefined ? extra.description : `${displayName}`,
    displayName,
    expirationDateTime: null,
    hasMembersWithLicenseErrors: null,
    infoCatalogs: [],
    isArchived: null,
    groupTypes: [...(unified ? ['Unified'] : []), ...(dynamic ? ['DynamicMembership'] : [])],
    isAssignableToRole: kind === 'roleAssignable' ? true : null,
    isManagementRestricted: null,
    licenseProcessingState: null,
    mail,
    mailEnabled,
    mailNickname: nick,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: synced ? ctx.onPremDomain : null,
    onPremisesExtensionAttributes: ext,
    onPremisesLastSyncDateTime: synced ? pastDate(rng, SEED_NOW_MS - 3600000) : null,
    onPremisesNetBiosName: synced ? ctx.onPremDomain.split('.')[0]!.toUpperCase() : null,
    onPremisesProvisioningErrors: [],
    onPremisesSamAccountName: synced ? nick : null,
    onPremisesSecurityIdentifier: synced ? `S-1-5-21-${rng.int(1000000000, 3999999999)}-${rng.int(1000000000, 3999999999)}-${rng.int(100000000, 999999999)}-${rng.int(1100, 99999)}` : null,
    onPremisesSyncEnabled: synced ? true : null,
    organizationId: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: mail ? [`SMTP:${mail}`, `smtp:${nick}@${ctx.initialDomain}`] : [],
    renewedDateTime: created,
    resourceBehaviorOptions: unified && rng.chance(0.3) ? ['WelcomeEmailDisabled'] : [],
    resourceProvisioningOptions: unified && rng.chance(0.5) ? ['Team'] : [],
    securityEnabled: !unified || rng.chance(0.2),
    securityIdentifier: cloudSid(id),
    serviceProvisioningErrors: [],
    theme: null,
    uniqueName: null,
    welcomeMessageEnabled: null,
    visibility: unified ? rng.pick(['Private', 'Public', 'Private']) : kind === 'roleAssignable' ? 'Private' : null,
    ...extra,
  };
}

/**
 * Groups sized at ~N/10: security (some nested), Microsoft 365, mail-enabled security,
 * dynamic (members computed from the rule), role-assignable (no owners, no nested
 * groups, never dynamic: docs/graph-facts.md §3 "Groups") and groups synced from AD.
 */
export function seedGroups(ctx: SeedContext, total: number): SeededGroup[] {
  const rng = new Rng(ctx.seed, 'groups');
  const groups: SeededGroup[] = [];
  const nicks = new Set<string>();
  const uniqueNick = (base: string): string => {
    let n = base.slice(0, 56);
    for (let i = 2; nicks.has(n); i++) n = `${base.slice(0, 56)}${i}`;
    nicks.add(n);
    return n;
  };
  const members = ctx.users.filter((u) => !u.guest && u.enabled);
  const everyone = ctx.users;
  const owners = members.length ? members : ctx.admins;
  const add = (kind: GroupKind, name: string, extra: Partial<DirObject> = {}): SeededGroup => {
    const obj = groupObject(ctx, rng, kind, name, uniqueNick(asciiSlug(name) || 'group'), extra);
    ctx.add('group', obj);
    if (kind === 'synced') ctx.onPremisesIds.push(obj.id);
    const g: SeededGroup = { id: obj.id, obj, kind, displayName: name };
    groups.push(g);
    return g;
  };
  const memberRel = (g: SeededGroup, u: { id: string }) => ctx.rel('groupMembers', g.id, u.id, 'user');

  // role-assignable groups: members are admin accounts, no owners
  const raNames = ['RA-Helpdesk Administrators', 'RA-Security Operations', 'RA-Identity Administrators', 'RA-Application Operators', 'RA-Groups Managers', 'RA-Privileged Readers'];
  const raCount = Math.min(raNames.length, 2 + Math.floor(total / 2000));
  for (let i = 0; i < raCount; i++) {
    const g = add('roleAssignable', raNames[i]!, { description: 'Role-assignable group; membership grants a directory role.' });
    for (const a of rng.sample(ctx.admins, rng.int(1, Math.min(4, ctx.admins.length)))) memberRel(g, a);
  }

  // dynamic groups: one per department (as many as fit), plus all employees
  const groupCount = Math.max(10, Math.floor(total / 10));
  const dynCount = Math.min(DEPARTMENTS.length, Math.max(2, Math.floor(groupCount * 0.06)));
  const allEmp = add('dynamicSecurity', 'All Employees (dynamic)', {
    membershipRule: '(user.userType -eq "Member") and (user.accountEnabled -eq true)', membershipRuleProcessingState: 'On',
  });
  for (const u of members) memberRel(allEmp, u);
  for (let i = 0; i < dynCount; i++) {
    const d = DEPARTMENTS[i]!;
    const unified = i % 3 === 2;
    const g = add(unified ? 'dynamicUnified' : 'dynamicSecurity', `${d.name} Department`, {
      membershipRule: `(user.department -eq "${d.name}")`,
      membershipRuleProcessingState: i === dynCount - 1 && dynCount > 2 ? 'Paused' : 'On',
    });
    for (const u of ctx.users) if (!u.guest && u.obj.department === d.name) memberRel(g, u);
  }

  // synced (on-premises) security groups with hybrid members
  const hybrid = members.filter((u) => u.hybrid);
  const syncedCount = hybrid.length ? Math.max(1, Math.floor(groupCount * 0.08)) : 0;
  for (let i = 0; i < syncedCount; i++) {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const g = add('synced', `GG_${d.code}_${rng.pick(GROUP_TOPICS).replace(/\s+/g, '')}_${i + 1}`, { description: `Synchronised from ${ctx.onPremDomain}` });
    for (const u of rng.sample(hybrid, rng.int(2, Math.min(25, hybrid.length)))) memberRel(g, u);
  }

  // the rest: 55% security (some nesting), 35% Microsoft 365, 10% mail-enabled security
  const remaining = Math.max(0, groupCount - groups.length);
  const security: SeededGroup[] = [];
  for (let i = 0; i < remaining; i++) {
    const d = rng.pick(DEPARTMENTS);
    const topic = rng.pick(GROUP_TOPICS);
    const r = rng.next();
    const kind: GroupKind = r < 0.55 ? 'security' : r < 0.9 ? 'unified' : 'mailSecurity';
    const name = kind === 'unified' ? `${d.name} ${topic}` : kind === 'mailSecurity' ? `DL-SEC ${d.code} ${topic}` : `SG-${d.code}-${topic.replace(/\s+/g, '')}`;
    const g = add(kind, `${name} ${i + 1}`, rng.chance(0.1) ? { uniqueName: `grp-${asciiSlug(name)}-${i + 1}` } : {});
    const pool = kind === 'unified' ? everyone : members;
    if (pool.length) for (const u of rng.sample(pool, rng.int(2, Math.min(40, pool.length)))) memberRel(g, u);
    const ownerCount = kind === 'unified' ? rng.int(1, 2) : rng.int(0, 1);
    if (owners.length) for (const o of rng.sample(owners, Math.min(ownerCount, owners.length))) ctx.rel('groupOwners', g.id, o.id, 'user');
    if (kind === 'security') {
      // nested groups: only earlier security groups, so nesting never forms a cycle
      if (security.length && rng.chance(0.2)) {
        for (const child of rng.sample(security, rng.int(1, Math.min(2, security.length)))) ctx.rel('groupMembers', g.id, child.id, 'group');
      }
      security.push(g);
    }
  }
  // a Microsoft 365 group already in the recycle bin (security groups are hard-deleted: docs/graph-facts.md §4)
  ctx.addDeleted('group', groupObject(ctx, rng, 'unified', 'Project Orion (archived)', uniqueNick('projectorion'), {
    deletedDateTime: pastDate(rng, SEED_NOW_MS - 15 * 86400000),
  }));
  return groups;
}

/** Tenant-wide group settings (`/groupSettings`) from the Group.Unified and password-rule templates. */
export function seedGroupSettings(ctx: SeedContext, groups: SeededGroup[]): void {
  const rng = new Rng(ctx.seed, 'groupSettings');
  const creators = groups.find((g) => g.kind === 'security') ?? groups[0];
  ctx.add('groupSetting', {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.groupSetting',
    displayName: 'Group.Unified',
    templateId: '62375ab9-6b52-47ed-826b-58e47e0e304b',
    values: [
      { name: 'NewUnifiedGroupWritebackDefault', value: 'true' },
      { name: 'EnableMIPLabels', value: 'false' },
      { name: 'CustomBlockedWordsList', value: '' },
      { name: 'EnableMSStandardBlockedWords', value: 'false' },
      { name: 'ClassificationDescriptions', value: '' },
      { name: 'DefaultClassification', value: 'Internal' },
      { name: 'PrefixSuffixNamingRequirement', value: 'GRP-[Department]-[GroupName]' },
      { name: 'AllowGuestsToBeGroupOwner', value: 'false' },
      { name: 'AllowGuestsToAccessGroups', value: 'true' },
      { name: 'GuestUsageGuidelinesUrl', value: '' },
      { name: 'GroupCreationAllowedGroupId', value: creators ? creators.id : '' },
      { name: 'AllowToAddGuests', value: 'true' },
      { name: 'UsageGuidelinesUrl', value: `https://intranet.${ctx.customDomain}/groups-policy` },
      { name: 'ClassificationList', value: 'Public,Internal,Confidential' },
      { name: 'EnableGroupCreation', value: 'false' },
    ],
  });
  ctx.add('groupSetting', {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.groupSetting',
    displayName: 'Password Rule Settings',
    templateId: '5cf42378-d67d-4f36-ba46-e8b86229381d',
    values: [
      { name: 'BannedPasswordCheckOnPremisesMode', value: 'Enforce' },
      { name: 'EnableBannedPasswordCheckOnPremises', value: 'True' },
      { name: 'EnableBannedPasswordCheck', value: 'True' },
      { name: 'LockoutDurationInSeconds', value: '60' },
      { name: 'LockoutThreshold', value: '10' },
      { name: 'BannedPasswordList', value: `${asciiSlug(ctx.orgName)}\tsummer2026\twinter2026` },
    ],
  });
}

export interface SeededAu {
  id: string;
  obj: DirObject;
}

function auObject(rng: Rng, displayName: string, description: string, extra: Partial<DirObject> = {}): DirObject {
  return {
    id: rng.guid(),
    '@odata.type': '#microsoft.graph.administrativeUnit',
    deletedDateTime: null,
    description,
    displayName,
    isMemberManagementRestricted: null,
    membershipRule: null,
    membershipRuleProcessingState: null,
    membershipType: null,
    visibility: null,
    ...extra,
  };
}

/**
 * Administrative units (~N/200, at least 2): one restricted-management AU for the
 * admin accounts, a dynamic one by country, the rest by site with their users.
 */
export function seedAdministrativeUnits(ctx: SeedContext, total: number, groups: SeededGroup[]): SeededAu[] {
  const rng = new Rng(ctx.seed, 'administrativeUnits');
  const count = Math.max(2, Math.floor(total / 200));
  const aus: SeededAu[] = [];
  const push = (obj: DirObject) => {
    ctx.add('administrativeUnit', obj);
    aus.push({ id: obj.id, obj });
    return obj;
  };
  const tier0 = push(auObject(rng, 'Tier-0 Accounts', 'Administrator accounts; only privileged role holders can manage them.', { isMemberManagementRestricted: true, visibility: 'HiddenMembership' }));
  for (const a of ctx.admins) ctx.rel('administrativeUnitMembers', tier0.id, a.id, 'user');
  const dyn = push(auObject(rng, 'Region DACH (dynamic)', 'Users in Germany, Austria and Switzerland', {
    membershipType: 'Dynamic',
    membershipRule: '(user.country -in ["Germany","Austria","Switzerland"])',
    membershipRuleProcessingState: 'On',
  }));
  for (const u of ctx.users) {
    if (!u.guest && (u.obj.country === 'Germany' || u.obj.country === 'Austria' || u.obj.country === 'Switzerland')) {
      ctx.rel('administrativeUnitMembers', dyn.id, u.id, 'user');
    }
  }
  const siteAus = count - 2;
  const bySite = new Map<string, DirObject[]>();
  for (let i = 0; i < siteAus; i++) {
    const site = SITES[i % SITES.length]!;
    const round = Math.floor(i / SITES.length);
    const obj = push(auObject(rng, `Site ${site.city}${round ? ` ${round + 1}` : ''}`, `Users and groups of the ${site.city} office`, { membershipType: 'Assigned' }));
    let list = bySite.get(site.city);
    if (!list) bySite.set(site.city, (list = []));
    list.push(obj);
  }
  if (bySite.size) {
    for (const u of ctx.users) {
      if (u.guest) continue;
      const list = bySite.get(u.site.city);
      if (list) ctx.rel('administrativeUnitMembers', list[Math.floor(rng.next() * list.length)]!.id, u.id, 'user');
    }
    const firstSite = [...bySite.values()][0]![0]!;
    for (const g of rng.sample(groups.filter((x) => x.kind === 'security'), 3)) ctx.rel('administrativeUnitMembers', firstSite.id, g.id, 'group');
  }
  // one AU already in the recycle bin (docs/graph-facts.md §4)
  ctx.addDeleted('administrativeUnit', auObject(rng, 'Project Phoenix (retired)', 'Decommissioned project scope', {
    deletedDateTime: pastDate(rng, SEED_NOW_MS - 10 * 86400000), membershipType: 'Assigned',
  }));
  return aus;
}

/** Custom security attribute sets, definitions, and values on a few users. */
export function seedCustomSecurityAttributes(ctx: SeedContext, users: SeededUser[]): void {
  const rng = new Rng(ctx.seed, 'customSecurityAttributes');
  ctx.add('attributeSet', { id: 'Engineering', '@odata.type': '#microsoft.graph.attributeSet', description: 'Attributes for engineering projects', maxAttributesPerSet: 25 });
  ctx.add('attributeSet', { id: 'HumanResources', '@odata.type': '#microsoft.graph.attributeSet', description: 'HR classification attributes', maxAttributesPerSet: 10 });
  const def = (set: string, name: string, type: string, isCollection: boolean, preDefined: boolean, description: string): DirObject => ({
    id: `${set}_${name}`,
    '@odata.type': '#microsoft.graph.customSecurityAttributeDefinition',
    attributeSet: set,
    description,
    isCollection,
    isSearchable: true,
    name,
    status: 'Available',
    type,
    usePreDefinedValuesOnly: preDefined,
  });
  ctx.add('customSecurityAttributeDefinition', def('Engineering', 'Project', 'String', true, false, 'Projects the person works on'));
  ctx.add('customSecurityAttributeDefinition', def('Engineering', 'CostCenter', 'Integer', false, false, 'Cost center number'));
  ctx.add('customSecurityAttributeDefinition', def('HumanResources', 'Clearance', 'String', false, true, 'Security clearance level'));
  ctx.add('customSecurityAttributeDefinition', def('HumanResources', 'IsExecutive', 'Boolean', false, false, 'Member of the executive board'));
  ctx.add('customSecurityAttributeDefinition', { ...def('HumanResources', 'LegacyBadge', 'String', false, false, 'Superseded by the badge system'), status: 'Deprecated' });
  seedAllowedValues(ctx);

  const eligible = users.filter((u) => !u.guest);
  for (const u of rng.sample(eligible, Math.min(eligible.length, Math.max(3, Math.floor(eligible.length / 100))))) {
    const value: { [k: string]: Json } = {};
    if (u.department.name === 'Engineering' || u.department.name === 'Research' || rng.chance(0.5)) {
      value.Engineering = {
        '@odata.type': '#microsoft.graph.customSecurityAttributeValue',
        'Project@odata.type': '#Collection(String)',
        Project: rng.sample(['Atlas', 'Borealis', 'Cygnus', 'Draco'], rng.int(1, 2)),
        'CostCenter@odata.type': '#Int32',
        CostCenter: rng.int(1000, 1999),
      };
    }
    value.HumanResources = {
      '@odata.type': '#microsoft.graph.customSecurityAttributeValue',
      Clearance: rng.pick(['Internal', 'Confidential', 'Secret']),
      IsExecutive: rng.chance(0.1),
    };
    u.obj.customSecurityAttributes = value;
  }
}

/**
 * Predefined values (issue 15 item 10, ../allowed-values.ts): Clearance takes only its own (the
 * users' values above are among them), Project lists its projects, and the deprecated LegacyBadge
 * holds an inactive "Internal" too: the same value id under two definitions.
 */
function seedAllowedValues(ctx: SeedContext): void {
  const values: Record<string, Array<[string, boolean]>> = {
    HumanResources_Clearance: [['Internal', true], ['Confidential', true], ['Secret', true], ['TopSecret', false]],
    Engineering_Project: [['Atlas', true], ['Borealis', true], ['Cygnus', true], ['Draco', true]],
    HumanResources_LegacyBadge: [['Internal', false], ['Visitor', true]],
  };
  for (const d of ctx.objects.get('customSecurityAttributeDefinition') ?? []) {
    const v = values[d.id];
    if (v) d[ALLOWED_VALUES] = v.map(([id, isActive]) => ({ id, isActive }));
  }
}
