/**
 * Seeded users: employees (some hybrid, some disabled), guests, administrator
 * accounts, the two emergency-access accounts (docs/graph-facts.md §7 "Prevention": cloud-only
 * on *.onmicrosoft.com) and the directory-sync service account; plus manager chains.
 */
import type { DirObject, Json } from '../../model.js';
import { asciiSlug, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, PARTNER_DOMAINS, SITES, type Department, type Site } from './names.js';
import type { SeedContext, SeededUser } from './context.js';
import { base64, cloudSid, pastDate, Rng, TENANT_CREATED_MS, SEED_NOW_MS } from './rng.js';

type UserKind = 'member' | 'guest' | 'admin' | 'emergency' | 'sync' | 'initialAdmin';

interface UserSpec {
  kind: UserKind;
  given: string;
  surname: string;
  department: Department;
  site: Site;
  hybrid: boolean;
  enabled: boolean;
  upnLocal?: string;
  displayName?: string;
  jobTitle?: string | null;
}

/**
 * Real skuIds of the SKUs every emulated tenant subscribes to (SKUS, generated from
 * vendor/tenant-builtins/skus.md): Microsoft Entra ID P1, P2 and Microsoft 365 Audio
 * Conferencing. (The seed once used the Entra ID P2 *service plan* id as a skuId.)
 */
export const SKU = {
  entraP1: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4',
  entraP2: '84a661c4-e949-4bd2-a560-ed7766fcaf2b',
  audioConferencing: '0c266dff-15dd-4b49-8397-2bb16070ed52',
} as const;

const EXTENSION_ATTRIBUTES_EMPTY = (): { [k: string]: Json } => {
  const o: { [k: string]: Json } = {};
  for (let i = 1; i <= 15; i++) o[`extensionAttribute${i}`] = null;
  return o;
};

/** Builds users while keeping UPNs and employee ids unique. */
/** What a seeded user's properties are computed from (drawn in `make`, in this order). */
interface UserFacts {
  id: string;
  guest: boolean;
  displayName: string;
  upn: string;
  mail: string | null;
  local: string;
  created: string;
  createdMs: number;
  employee: boolean;
  employeeId: string | null;
  licensed: boolean;
  phone: string | null;
  onPrem: boolean;
  sam: string | null;
  lastSignIn: string | null;
}

export class UserFactory {
  private readonly upns = new Set<string>();
  /** Next numeric suffix per base name, so repeated names cost O(1). */
  private readonly nextSuffix = new Map<string, number>();
  private employeeSeq = 1000;
  private readonly domainSid: string;

  constructor(private readonly ctx: SeedContext, private readonly rng: Rng) {
    this.domainSid = `S-1-5-21-${rng.int(1000000000, 3999999999)}-${rng.int(1000000000, 3999999999)}-${rng.int(100000000, 999999999)}`;
  }

  private uniqueLocal(base: string): string {
    let local = base;
    let n = this.nextSuffix.get(base) ?? 2;
    while (this.upns.has(local)) local = `${base}${n++}`;
    this.nextSuffix.set(base, n);
    this.upns.add(local);
    return local;
  }

  /** A random person's name parts. */
  person(): { given: string; surname: string } {
    return { given: this.rng.pick(FIRST_NAMES), surname: this.rng.pick(LAST_NAMES) };
  }

  make(spec: UserSpec): SeededUser {
    const f = this.facts(spec);
    // two halves of Graph's (alphabetical) property list; their random draws stay in order
    // Object.assign onto the first half, not a spread into a third object: the spread made
    // seeding 3× slower (bench/main.mts backup, emulator CPU) through allocation and GC.
    const obj = Object.assign(this.propertiesAtoL(spec, f), this.propertiesMtoZ(spec, f)) as DirObject;
    const { id, upn, displayName, guest, onPrem } = f;
    const user: SeededUser = {
      obj, id, upn, displayName, department: spec.department, site: spec.site, guest, enabled: spec.enabled, hybrid: onPrem,
    };
    this.ctx.add('user', obj);
    if (onPrem) this.ctx.onPremisesIds.push(id);
    return user;
  }


