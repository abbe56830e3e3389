/**
 * Issue 15 items 3 (rest) and 4: app management policies (the tenant default and a custom one
 * with its assignments to an app and its service principal), delegated permission
 * classifications, a custom permission grant policy with its include/exclude condition sets,
 * the default user role's reference to it, and the admin consent request policy with its
 * reviewers come back after a tenant-loss restore into a new tenant, re-linked to the new ids,
 * all read back through Graph (https://learn.microsoft.com/graph/api/resources/appmanagementpolicy,
 * https://learn.microsoft.com/graph/api/resources/permissiongrantpolicy,
 * https://learn.microsoft.com/graph/api/resources/adminconsentrequestpolicy).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MICROSOFT_GRAPH_APP_ID } from '../../src/catalog/permissions.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { CUSTOM_CONSENT_POLICY_ID } from '../../src/emulator/seed/consent.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
let saved: { archive: TenantData; archiveMeta: ArchiveMeta } | undefined;

useSourceAndTarget('ev-consent-', { seed: 41, users: 12 }, (f) => ({ dir, emu, source, target } = f));

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

const conditionShape = (c: DirObject): unknown => {
  const { id: _id, '@parentId': _p, ...rest } = c as Record<string, unknown>;
  return rest;
};

describe('app management and consent governance on a tenant-loss restore', () => {
  it('come back with their settings and references re-linked, read through Graph', { timeout: 180_000 }, async () => {
    saved = await backupOf(emu, source.tenantId, dir);
    const { archive, archiveMeta } = saved;
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const o = archive.objects;
    expect(o.appManagementPolicy?.length, 'app management policy archived').toBe(1);
    expect(o.delegatedPermissionClassification?.length, 'classification archived').toBe(1);
    expect(o.permissionGrantPolicyInclude?.some((c) => c['@parentId'] === CUSTOM_CONSENT_POLICY_ID)).toBe(true);
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'consent.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    // the product's own read-back agrees: no deviation on these types or their assignments
    const mine = new Set<string>(['tenantAppManagementPolicy', 'appManagementPolicy', 'delegatedPermissionClassification', 'permissionGrantPolicy',
      'permissionGrantPolicyInclude', 'permissionGrantPolicyExclude', 'adminConsentRequestPolicy', 'authorizationPolicy',
      'applicationAppManagementPolicies', 'servicePrincipalAppManagementPolicies']);
    expect(r.fidelity?.deviations.filter((d) => mine.has(d.type ?? d.relation ?? ''))).toEqual([]);

    // the tenant default app management policy
    const tenantDefault = await graph.get<DirObject>('/policies/defaultAppManagementPolicy');
    const archivedDefault = o.tenantAppManagementPolicy![0]!;
    expect(tenantDefault).toMatchObject({ isEnabled: true, applicationRestrictions: archivedDefault['applicationRestrictions'] });

    // the custom app management policy, assigned to the recreated app and service principal (new ids)
    const archivedPolicy = o.appManagementPolicy![0]!;
    const policies = await all<DirObject>(graph, '/policies/appManagementPolicies');
    expect(policies.map((p) => [p['displayName'], p['restrictions']])).toEqual([[archivedPolicy['displayName'], archivedPolicy['restrictions']]]);
    expect(policies[0]!.id).not.toBe(archivedPolicy.id);
    for (const [kind, owners] of [['applicationAppManagementPolicies', 'applications'], ['servicePrincipalAppManagementPolicies', 'servicePrincipals']] as const) {
      const edge = (archive.relations[kind] ?? [])[0]!;
      expect(edge, `${kind} archived`).toBeDefined();
      const ownerName = String([...(o.application ?? []), ...(o.servicePrincipal ?? [])].find((x) => x.id === edge.from)!['displayName']);
      const live = await all<DirObject>(graph, `/${owners}?$filter=displayName eq '${ownerName.replace(/'/g, "''")}'&$select=id,displayName`);
      expect(live, `${kind}: ${ownerName}`).toHaveLength(1);
      expect(live[0]!.id).not.toBe(edge.from);
      expect((await all<DirObject>(graph, `/${owners}/${live[0]!.id}/appManagementPolicies`)).map((p) => p.id)).toEqual([policies[0]!.id]);
    }

    // the classification, under Microsoft Graph's service principal of the new tenant (another id)
    const liveGraph = await graph.get<DirObject>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id`);
    const archivedClass = o.delegatedPermissionClassification![0]!;
    expect(archivedClass['@parentId']).not.toBe(liveGraph.id);
    const classes = await all<DirObject>(graph, `/servicePrincipals/${liveGraph.id}/delegatedPermissionClassifications`);
    expect(classes.map((c) => [c['permissionId'], c['permissionName'], c['classification']])).toEqual([[archivedClass['permissionId'], archivedClass['permissionName'], 'low']]);

    // the custom consent policy, its condition sets, and the default user role naming it
    const custom = await graph.get<DirObject>(`/policies/permissionGrantPolicies/${CUSTOM_CONSENT_POLICY_ID}`);
    expect(custom['displayName']).toBe(o.permissionGrantPolicy!.find((p) => p.id === CUSTOM_CONSENT_POLICY_ID)!['displayName']);
    for (const [type, nav] of [['permissionGrantPolicyInclude', 'includes'], ['permissionGrantPolicyExclude', 'excludes']] as const) {
      const archived = (o[type] ?? []).filter((c) => c['@parentId'] === CUSTOM_CONSENT_POLICY_ID).map(conditionShape);
      expect(archived.length, `${type} archived`).toBeGreaterThan(0);
      const live = (await all<DirObject>(graph, `/policies/permissionGrantPolicies/${CUSTOM_CONSENT_POLICY_ID}/${nav}`)).map(conditionShape);
      expect(live, nav).toEqual(archived);
    }
    const auth = await graph.get<{ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[] } }>('/policies/authorizationPolicy');
    expect(auth.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual([`ManagePermissionGrantsForSelf.${CUSTOM_CONSENT_POLICY_ID}`]);

    // the admin consent request policy: its user and group reviewers name the recreated objects
    const consent = await graph.get<{ isEnabled: boolean; requestDurationInDays: number; reviewers: { query: string }[] }>('/policies/adminConsentRequestPolicy');
    const archivedConsent = o.adminConsentRequestPolicy![0]!;
    expect(consent).toMatchObject({ isEnabled: true, requestDurationInDays: archivedConsent['requestDurationInDays'] });
    const archivedQueries = (archivedConsent['reviewers'] as { query: string }[]).map((x) => x.query);
    expect(consent.reviewers).toHaveLength(archivedQueries.length);
    for (const [i, q] of archivedQueries.entries()) {
      const m = /^\/(users|groups)\/([0-9a-f-]{36})/.exec(q);
      const liveQ = consent.reviewers[i]!.query;
      if (!m) {
        expect(liveQ).toBe(q);
        continue;
      }
      const name = String([...(o.user ?? []), ...(o.group ?? [])].find((x) => x.id === m[2])!['displayName']);
      const liveId = /^\/(?:users|groups)\/([0-9a-f-]{36})/.exec(liveQ)![1]!;
      expect(liveId).not.toBe(m[2]);
      expect((await graph.get<DirObject>(`/${m[1]}/${liveId}?$select=displayName`))['displayName']).toBe(name);
      expect(liveQ).toBe(q.replace(m[2]!, liveId));
    }
  });

  it('an objects restore puts the whole admin consent request policy back when someone turned it off in the source', { timeout: 120_000 }, async () => {
    expect(saved, 'the tenant-loss test ran first').toBeDefined();
    const { archive, archiveMeta } = saved!;
    const { graph } = await writerOf(emu, source.tenantId, dir);
    const before = await graph.get<{ reviewers: unknown[] }>('/policies/adminConsentRequestPolicy');
    await graph.put('/policies/adminConsentRequestPolicy', { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, reviewers: [] });
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: source.tenantId, scenario: 'objects', selection: { objectIds: [archive.objects.adminConsentRequestPolicy![0]!.id] },
      dryRun: false, confirmTenantId: source.tenantId, journalPath: join(dir, 'consent-objects.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter,
    });
    expect(r.execution?.failures).toEqual([]);
    // only the changed properties were planned; the executor sent the whole policy with PUT
    const after = await graph.get<{ isEnabled: boolean; notifyReviewers: boolean; requestDurationInDays: number; reviewers: unknown[] }>('/policies/adminConsentRequestPolicy');
    expect(after).toMatchObject({ isEnabled: true, notifyReviewers: true, requestDurationInDays: 30 });
    expect(after.reviewers).toEqual(before.reviewers);
  });
});
