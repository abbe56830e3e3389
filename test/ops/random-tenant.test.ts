/**
 * Tenants no seed made: fast-check draws a tenant, which is written into an empty emulator tenant
 * through plain Graph calls (users with random sets of their writable properties, managers, security,
 * Microsoft 365 and role-assignable groups with nested members and owners, an administrative unit,
 * applications with app roles and their service principals, app role assignments to users and
 * groups, Conditional Access policies naming them). Each tenant is backed up, restored into another
 * empty tenant (tenant loss) and read back through Graph by natural key (./readback.ts), with no use
 * of the tool's id map, report or verify. Everything must come back, or be named by a manual step or
 * by the report with a reason that says why; no operation may fail; the report's headline must
 * follow its deviations. A second property damages such a tenant in place (users, groups and apps
 * deleted, some purged from the recycle bin, a principal alone, a unit, a CA policy; then attributes
 * changed) and restores the objects, then the attributes, in place (`comparePartial`). It found a
 * service principal restored from the bin as an orphan of its purged application's old appId
 * (src/restore/diff.ts `binCopyUsable`). Request shapes: https://learn.microsoft.com/graph/api/user-post-users,
 * https://learn.microsoft.com/graph/api/group-post-groups, https://learn.microsoft.com/graph/api/group-post-members,
 * https://learn.microsoft.com/graph/api/user-post-manager, https://learn.microsoft.com/graph/api/application-post-applications,
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto,
 * https://learn.microsoft.com/graph/api/administrativeunit-post-members,
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { restoreComplete, runRestore } from '../../src/ops/restore.js';
import { client, token, type Client } from '../emulator/helpers.js';
import { backupOf, readBackOf, writerOf } from './emulator-fixture.js';
import { comparePartial, compareReadBack, reportedIds } from './readback.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { RestoreSelection, ScenarioName } from '../../src/restore/types.js';

const word = fc.constantFrom('Ada', 'Bea', 'Cem', 'Dov', 'Eli', 'Fay', 'Gus', 'Hal', 'Ina', 'Jo');
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** A user's writable properties, each present or not (https://learn.microsoft.com/graph/api/resources/user). */
const userProps = fc.record({
  givenName: maybe(word), surname: maybe(word),
  jobTitle: maybe(fc.constantFrom('Engineer', 'Nurse', 'Pilot', 'Clerk')),
  department: maybe(fc.constantFrom('Finance', 'Sales', 'R&D')),
  companyName: maybe(fc.constantFrom('Contoso', 'Fabrikam')),
  officeLocation: maybe(fc.constantFrom('B1 2.04', 'HQ')),
  city: maybe(fc.constantFrom('Vienna', 'Lyon', 'Oslo')),
  country: maybe(fc.constantFrom('Austria', 'France', 'Norway')),
  usageLocation: maybe(fc.constantFrom('AT', 'FR', 'NO')),
  preferredLanguage: maybe(fc.constantFrom('de-AT', 'fr-FR', 'nb-NO')),
  mobilePhone: maybe(fc.constantFrom('+43 1 555 0100', '+33 1 555 0101')),
  businessPhones: maybe(fc.constantFrom(['+43 1 555 0200'], [])),
  employeeId: maybe(fc.constantFrom('E1', 'E2', 'E3')),
  employeeType: maybe(fc.constantFrom('Employee', 'Contractor')),
  employeeHireDate: maybe(fc.constantFrom('2024-03-01T00:00:00Z', '2025-11-15T00:00:00Z')),
  employeeOrgData: maybe(fc.record({ division: fc.constantFrom('North', 'South'), costCenter: fc.constantFrom('CC-1', 'CC-2') })),
  otherMails: maybe(fc.constantFrom(['x@example.org'], [])),
  passwordPolicies: maybe(fc.constantFrom('None', 'DisablePasswordExpiration')),
  onPremisesExtensionAttributes: maybe(fc.record({ extensionAttribute1: fc.constantFrom('A', 'B'), extensionAttribute15: maybe(fc.constantFrom('Z')) })),
  accountEnabled: fc.boolean(),
}, { requiredKeys: ['accountEnabled'] });