  /** Names, addresses and dates of a new user: the seed's first draws for it. */
  private facts(spec: UserSpec): UserFacts {
    const { ctx, rng } = this;
    const id = rng.guid();
    const guest = spec.kind === 'guest';
    const cloudOnlyDomain = spec.kind === 'emergency' || spec.kind === 'sync' || spec.kind === 'initialAdmin';
    const domain = cloudOnlyDomain ? ctx.initialDomain : ctx.customDomain;
    const displayName = spec.displayName ?? `${spec.given} ${spec.surname}`;
    const baseLocal = spec.upnLocal ?? `${asciiSlug(spec.given)}.${asciiSlug(spec.surname)}`;
    let upn: string;
    let mail: string | null;
    let local: string;
    if (guest) {
      const home = rng.pick(PARTNER_DOMAINS);
      local = this.uniqueLocal(`${baseLocal}_${home.replace(/\./g, '_')}`);
      mail = `${baseLocal}@${home}`;
      upn = `${local}#EXT#@${ctx.initialDomain}`;
    } else {
      local = this.uniqueLocal(baseLocal);
      upn = `${local}@${domain}`;
      mail = spec.kind === 'emergency' || spec.kind === 'sync' ? null : upn;
    }
    const created = pastDate(rng, TENANT_CREATED_MS + 86400000);
    const createdMs = Date.parse(created);
    const employee = spec.kind === 'member' || spec.kind === 'admin' || spec.kind === 'initialAdmin';
    const employeeId = spec.kind === 'member' ? `E${String(this.employeeSeq++).padStart(6, '0')}` : null;
    const licensed = spec.kind === 'member' || spec.kind === 'initialAdmin';
    const phone = employee ? `${spec.site.phonePrefix}${rng.int(1000000, 9999999)}` : null;
    const onPrem = spec.hybrid;
    const sam = onPrem ? asciiSlug(spec.given).slice(0, 1) + asciiSlug(spec.surname).slice(0, 12) + rng.int(1, 99) : null;
    const lastSignIn = spec.enabled && rng.chance(0.9) ? pastDate(rng, Math.max(createdMs, SEED_NOW_MS - 30 * 86400000)) : null;

    return { id, guest, displayName, upn, mail, local, created, createdMs, employee, employeeId, licensed, phone, onPrem, sam, lastSignIn };
  }

  private propertiesAtoL(spec: UserSpec, f: UserFacts): Record<string, Json> {
    const { ctx, rng } = this;
    const { id, guest, displayName, upn, mail, created, createdMs, employee, employeeId, licensed, phone } = f;
    return {
      id,
      '@odata.type': '#microsoft.graph.user',
      deletedDateTime: null,
      accountEnabled: spec.enabled,
      ageGroup: null,
      assignedLicenses: licensed
        ? rng.chance(0.2)
          ? [{ disabledPlans: [], skuId: SKU.entraP2 }]
          : [{ disabledPlans: [], skuId: SKU.entraP1 }, ...(spec.department.name === 'IT' ? [{ disabledPlans: [], skuId: SKU.audioConferencing }] : [])]
        : [],
      assignedPlans: [],
      authorizationInfo: { certificateUserIds: [] },
      businessPhones: phone ? [phone] : [],
      city: employee ? spec.site.city : null,
      companyName: guest ? null : employee ? ctx.orgName : null,
      consentProvidedForMinor: null,
      country: employee ? spec.site.country : null,
      createdDateTime: created,
      creationType: guest ? 'Invitation' : null,
      customSecurityAttributes: null,
      department: employee ? spec.department.name : null,
      deviceEnrollmentLimit: 2147483647,
      displayName,
      employeeHireDate: employeeId ? created.slice(0, 10) + 'T00:00:00Z' : null,
      employeeId,
      employeeLeaveDateTime: employeeId && !spec.enabled ? pastDate(rng, createdMs) : null,
      employeeOrgData: employeeId ? { costCenter: `${spec.department.code}-${rng.int(100, 999)}`, division: spec.department.name } : null,
      employeeType: employeeId ? (rng.chance(0.9) ? 'Employee' : 'Contractor') : null,
      externalUserState: guest ? (rng.chance(0.85) ? 'Accepted' : 'PendingAcceptance') : null,
      externalUserStateChangeDateTime: guest ? created : null,
      faxNumber: null,
      givenName: spec.kind === 'emergency' || spec.kind === 'sync' ? null : spec.given,
      identities: guest
        ? [{ signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: null }]
        : [{ signInType: 'userPrincipalName', issuer: ctx.initialDomain, issuerAssignedId: upn }],
      identityParentId: null,
      imAddresses: employee && mail ? [`sip:${mail}`] : [],
      isManagementRestricted: null,
      isResourceAccount: null,
      jobTitle: spec.jobTitle !== undefined ? spec.jobTitle : employee ? rng.pick(spec.department.titles) : null,
      lastPasswordChangeDateTime: pastDate(rng, createdMs),
      legalAgeGroupClassification: null,
      licenseAssignmentStates: [],
    };
  }

