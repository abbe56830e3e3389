/**
 * The forensics diff between two archives (issue 18 item 3): src/restore/archive-diff.ts (the
 * comparison), src/restore/risk.ts (the grouping) and src/restore/render-archive-diff.ts (text,
 * Markdown, report), as unit tests and fast-check properties: diff(A, A) is empty, and what
 * was added to, removed from or changed in B is listed as created, deleted or changed — no
 * more, no less.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ResourceType } from '../../src/catalog/types.js';
import type { DirObject, Relation, TenantData } from '../../src/model.js';
import { compareArchives, compareCredentials, redact, REDACTED, type Change } from '../../src/restore/archive-diff.js';
import { groupByRisk, riskOf } from '../../src/restore/risk.js';
import { archiveDiffReport, renderArchiveDiffMarkdown, renderArchiveDiffText, type ArchiveSide } from '../../src/restore/render-archive-diff.js';
import { GA, sampleArchive } from './planner-fixtures.js';

const clone = (t: TenantData): TenantData => JSON.parse(JSON.stringify(t)) as TenantData;
const side = (takenAt: string): ArchiveSide => ({ tenantId: 'tenant-a', takenAt, manifestSha256: 'ab'.repeat(32), file: `${takenAt}.evault` });
const objectChanges = (cs: Change[]) => cs.filter((c) => c.subject === 'object');

describe('compareArchives', () => {
  test('an archive against itself has no changes', () => {
    const a = sampleArchive();
    expect(compareArchives(a, clone(a)).changes).toEqual([]);
  });

  test('a new secret is a credential change by keyId, with metadata only', () => {
    const a = sampleArchive();
    const b = clone(a);
    const app = b.objects.application![0]!;
    (app['passwordCredentials'] as object[]).push({ keyId: 'k2', displayName: 'evil', hint: 'xyz', secretText: 'TOP-SECRET-VALUE', endDateTime: '2030-01-01T00:00:00Z' });
    const [c] = compareArchives(a, b).changes;
    expect(c).toMatchObject({ subject: 'object', change: 'changed', type: 'application', idA: 'app-1', properties: [] });
    expect(c!.subject === 'object' && c!.credentials).toEqual([
      { property: 'passwordCredentials', change: 'added', credential: { keyId: 'k2', displayName: 'evil', hint: 'xyz', endDateTime: '2030-01-01T00:00:00Z' } },
    ]);
    expect(JSON.stringify(c)).not.toContain('TOP-SECRET-VALUE');
  });

  test('credentials: added, removed and changed; secretText and key never copied', () => {
    const a: DirObject = { id: 'x', keyCredentials: [{ keyId: 'c1', key: 'MIIBASE64CERT', usage: 'Verify', type: 'AsymmetricX509Cert', endDateTime: '2027' }], passwordCredentials: [{ keyId: 'p1', hint: 'abc' }] };
    const b: DirObject = { id: 'x', keyCredentials: [{ keyId: 'c1', key: 'MIIBASE64CERT', usage: 'Verify', type: 'AsymmetricX509Cert', endDateTime: '2035' }], passwordCredentials: [{ keyId: 'p2', hint: 'def', secretText: 's3cr3t' }] };
    const changes = compareCredentials(a, b);
    expect(changes.map((c) => `${c.property}:${c.change}:${c.credential.keyId}`)).toEqual(['passwordCredentials:removed:p1', 'passwordCredentials:added:p2', 'keyCredentials:changed:c1']);
    expect(changes[2]!.before).toMatchObject({ endDateTime: '2027' });
    expect(JSON.stringify(changes)).not.toMatch(/MIIBASE64CERT|s3cr3t/);
  });

  test('redact replaces secretText and password members, nothing else', () => {
    expect(redact({ passwordProfile: { password: 'p', forceChange: true }, list: [{ secretText: 's' }, { secretText: null }], name: 'password' }))
      .toEqual({ passwordProfile: { password: REDACTED, forceChange: true }, list: [{ secretText: REDACTED }, { secretText: null }], name: 'password' });
  });

  test('a policy deleted and recreated under its name is one change, matched by natural key', () => {
    const a = sampleArchive();
    const b = clone(a);
    const ca = b.objects.conditionalAccessPolicy![0]!;
    ca.id = 'ca-new';
    ca['state'] = 'disabled';
    const cs = compareArchives(a, b).changes;
    expect(cs).toEqual([expect.objectContaining({ change: 'changed', type: 'conditionalAccessPolicy', idA: 'ca-1', idB: 'ca-new', matchedBy: 'naturalKey', properties: [{ property: 'state', before: 'enabled', after: 'disabled' }] })]);
  });

  test('read-only properties are compared too (a restore diff would skip them)', () => {
    const a = sampleArchive();
    const b = clone(a);
    b.objects.user![1]!['lastPasswordChangeDateTime'] = '2026-12-04T09:00:00Z';
    expect(compareArchives(a, b).changes).toEqual([expect.objectContaining({ type: 'user', idA: 'u-bob', properties: [{ property: 'lastPasswordChangeDateTime', before: null, after: '2026-12-04T09:00:00Z' }] })]);
  });
});

describe('risk grouping', () => {
  test('roles, CA, app credentials, federation and authentication methods come before everything else', () => {
    const a = sampleArchive();
    a.objects.domain = [{ id: 'contoso.com', authenticationType: 'Managed', isVerified: true }];
    a.objects.group!.push({ id: 'g-admins', displayName: 'Tier0', mailNickname: 't0', isAssignableToRole: true, securityEnabled: true, mailEnabled: false });
    a.objects.authenticationMethodsPolicy = [{ id: 'authenticationMethodsPolicy', registrationEnforcement: { x: 1 } }];
    const b = clone(a);
    b.objects.user!.push({ id: 'u-new', userPrincipalName: 'new@contoso.com', displayName: 'New' });
    b.objects.roleAssignment!.push({ id: 'ra-new', principalId: 'u-new', roleDefinitionId: GA, directoryScopeId: '/' });
    b.objects.conditionalAccessPolicy![0]!['state'] = 'disabled';
    (b.objects.application![0]!['passwordCredentials'] as object[]).push({ keyId: 'k9' });
    b.objects.domain![0]!['authenticationType'] = 'Federated';
    b.objects.authenticationMethodsPolicy![0]!['registrationEnforcement'] = { x: 2 };
    b.relations.groupMembers!.push({ kind: 'groupMembers', from: 'g-admins', to: 'u-new', toType: 'user' });
    b.relations.groupMembers!.push({ kind: 'groupMembers', from: 'g-sales', to: 'u-new', toType: 'user' });
    const r = compareArchives(a, b);
    const groups = groupByRisk(r);
    const flat = groups.flatMap((g) => g.changes.map((c) => `${g.risk}:${c.subject === 'object' ? c.type : c.kind}:${c.change}`));
    expect(flat).toEqual([
      'roles:roleAssignment:created', 'roles:groupMembers:created',
      'conditionalAccess:conditionalAccessPolicy:changed',
      'appCredentials:application:changed',
      'federation:domain:changed',
      'authenticationMethods:authenticationMethodsPolicy:changed',
      'other:user:created', 'other:groupMembers:created',
    ]);
  });

  test('a relaxed PIM activation rule is a roles finding named after its role', () => {
    const a = sampleArchive();
    a.objects.roleDefinition = [{ id: GA, templateId: GA, displayName: 'Global Administrator', isBuiltIn: true }];
    a.objects.roleManagementPolicy = [{ id: 'pol-ga', displayName: 'DirectoryRole', rules: [{ id: 'Enablement_EndUser_Assignment', enabledRules: ['MultiFactorAuthentication'] }] }];
    a.objects.roleManagementPolicyAssignment = [{ id: 'asg-ga', policyId: 'pol-ga', roleDefinitionId: GA, scopeId: '/', scopeType: 'DirectoryRole' }];
    const b = clone(a);
    b.objects.roleManagementPolicy![0]!['rules'] = [{ id: 'Enablement_EndUser_Assignment', enabledRules: [] }];
    const r = compareArchives(a, b);
    const [g] = groupByRisk(r);
    expect(g!.changes).toEqual([expect.objectContaining({ type: 'roleManagementPolicy', change: 'changed', label: 'PIM settings of Global Administrator' })]);
  });

  test('a domain federation configuration or an identity provider is a federation finding; an authentication context a CA one', () => {
    const a = sampleArchive();
    a.objects.domainFederation = [{ id: 'fed-1', parentId: 'contoso.com', issuerUri: 'https://sts.contoso.com/adfs/services/trust', signingCertificate: 'MIIC1' }];
    a.objects.identityProvider = [{ id: 'Google-OAUTH', displayName: 'Google', clientId: 'c1' }];
    a.objects.authenticationContextClassReference = [{ id: 'c1', displayName: 'Step-up', isAvailable: true }];
    const b = clone(a);
    b.objects.domainFederation![0]!['signingCertificate'] = 'MIIC2';
    b.objects.identityProvider![0]!['clientId'] = 'attacker';
    b.objects.authenticationContextClassReference![0]!['isAvailable'] = false;
    const r = compareArchives(a, b);
    expect(Object.fromEntries(r.changes.map((c) => [c.subject === 'object' ? c.type : c.kind, riskOf(c, r)]))).toEqual({
      domainFederation: 'federation', identityProvider: 'federation', authenticationContextClassReference: 'conditionalAccess',
    });
  });

  test('entitlement management: catalogs, assignment policies, connected organizations and their sponsors', () => {
    const a = sampleArchive();
    a.objects.accessPackageCatalog = [{ id: 'cat-1', displayName: 'General', isExternallyVisible: false }];
    a.objects.accessPackageAssignmentPolicy = [{ id: 'pol-1', displayName: 'Approval needed', requestApprovalSettings: { isApprovalRequiredForAdd: true } }];
    a.objects.connectedOrganization = [{ id: 'org-1', displayName: 'Fabrikam', state: 'configured' }];
    const b = clone(a);
    b.objects.accessPackageCatalog![0]!['isExternallyVisible'] = true;
    b.objects.accessPackageAssignmentPolicy![0]!['requestApprovalSettings'] = { isApprovalRequiredForAdd: false };
    b.objects.connectedOrganization!.push({ id: 'org-2', displayName: 'Attacker Ltd', state: 'configured' });
    b.relations.connectedOrganizationExternalSponsors = [{ kind: 'connectedOrganizationExternalSponsors', from: 'org-1', to: 'u-alice', toType: 'user' }];
    const r = compareArchives(a, b);
    expect(r.changes.map((c) => `${c.subject === 'object' ? c.type : c.kind}:${riskOf(c, r)}`).sort()).toEqual([
      'accessPackageAssignmentPolicy:entitlementManagement', 'accessPackageCatalog:entitlementManagement',
      'connectedOrganization:entitlementManagement', 'connectedOrganizationExternalSponsors:entitlementManagement',
    ]);
    // after the five attack groups and consent, before everything else
    expect(groupByRisk(r).map((g) => g.risk)).toEqual(['roles', 'conditionalAccess', 'appCredentials', 'federation', 'authenticationMethods', 'consent', 'entitlementManagement', 'other']);
  });

  test('consent governance: permission grant policies, who may consent (permissionGrantPoliciesAssigned) and the admin consent workflow', () => {
    const a = sampleArchive();
    a.objects.permissionGrantPolicy = [{ id: 'low-risk', displayName: 'Low risk' }];
    a.objects.permissionGrantPolicyInclude = [{ id: 'inc-1', permissionType: 'delegated', permissions: ['User.Read'] }];
    a.objects.authorizationPolicy = [{ id: 'authorizationPolicy', defaultUserRolePermissions: { allowedToCreateApps: false, permissionGrantPoliciesAssigned: [] } }];
    a.objects.adminConsentRequestPolicy = [{ id: 'policy', isEnabled: true, reviewers: [] }];
    const b = clone(a);
    b.objects.permissionGrantPolicyInclude![0]!['permissions'] = ['all'];
    b.objects.authorizationPolicy![0]!['defaultUserRolePermissions'] = { allowedToCreateApps: false, permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] };
    b.objects.adminConsentRequestPolicy![0]!['isEnabled'] = false;
    const r = compareArchives(a, b);
    expect(Object.fromEntries(r.changes.map((c) => [c.subject === 'object' ? c.type : c.kind, riskOf(c, r)]))).toEqual({
      permissionGrantPolicyInclude: 'consent', authorizationPolicy: 'consent', adminConsentRequestPolicy: 'consent',
    });
    const consent = groupByRisk(r).find((g) => g.risk === 'consent')!;
    expect(consent.changes.flatMap((c) => c.warnings ?? [])).toEqual(['user consent allowed: ManagePermissionGrantsForSelf.microsoft-user-default-legacy', 'admin consent requests turned off']);
    // another authorization policy setting is not a consent finding
    const c = clone(a);
    c.objects.authorizationPolicy![0]!['defaultUserRolePermissions'] = { allowedToCreateApps: true, permissionGrantPoliciesAssigned: [] };
    const r2 = compareArchives(a, c);
    expect(r2.changes.map((x) => riskOf(x, r2))).toEqual(['other']);
  });

  test('PIM role settings: approval or MFA turned off is warned about and listed first in its group', () => {
    const a = sampleArchive();
    a.objects.roleDefinition = [{ id: GA, templateId: GA, displayName: 'Global Administrator', isBuiltIn: true }];
    a.objects.roleManagementPolicy = [{ id: 'pol-ga', displayName: 'DirectoryRole', rules: [
      { id: 'Approval_EndUser_Assignment', setting: { isApprovalRequired: true } },
      { id: 'Enablement_EndUser_Assignment', enabledRules: ['MultiFactorAuthentication', 'Justification'] },
      { id: 'Expiration_EndUser_Assignment', maximumDuration: 'PT8H' },
    ] }];
    a.objects.roleManagementPolicyAssignment = [{ id: 'asg-ga', policyId: 'pol-ga', roleDefinitionId: GA, scopeId: '/', scopeType: 'DirectoryRole' }];
    const b = clone(a);
    b.objects.roleAssignment!.push({ id: 'ra-new', principalId: 'u-alice', roleDefinitionId: GA, directoryScopeId: '/' });
    b.objects.roleManagementPolicy![0]!['rules'] = [
      { id: 'Approval_EndUser_Assignment', setting: { isApprovalRequired: false } },
      { id: 'Enablement_EndUser_Assignment', enabledRules: ['Justification'] },
      { id: 'Expiration_EndUser_Assignment', maximumDuration: 'PT8H' },
    ];
    const r = compareArchives(a, b);
    const [roles] = groupByRisk(r);
    expect(roles!.changes.map((c) => [c.subject === 'object' ? c.type : c.kind, c.warnings ?? []])).toEqual([
      ['roleManagementPolicy', ['PIM approval turned off (Approval_EndUser_Assignment)', 'PIM MFA requirement turned off (Enablement_EndUser_Assignment)']],
      ['roleAssignment', []],
    ]);
    const text = renderArchiveDiffText(archiveDiffReport(side('2026-12-03T00:00:00Z'), side('2026-12-04T00:00:00Z'), r), { width: 120 });
    expect(text).toContain('      ! PIM approval turned off (Approval_EndUser_Assignment)');
    // a stricter rule is no warning
    const r2 = compareArchives(b, a);
    expect(groupByRisk(r2)[0]!.changes.flatMap((c) => c.warnings ?? [])).toEqual([]);
  });

  test('an application change without credentials, or a domain change of another property, is not risky', () => {
    const a = sampleArchive();
    a.objects.domain = [{ id: 'contoso.com', authenticationType: 'Managed', isDefault: false }];
    const b = clone(a);
    b.objects.application![0]!['displayName'] = 'Payroll 2';
    b.objects.domain![0]!['isDefault'] = true;
    const r = compareArchives(a, b);
    expect(r.changes.map((c) => riskOf(c, r))).toEqual(['other', 'other']);
  });
});

describe('rendering', () => {
  const attacked = () => {
    const a = sampleArchive();
    const b = clone(a);
    b.objects.user!.push({ id: 'u-evil', userPrincipalName: 'evil@contoso.com', displayName: 'Evil\u001b[2J\u202eName', passwordProfile: { password: 'Init-Pass-1' } });
    b.objects.roleAssignment!.push({ id: 'ra-evil', principalId: 'u-evil', roleDefinitionId: GA, directoryScopeId: '/' });
    (b.objects.application![0]!['passwordCredentials'] as object[]).push({ keyId: 'k-evil', hint: 'Zq1', secretText: 'Zq1-full-secret' });
    return archiveDiffReport(side('2026-12-03T00:00:00Z'), side('2026-12-04T00:00:00Z'), compareArchives(a, b));
  };

  test('text: header, riskiest group first, every line within the width, no secret, no control character', () => {
    const r = attacked();
    const text = renderArchiveDiffText(r, { width: 60 });
    const lines = text.trimEnd().split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(text).not.toMatch(/Zq1-full-secret|Init-Pass-1|\u001b|\u202e/);
    // a created user of "everything else" is one line; its properties (redacted) are in the JSON report
    const json = JSON.stringify(r);
    expect(json).toContain('"password":"[redacted]"');
    expect(json).not.toMatch(/Zq1-full-secret|Init-Pass-1/);
    expect(lines.find((l) => /^ {2}[+~-] /.test(l))).toMatch(/^ {2}\+ created roleAssignment/);
    expect(r).toMatchObject({ identical: false, reversed: false, counts: { created: 2, deleted: 0, changed: 1 } });
  });

  test('Markdown: sections by risk, list items escaped, no secret', () => {
    const md = renderArchiveDiffMarkdown(attacked());
    expect(md).not.toMatch(/Zq1-full-secret|Init-Pass-1|\u001b|\u202e/);
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## Directory roles and PIM (1)', '## Application and service principal credentials (1)', '## Everything else (1)']);
    expect(md.split('\n').find((l) => l.startsWith('- '))).toMatch(/^- \*\*created\*\* roleAssignment/);
  });

  test('identical archives say so; A newer than B is flagged', () => {
    const a = sampleArchive();
    const r = archiveDiffReport(side('2026-12-04T00:00:00Z'), side('2026-12-03T00:00:00Z'), compareArchives(a, clone(a)));
    expect(r).toMatchObject({ identical: true, reversed: true, counts: { created: 0, deleted: 0, changed: 0 } });
    expect(r.groups.every((g) => g.changes.length === 0)).toBe(true);
    expect(renderArchiveDiffText(r)).toMatch(/A and B are identical\nnote: A was taken after B/);
  });
});

// ---- properties over generated tenants ----

const arbTenant = fc.record({
  users: fc.array(fc.record({ title: fc.constantFrom('a', 'b', null), enabled: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  groups: fc.array(fc.record({ roleAssignable: fc.boolean(), members: fc.array(fc.nat(20), { maxLength: 4 }) }), { maxLength: 4 }),
  apps: fc.array(fc.array(fc.nat(1000), { maxLength: 3 }), { maxLength: 3 }),
  roles: fc.array(fc.nat(20), { maxLength: 3 }),
  cas: fc.array(fc.constantFrom('enabled', 'disabled'), { maxLength: 3 }),
});
type Spec = typeof arbTenant extends fc.Arbitrary<infer T> ? T : never;

function build(s: Spec, prefix: string): TenantData {
  const users = s.users.map((u, i) => ({ id: `${prefix}u${i}`, userPrincipalName: `${prefix}u${i}@contoso.com`, displayName: `${prefix}User ${i}`, jobTitle: u.title, accountEnabled: u.enabled }));
  const groups = s.groups.map((g, i) => ({ id: `${prefix}g${i}`, displayName: `${prefix}Group ${i}`, mailNickname: `${prefix}g${i}`, isAssignableToRole: g.roleAssignable, securityEnabled: true, mailEnabled: false }));
  const apps = s.apps.map((keys, i) => ({ id: `${prefix}a${i}`, appId: `${prefix}appid-${i}`, displayName: `${prefix}App ${i}`, passwordCredentials: [...new Set(keys)].map((k) => ({ keyId: `${prefix}k${k}`, hint: 'abc' })) }));
  const roleAssignment = users.length ? s.roles.map((n, i) => ({ id: `${prefix}r${i}`, principalId: users[n % users.length]!.id, roleDefinitionId: GA, directoryScopeId: `/${prefix}${i}` })) : [];
  const conditionalAccessPolicy = s.cas.map((state, i) => ({ id: `${prefix}c${i}`, displayName: `${prefix}CA ${i}`, state, conditions: {} }));
  const edges = new Map<string, Relation>();
  s.groups.forEach((g, i) => g.members.forEach((m) => {
    const to = users[m % users.length]!.id;
    edges.set(`${i}-${to}`, { kind: 'groupMembers', from: `${prefix}g${i}`, to, toType: 'user' });
  }));
  return {
    tenantId: 't', initialDomain: 't.onmicrosoft.com',
    objects: { user: users, group: groups, application: apps, roleAssignment, conditionalAccessPolicy },
    relations: { groupMembers: [...edges.values()].sort((x, y) => (x.from + x.to < y.from + y.to ? -1 : 1)) },
  };
}

const TYPES: ResourceType[] = ['user', 'group', 'application', 'roleAssignment', 'conditionalAccessPolicy'];

/** B: A minus the dropped objects (and their edges), plus a second generated tenant's objects, some changed. */
function evolve(a: TenantData, added: TenantData, drop: number[], change: number[]): { b: TenantData; dropped: Set<string>; changed: Set<string> } {
  const b = clone(a);
  const all = TYPES.flatMap((t) => (b.objects[t] ?? []).map((o) => ({ t, o })));
  const dropped = new Set(drop.filter(() => all.length).map((n) => all[n % all.length]!.o.id));
  // what a dropped object's references pointed at stays; assignments of a dropped user go too
  for (const t of TYPES) b.objects[t] = (b.objects[t] ?? []).filter((o) => !dropped.has(o.id));
  for (const ra of a.objects.roleAssignment ?? []) if (dropped.has(ra['principalId'] as string)) dropped.add(ra.id);
  b.objects.roleAssignment = (b.objects.roleAssignment ?? []).filter((o) => !dropped.has(o.id));
  b.relations.groupMembers = (b.relations.groupMembers ?? []).filter((e) => !dropped.has(e.from) && !dropped.has(e.to));
  const kept = TYPES.flatMap((t) => (b.objects[t] ?? []).filter((o) => t !== 'roleAssignment'));
  const changed = new Set<string>();
  for (const n of change) {
    const o = kept[n % Math.max(1, kept.length)];
    if (!o) continue;
    o['description'] = `changed ${n}`;
    changed.add(o.id);
  }
  for (const t of TYPES) b.objects[t] = [...(b.objects[t] ?? []), ...(added.objects[t] ?? [])];
  b.relations.groupMembers = [...(b.relations.groupMembers ?? []), ...(added.relations.groupMembers ?? [])];
  return { b, dropped, changed };
}