const tenantArb = fc.record({
  users: fc.array(userProps, { minLength: 2, maxLength: 6 }),
  managers: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  groups: fc.array(fc.record({ kind: fc.constantFrom('security', 'unified', 'roleAssignable'), description: maybe(fc.constantFrom('For tests', 'Old')), members: fc.array(fc.nat(), { maxLength: 4 }), owners: fc.array(fc.nat(), { maxLength: 2 }), nested: fc.array(fc.nat(), { maxLength: 2 }) }), { maxLength: 4 }),
  au: fc.array(fc.nat(), { maxLength: 3 }),
  apps: fc.array(fc.record({
    roles: fc.integer({ min: 0, max: 2 }), assignUsers: fc.array(fc.nat(), { maxLength: 2 }), assignGroups: fc.array(fc.nat(), { maxLength: 1 }),
    identifierUri: fc.boolean(), owners: fc.array(fc.nat(), { maxLength: 2 }), grant: fc.boolean(),
    // a directory extension attribute the app defines, and its value on some users
    extension: maybe(fc.record({ values: fc.array(fc.tuple(fc.nat(), fc.constantFrom('blue', 'green')), { maxLength: 3 }) })),
  }), { maxLength: 2 }),
  dynamic: fc.boolean(),
  hiddenTeam: fc.boolean(),
  location: fc.constantFrom('none', 'ip', 'country'),
  ca: fc.array(fc.record({
    state: fc.constantFrom('enabled', 'disabled', 'enabledForReportingButNotEnforced'), includeGroups: fc.array(fc.nat(), { maxLength: 2 }), excludeUsers: fc.array(fc.nat(), { maxLength: 2 }),
    excludeGroups: fc.array(fc.nat(), { maxLength: 1 }), includeRoles: fc.boolean(), withLocation: fc.boolean(),
  }), { maxLength: 2 }),
});
type TenantSpec = typeof tenantArb extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Writes the drawn tenant through Graph; refusals fail the test (the drawing only makes documented requests). */
async function write(w: Client, base: string, domain: string, t: TenantSpec, n: number): Promise<number> {
  let writes = 0;
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await w(method, path, body);
    expect(r.status, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(r.json)}`).toBeLessThan(300);
    writes++;
    return r.json as { id: string; appId?: string };
  };
  // a new tenant has security defaults on, and Graph enables no CA policy while they are
  // (https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-update)
  if (t.ca.length) await ok('PATCH', '/policies/identitySecurityDefaultsEnforcementPolicy', { isEnabled: false });
  const users: string[] = [];
  for (const [i, u] of t.users.entries()) {
    const nick = `r${n}u${i}`;
    const props = Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined));
    users.push((await ok('POST', '/users', { ...props, displayName: `${u.givenName ?? 'User'} ${i}`, mailNickname: nick, userPrincipalName: `${nick}@${domain}`, passwordProfile: { password: `Rt!${n}x${i}abcdefgh9`, forceChangePasswordNextSignIn: true } })).id);
  }
  for (const [a, b] of t.managers) {
    const [u, m] = [pick(users, a)!, pick(users, b)!];
    if (u !== m) await ok('PUT', `/users/${u}/manager/$ref`, { '@odata.id': `${base}/users/${m}` });
  }
  const groups: { id: string; kind: string }[] = [];
  for (const [i, g] of t.groups.entries()) {
    const nick = `r${n}g${i}`;
    const body = g.kind === 'unified'
      ? { displayName: `Team ${i}`, mailNickname: nick, mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], visibility: 'Private' }
      : { displayName: `Group ${i}`, mailNickname: nick, mailEnabled: false, securityEnabled: true, groupTypes: [], ...(g.kind === 'roleAssignable' ? { isAssignableToRole: true } : {}) };
    const id = (await ok('POST', '/groups', { ...body, ...(g.description ? { description: g.description } : {}) })).id;
    groups.push({ id, kind: g.kind });
    for (const m of new Set(g.members.map((x) => pick(users, x)!))) await ok('POST', `/groups/${id}/members/$ref`, { '@odata.id': `${base}/directoryObjects/${m}` });
    for (const o of new Set(g.owners.map((x) => pick(users, x)!))) await ok('POST', `/groups/${id}/owners/$ref`, { '@odata.id': `${base}/directoryObjects/${o}` });
  }
  // a group's members may be groups made before it, but not in a role-assignable group (Graph refuses nesting there)
  for (const [i, g] of t.groups.entries()) {
    const me = groups[i]!;
    if (me.kind !== 'security') continue;
    for (const x of new Set(g.nested.map((k) => pick(groups.slice(0, i), k)).filter((o) => o !== undefined && o.kind === 'security'))) {
      await ok('POST', `/groups/${me.id}/members/$ref`, { '@odata.id': `${base}/directoryObjects/${x!.id}` });
    }
  }
  if (t.dynamic) await ok('POST', '/groups', { displayName: `Dynamic ${n}`, mailNickname: `r${n}dyn`, mailEnabled: false, securityEnabled: true, groupTypes: ['DynamicMembership'], membershipRule: '(user.department -eq "Sales")', membershipRuleProcessingState: 'On' });
  if (t.hiddenTeam) await ok('POST', '/groups', { displayName: `Hidden ${n}`, mailNickname: `r${n}hid`, mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], visibility: 'HiddenMembership' });
  if (t.au.length) {
    const au = (await ok('POST', '/directory/administrativeUnits', { displayName: `Region ${n}`, description: 'drawn' })).id;
    for (const m of new Set(t.au.map((x) => pick(users, x)!))) await ok('POST', `/directory/administrativeUnits/${au}/members/$ref`, { '@odata.id': `${base}/directoryObjects/${m}` });
  }
  for (const [i, a] of t.apps.entries()) {
    const roles = Array.from({ length: a.roles }, (_, k) => ({ allowedMemberTypes: ['User'], id: uuid(n * 100 + i * 10 + k), value: `Role.${k}`, displayName: `Role ${k}`, description: `Role ${k}`, isEnabled: true }));
    const app = await ok('POST', '/applications', { displayName: `App ${n}-${i}`, signInAudience: 'AzureADMyOrg', appRoles: roles, web: { redirectUris: [`https://app${i}.example.org/signin`] } });
    // the identifier URI Entra suggests embeds the appId (https://learn.microsoft.com/graph/api/resources/application)
    if (a.identifierUri) await ok('PATCH', `/applications/${app.id}`, { identifierUris: [`api://${app.appId}`] });
    for (const o of new Set(a.owners.map((x) => pick(users, x)!))) await ok('POST', `/applications/${app.id}/owners/$ref`, { '@odata.id': `${base}/directoryObjects/${o}` });
    const sp = (await ok('POST', '/servicePrincipals', { appId: app.appId })).id;
    if (a.extension) {
      // https://learn.microsoft.com/graph/api/application-post-extensionproperty
      const ext = await w('POST', `/applications/${app.id}/extensionProperties`, { name: 'favouriteColour', dataType: 'String', targetObjects: ['User'] });
      expect(ext.status).toBeLessThan(300);
      const name = String((ext.json as { name: string }).name);
      for (const [u, v] of a.extension.values) await ok('PATCH', `/users/${pick(users, u)!}`, { [name]: v });
    }
    if (a.grant) {
      const graphSp = (await w('GET', `/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'`)).json as { value: { id: string }[] };
      await ok('POST', '/oauth2PermissionGrants', { clientId: sp, consentType: 'AllPrincipals', resourceId: graphSp.value[0]!.id, scope: 'User.Read' });
    }
    if (!roles.length) continue;
    for (const u of new Set(a.assignUsers.map((x) => pick(users, x)!))) await ok('POST', `/servicePrincipals/${sp}/appRoleAssignedTo`, { principalId: u, resourceId: sp, appRoleId: roles[0]!.id });
    for (const g of new Set(a.assignGroups.map((x) => pick(groups, x)?.id).filter((x): x is string => x !== undefined))) await ok('POST', `/servicePrincipals/${sp}/appRoleAssignedTo`, { principalId: g, resourceId: sp, appRoleId: roles[roles.length - 1]!.id });
  }
  // https://learn.microsoft.com/graph/api/conditionalaccessroot-post-namedlocations
  const location = t.location === 'none' ? undefined : (await ok('POST', '/identity/conditionalAccess/namedLocations', t.location === 'ip'
    ? { '@odata.type': '#microsoft.graph.ipNamedLocation', displayName: `Office ${n}`, isTrusted: true, ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }] }
    : { '@odata.type': '#microsoft.graph.countryNamedLocation', displayName: `Countries ${n}`, countriesAndRegions: ['AT', 'FR'], includeUnknownCountriesAndRegions: false })).id;
  for (const [i, c] of t.ca.entries()) {
    const include = [...new Set(c.includeGroups.map((x) => pick(groups, x)?.id).filter((x): x is string => x !== undefined))];
    const exclude = [...new Set(c.excludeUsers.map((x) => pick(users, x)!))];
    const excludeGroups = [...new Set(c.excludeGroups.map((x) => pick(groups, x)?.id).filter((x): x is string => x !== undefined && !include.includes(x)))];
    const who = include.length ? { includeGroups: include } : c.includeRoles ? { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] } : { includeUsers: ['All'] };
    await ok('POST', '/identity/conditionalAccess/policies', {
      displayName: `Drawn policy ${i}`, state: c.state,
      conditions: {
        clientAppTypes: ['all'], applications: { includeApplications: ['All'] },
        users: { ...who, excludeUsers: exclude, ...(excludeGroups.length ? { excludeGroups } : {}) },
        ...(c.withLocation && location ? { locations: { includeLocations: ['All'], excludeLocations: [location] } } : {}),
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
  }
  return writes;
}

describe('tenants fast-check draws, written through Graph', () => {
  it('come back from a tenant-loss restore, read back by natural key, or are named by a manual step or a reason', { timeout: 600_000 }, async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(tenantArb, async (t) => {
      n++;
      const dir = await mkdtemp(join(tmpdir(), 'ev-random-tenant-'));
      const source = emptyTenant({ seed: 1000 + n });
      const target = emptyTenant({ seed: 2000 + n });
      const emu = await startEmulator({ tenants: [source, target] });
      try {
        const w = client(emu, await token(emu, source, 'restoreWriter'));
        expect(await write(w, emu.graphBaseUrl, source.initialDomain, t, n)).toBeGreaterThan(1);
        const { archive, archiveMeta } = await backupOf(emu, source.tenantId, join(dir, 'source'));
        const { graph } = await writerOf(emu, target.tenantId, dir);
        const credentials = new MemoryCredentialsSink();
        const r = await runRestore({
          archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
          journalPath: join(dir, 'j'), credentialsSink: credentials, reporter: silentReporter, enableConditionalAccess: true,
        });
        expect((r.execution?.failures ?? []).map((x) => `${x.opId}: ${x.code} ${x.message}`)).toEqual([]);
        expect((r.fidelity?.deviations ?? []).filter((d) => d.reason.startsWith('no operation in the plan restored it'))).toEqual([]);
        const reported = reportedIds(r.fidelity?.deviations);
        const live = await readBackOf(emu, target.tenantId, join(dir, 'target'));
        // the new tenant's own admin is nobody's counterpart (both empty tenants have one named admin)
        const ownUsers = new Set((target.objects.user ?? []).map((u) => u.id));
        const { findings } = compareReadBack(archive, live, { manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName), reported, ownUsers });
        expect(findings).toEqual([]);
        expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
      } finally {
        await emu.close();
        await rm(dir, { recursive: true, force: true });
      }
    }), { numRuns: Number(process.env.RANDOM_TENANT_RUNS ?? 1), seed: Number(process.env.RANDOM_TENANT_SEED ?? 2312), endOnFailure: true });
  });
});