  private propertiesMtoZ(spec: UserSpec, f: UserFacts): Record<string, Json> {
    const { ctx, rng } = this;
    const { id, guest, displayName, upn, mail, local, created, employee, onPrem, sam, lastSignIn } = f;
    return {
      mail,
      mailNickname: guest ? local.replace(/[^A-Za-z0-9_.-]/g, '') + '#EXT#' : local,
      mobilePhone: employee && rng.chance(0.6) ? `${spec.site.phonePrefix.split(' ')[0]} 15${rng.int(10000000, 99999999)}` : null,
      officeLocation: employee ? `${spec.site.city}, ${rng.int(1, 9)}.${rng.int(10, 40)}` : null,
      onPremisesDistinguishedName: onPrem
        ? `CN=${displayName},OU=${spec.department.name},OU=Users,${ctx.onPremDomain.split('.').map((p) => `DC=${p}`).join(',')}`
        : null,
      onPremisesDomainName: onPrem ? ctx.onPremDomain : null,
      onPremisesExtensionAttributes: onPrem
        ? { ...EXTENSION_ATTRIBUTES_EMPTY(), extensionAttribute1: spec.department.code, extensionAttribute2: `${rng.int(100, 999)}` }
        : EXTENSION_ATTRIBUTES_EMPTY(),
      onPremisesImmutableId: onPrem ? base64(rng.bytes(16)) : null,
      onPremisesLastSyncDateTime: onPrem ? pastDate(rng, SEED_NOW_MS - 3600000) : null,
      onPremisesProvisioningErrors: [],
      onPremisesSamAccountName: sam,
      onPremisesSecurityIdentifier: onPrem ? `${this.domainSid}-${rng.int(1100, 999999)}` : null,
      onPremisesSyncEnabled: onPrem ? true : null,
      onPremisesUserPrincipalName: onPrem ? `${sam}@${ctx.onPremDomain}` : null,
      otherMails: guest && mail ? [mail] : [],
      // write-only password: Graph returns null here (docs/graph-facts.md §2 "Never readable")
      passwordProfile: null,
      passwordPolicies: spec.kind === 'emergency' || spec.kind === 'sync' || onPrem ? 'DisablePasswordExpiration' : 'None',
      postalCode: employee ? spec.site.postalCode : null,
      preferredDataLocation: null,
      preferredLanguage: employee ? spec.site.language : null,
      provisionedPlans: [],
      proxyAddresses: mail && !guest ? [`SMTP:${mail}`, `smtp:${local}@${ctx.initialDomain}`] : [],
      securityIdentifier: cloudSid(id),
      serviceProvisioningErrors: [],
      showInAddressList: null,
      signInActivity: {
        lastSignInDateTime: lastSignIn,
        lastSignInRequestId: lastSignIn ? rng.guid() : null,
        lastNonInteractiveSignInDateTime: lastSignIn,
        lastNonInteractiveSignInRequestId: lastSignIn ? rng.guid() : null,
        lastSuccessfulSignInDateTime: lastSignIn,
        lastSuccessfulSignInRequestId: lastSignIn ? rng.guid() : null,
      },
      signInSessionsValidFromDateTime: created,
      state: employee ? spec.site.state : null,
      streetAddress: employee ? spec.site.street : null,
      surname: spec.kind === 'emergency' || spec.kind === 'sync' ? null : spec.surname,
      usageLocation: guest ? null : spec.site.countryCode,
      userPrincipalName: upn,
      userType: guest ? 'Guest' : 'Member',
    };
  }

  /** An emergency-access account: cloud-only, on the initial domain, never synced. */
  emergency(n: number): SeededUser {
    return this.make({
      kind: 'emergency', given: '', surname: '', department: DEPARTMENTS[5]!, site: SITES[0]!, hybrid: false, enabled: true,
      upnLocal: `emergency-access-0${n}`, displayName: `Emergency Access 0${n}`, jobTitle: null,
    });
  }
}