const idsOf = (cs: Change[], kind: Change['change']) => new Set(objectChanges(cs).filter((c) => c.change === kind).map((c) => (c.subject === 'object' ? (c.idB ?? c.idA) : '')));

describe('properties', () => {
  test('diff(A, A) is empty', () => {
    fc.assert(fc.property(arbTenant, (s) => {
      const a = build(s, '');
      expect(compareArchives(a, clone(a)).changes).toEqual([]);
    }), { numRuns: 60 });
  });

  test('every object of B absent from A is created, every object of A absent from B deleted, every changed one changed; edges likewise', () => {
    fc.assert(fc.property(arbTenant, arbTenant, fc.array(fc.nat(50), { maxLength: 4 }), fc.array(fc.nat(50), { maxLength: 4 }), (sa, sb, drop, change) => {
      const a = build(sa, '');
      const added = build(sb, 'new-');
      const { b, dropped, changed } = evolve(a, added, drop, change);
      const r = compareArchives(a, b);
      const addedIds = new Set(TYPES.flatMap((t) => (added.objects[t] ?? []).map((o) => o.id)));
      expect(idsOf(r.changes, 'created')).toEqual(addedIds);
      expect(idsOf(r.changes, 'deleted')).toEqual(dropped);
      expect(idsOf(r.changes, 'changed')).toEqual(new Set([...changed].filter((id) => !dropped.has(id))));
      const edge = (e: { from: string; to: string }) => `${e.from}>${e.to}`;
      const ea = new Set((a.relations.groupMembers ?? []).map(edge));
      const eb = new Set((b.relations.groupMembers ?? []).map(edge));
      const rel = r.changes.filter((c) => c.subject === 'relation');
      expect(new Set(rel.filter((c) => c.change === 'created').map(edge))).toEqual(new Set([...eb].filter((e) => !ea.has(e))));
      expect(new Set(rel.filter((c) => c.change === 'deleted').map(edge))).toEqual(new Set([...ea].filter((e) => !eb.has(e))));
      // the groups hold every change exactly once, riskiest first
      const grouped = groupByRisk(r);
      expect(grouped.flatMap((g) => g.changes).length).toBe(r.changes.length);
    }), { numRuns: 80 });
  });
});