/** What the attacker does in place: deletions (some purged from the recycle bin) and attribute changes. */
const damageArb = fc.record({
  users: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 3 }),
  groups: fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 2 }),
  app: fc.option(fc.tuple(fc.nat(), fc.boolean()), { nil: undefined }),
  policy: fc.option(fc.nat(), { nil: undefined }),
  /** a service principal deleted while its application stays */
  spOnly: fc.option(fc.nat(), { nil: undefined }),
  unit: fc.boolean(),
  changes: fc.array(fc.tuple(fc.nat(), fc.constantFrom('jobTitle', 'department', 'city')), { minLength: 1, maxLength: 3 }),
  /** a group's description and a CA policy's state, changed by the attacker */
  groupChange: fc.option(fc.nat(), { nil: undefined }),
  policyState: fc.option(fc.tuple(fc.nat(), fc.constantFrom('disabled', 'enabledForReportingButNotEnforced')), { nil: undefined }),
});

/** The drawn tenant's own objects of `type` in the archive (not the empty tenant's admin and built-ins). */
function drawn(archive: TenantData, type: 'user' | 'group' | 'application' | 'servicePrincipal' | 'administrativeUnit' | 'conditionalAccessPolicy', own: ReadonlySet<string>): DirObject[] {
  return (archive.objects[type] ?? []).filter((o) => !own.has(o.id) && (type !== 'user' || String(o.userPrincipalName).startsWith('r')) && (type !== 'group' || String(o.mailNickname).startsWith('r')));
}