/** All users of a seeded tenant, in a fixed order: emergency access, admins, sync account, employees, guests. */
export function seedUsers(ctx: SeedContext, total: number): void {
  const rng = new Rng(ctx.seed, 'users');
  const f = new UserFactory(ctx, rng);
  const it = DEPARTMENTS.find((d) => d.name === 'IT')!;
  ctx.emergencyAccess = [f.emergency(1), f.emergency(2)];

  const adminCount = Math.min(30, 4 + Math.floor(total / 500));
  for (let i = 0; i < adminCount; i++) {
    const p = f.person();
    ctx.admins.push(f.make({
      kind: 'admin', ...p, department: it, site: rng.pick(SITES), hybrid: false, enabled: true,
      upnLocal: `adm.${asciiSlug(p.given)}.${asciiSlug(p.surname)}`, displayName: `${p.given} ${p.surname} (Admin)`,
      jobTitle: 'Administrator account',
    }));
  }
  f.make({
    kind: 'sync', given: '', surname: '', department: it, site: SITES[0]!, hybrid: false, enabled: true,
    upnLocal: `Sync_DC01_${rng.int(100000, 999999).toString(16)}`, displayName: 'On-Premises Directory Synchronization Service Account',
    jobTitle: null,
  });

  const fixed = ctx.emergencyAccess.length + adminCount + 1;
  const rest = Math.max(0, total - fixed);
  const guests = Math.floor(rest * 0.06);
  const members = rest - guests;
  const users: SeededUser[] = [];
  for (let i = 0; i < members; i++) {
    const p = f.person();
    users.push(f.make({
      kind: 'member', ...p, department: rng.pick(DEPARTMENTS), site: rng.pick(SITES),
      hybrid: rng.chance(0.3), enabled: i === 0 || !rng.chance(0.03),
    }));
  }
  for (let i = 0; i < guests; i++) {
    const p = f.person();
    users.push(f.make({ kind: 'guest', ...p, department: rng.pick(DEPARTMENTS), site: rng.pick(SITES), hybrid: false, enabled: true }));
  }
  ctx.users = users;
  seedManagers(ctx, rng);
  seedDeletedUsers(ctx, f, rng, Math.max(1, Math.floor(total / 200)));
}

/** Manager chains: a CEO, one head per department reporting to it, trees below (manager always created earlier). */
function seedManagers(ctx: SeedContext, rng: Rng): void {
  const members = ctx.users.filter((u) => !u.guest);
  const ceo = members[0];
  if (!ceo) return;
  ceo.obj.jobTitle = 'Chief Executive Officer';
  const byDept = new Map<string, SeededUser[]>();
  for (const u of members.slice(1)) {
    let list = byDept.get(u.department.name);
    if (!list) byDept.set(u.department.name, (list = []));
    list.push(u);
  }
  for (const list of byDept.values()) {
    list.forEach((u, j) => {
      if (j === 0) {
        u.obj.jobTitle = `Head of ${u.department.name}`;
        ctx.rel('userManager', u.id, ceo.id, 'user');
        return;
      }
      // bounded fan-out keeps chains a few levels deep, like a real org chart
      const span = Math.max(1, Math.floor(j / 4));
      const mgr = list[Math.floor(rng.next() * Math.min(j, span))]!;
      ctx.rel('userManager', u.id, mgr.id, 'user');
    });
  }
  // admin accounts report to the IT head, as their owners' primary accounts do
  const itHead = byDept.get('IT')?.[0];
  if (itHead) for (const a of ctx.admins) ctx.rel('userManager', a.id, itHead.id, 'user');
}

/** Users already in the recycle bin (docs/graph-facts.md §4): full objects with deletedDateTime. */
function seedDeletedUsers(ctx: SeedContext, f: UserFactory, rng: Rng, n: number): void {
  // build through the factory (unique UPN, same shape), then move out of the live list
  for (let i = 0; i < n; i++) {
    const p = f.person();
    const u = f.make({ kind: 'member', ...p, department: rng.pick(DEPARTMENTS), site: rng.pick(SITES), hybrid: false, enabled: true });
    const live = ctx.objects.get('user')!;
    live.pop();
    const deletedAt = pastDate(rng, SEED_NOW_MS - 20 * 86400000);
    // Graph prefixes a deleted user's UPN with its id (without dashes)
    u.obj.userPrincipalName = `${u.id.replace(/-/g, '')}${u.upn}`;
    u.obj.deletedDateTime = deletedAt;
    ctx.addDeleted('user', u.obj);
  }
}