describe('tenants fast-check draws, damaged in place', () => {
  it('objects and attributes come back in place as archived, and nothing else moves', { timeout: 600_000 }, async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(tenantArb, damageArb, async (t, dmg) => {
      n++;
      const dir = await mkdtemp(join(tmpdir(), 'ev-random-inplace-'));
      const source = emptyTenant({ seed: 3000 + n });
      const emu = await startEmulator({ tenants: [source] });
      try {
        const w = client(emu, await token(emu, source, 'restoreWriter'));
        await write(w, emu.graphBaseUrl, source.initialDomain, t, n);
        const { archive, archiveMeta } = await backupOf(emu, source.tenantId, join(dir, 'before'));
        const own = new Set(Object.values(source.objects).flatMap((objs) => (objs ?? []).map((o) => o.id)));
        const send = async (method: string, path: string, body?: unknown) => {
          const r = await w(method, path, body);
          expect(r.status, `${method} ${path} → ${JSON.stringify(r.json)}`).toBeLessThan(300);
        };
        // deletions: users, groups, an app to the recycle bin, some purged for good; a CA policy (its own bin)
        const deleted = new Map<string, boolean>();
        const del = (list: DirObject[], picks: [number, boolean][], path: string) => {
          for (const [i, purge] of picks) { const o = pick(list, i); if (o && !deleted.has(o.id)) deleted.set(o.id, purge); }
          return [...deleted.entries()].filter(([id]) => list.some((o) => o.id === id)).map(([id, purge]) => ({ path: `${path}/${id}`, id, purge }));
        };
        const targets = [
          ...del(drawn(archive, 'user', own), dmg.users, '/users'),
          ...del(drawn(archive, 'group', own), dmg.groups, '/groups'),
          ...(dmg.app ? del(drawn(archive, 'application', own), [dmg.app], '/applications') : []),
        ];
        for (const x of targets) await send('DELETE', x.path);
        // a security group's deletion is permanent already (docs/graph-facts.md §4): only what is in the bin is purged
        for (const x of targets) if (x.purge && (await w('GET', `/directory/deletedItems/${x.id}`)).status === 200) await send('DELETE', `/directory/deletedItems/${x.id}`);
        const policy = dmg.policy === undefined ? undefined : pick(drawn(archive, 'conditionalAccessPolicy', own), dmg.policy);
        if (policy) await send('DELETE', `/identity/conditionalAccess/policies/${policy.id}`);
        // a principal alone (its application stays, https://learn.microsoft.com/graph/api/serviceprincipal-delete)
        const appsLeft = drawn(archive, 'application', own).filter((a) => !deleted.has(a.id)).map((a) => a['appId']);
        const sp = dmg.spOnly === undefined ? undefined : pick(drawn(archive, 'servicePrincipal', own).filter((p) => appsLeft.includes(p['appId'])), dmg.spOnly);
        if (sp) await send('DELETE', `/servicePrincipals/${sp.id}`);
        const unit = dmg.unit ? drawn(archive, 'administrativeUnit', own)[0] : undefined;
        if (unit) await send('DELETE', `/directory/administrativeUnits/${unit.id}`);
        const objectIds = [...targets.map((x) => x.id), ...(policy ? [policy.id] : []), ...(sp ? [sp.id] : []), ...(unit ? [unit.id] : [])];
        const inPlace = await restoreInPlace(emu, source.tenantId, dir, 'objects', archive, archiveMeta, { objectIds });
        expect(inPlace.failures).toEqual([]);
        expect(inPlace.findings).toEqual([]);

        // attributes: users that are still there get changed, and come back for the properties selected
        const now = await readBackOf(emu, source.tenantId, join(dir, 'now'));
        const alive = drawn(now, 'user', own).filter((u) => (archive.objects.user ?? []).some((a) => a.id === u.id));
        const changed = new Map<string, Set<string>>();
        for (const [i, prop] of dmg.changes) {
          const u = pick(alive, i);
          if (!u) continue;
          await send('PATCH', `/users/${u.id}`, { [prop]: `Changed ${prop}` });
          changed.set(u.id, (changed.get(u.id) ?? new Set()).add(prop));
        }
        const group = dmg.groupChange === undefined ? undefined : pick(drawn(now, 'group', own).filter((g) => (archive.objects.group ?? []).some((a) => a.id === g.id)), dmg.groupChange);
        if (group) {
          await send('PATCH', `/groups/${group.id}`, { description: 'Changed by the attacker' });
          changed.set(group.id, new Set(['description']));
        }
        const ca = dmg.policyState === undefined ? undefined : pick(drawn(now, 'conditionalAccessPolicy', own).filter((p) => (archive.objects.conditionalAccessPolicy ?? []).some((a) => a.id === p.id && a['state'] !== dmg.policyState![1])), dmg.policyState[0]);
        if (ca) {
          await send('PATCH', `/identity/conditionalAccess/policies/${ca.id}`, { state: dmg.policyState![1] });
          changed.set(ca.id, new Set(['state']));
        }
        if (changed.size === 0) return;
        const attributes = [...new Set([...changed.values()].flatMap((x) => [...x]))];
        const attrs = await restoreInPlace(emu, source.tenantId, dir, 'attributes', archive, archiveMeta, { objectIds: [...changed.keys()], attributes });
        expect(attrs.failures).toEqual([]);
        expect(attrs.findings).toEqual([]);
      } finally {
        await emu.close();
        await rm(dir, { recursive: true, force: true });
      }
    }), { numRuns: Number(process.env.RANDOM_TENANT_RUNS ?? 1), seed: Number(process.env.RANDOM_TENANT_SEED ?? 2313), endOnFailure: true });
  });
});

/** A writing restore in place, then the tenant read back and compared with the archive and with itself just before (`comparePartial`). */
async function restoreInPlace(emu: Awaited<ReturnType<typeof startEmulator>>, tenantId: string, dir: string, scenario: ScenarioName, archive: TenantData, archiveMeta: Parameters<typeof runRestore>[0]['archiveMeta'], selection: RestoreSelection) {
  const tag = `${scenario}-${Math.random().toString(36).slice(2, 8)}`;
  const damaged = await readBackOf(emu, tenantId, join(dir, `${tag}-damaged`));
  const { graph } = await writerOf(emu, tenantId, join(dir, tag));
  const credentials = new MemoryCredentialsSink();
  const r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: tenantId, scenario, selection, dryRun: false, confirmTenantId: tenantId,
    journalPath: join(dir, tag, 'j'), credentialsSink: credentials, reporter: silentReporter, enableConditionalAccess: true,
  });
  const live = await readBackOf(emu, tenantId, join(dir, `${tag}-after`));
  const reported = reportedIds(r.fidelity?.deviations);
  const chosen = [...(selection.objectIds ?? []), ...(r.plan.included ?? []).map((i) => i.archivedId)];
  const { findings } = comparePartial(archive, damaged, live, { manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName), reported }, { objectIds: chosen, ...(selection.attributes ? { attributes: selection.attributes } : {}) });
  return { r, findings, failures: (r.execution?.failures ?? []).map((x) => `${x.opId}: ${x.code} ${x.message}`) };
}
