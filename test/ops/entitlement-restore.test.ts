/**
 * Issue 15 item 8: access package catalogs, access packages and their assignment policies come
 * back after a tenant-loss restore into a new tenant, each package in its recreated catalog and
 * each policy on its recreated package, with its approvers, reviewers and allowed targets
 * re-linked to the recreated users and groups; the assignments are requested again (Graph creates
 * them only from requests: adminAdd) for the recreated users, with their end dates. Everything
 * is read back through Graph (https://learn.microsoft.com/graph/api/resources/accesspackagecatalog,
 * https://learn.microsoft.com/graph/api/resources/accesspackage,
 * https://learn.microsoft.com/graph/api/resources/accesspackageassignmentpolicy,
 * https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments,
 * https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { SEEDED_ASSIGNMENT_END } from '../../src/emulator/seed/entitlement.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';
import { findWithinLink } from '../../src/restore/execute/entitlement.js';
import { checkPackageGrants } from './entitlement-resources-checks.js';
import { checkGovernanceRestored, checkWorkflowFromBin, type TenantLossRun } from './governance-restored.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
const EM = '/identityGovernance/entitlementManagement';

useSourceAndTarget('ev-entitlement-', { seed: 43, users: 12 }, (f) => ({ dir, emu, source, target } = f));

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

type Subject = { '@odata.type': string; userId?: string; groupId?: string };
const subjectsOf = (p: DirObject): Subject[] => {
  const stages = ((p['requestApprovalSettings'] as { stages?: Record<string, Subject[]>[] } | null)?.stages ?? []);
  const review = (p['reviewSettings'] as Record<string, Subject[]> | null) ?? {};
  return [...stages.flatMap((s) => [...(s['primaryApprovers'] ?? []), ...(s['fallbackPrimaryApprovers'] ?? [])]),
    ...(review['primaryReviewers'] ?? []), ...(review['fallbackReviewers'] ?? []), ...((p['specificAllowedTargets'] as Subject[] | undefined) ?? [])];
};

/**
 * One backup of the source and one tenant-loss restore into the target, shared by this file's
 * tests (whichever runs first pays for it): a full restore is most of a test's time.
 */
let restoredOnce: Promise<TenantLossRun> | undefined;
let sourceMeta: ArchiveMeta | undefined;
function restored(): Promise<TenantLossRun> {
  restoredOnce ??= (async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    sourceMeta = archiveMeta;
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'em.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    return { archive, graph, r, targetTenantId: target.tenantId };
  })();
  return restoredOnce;
}

describe('entitlement management on a tenant-loss restore', () => {
  it('catalogs, packages and policies come back re-linked; assignments are requested again for the recreated users, read through Graph', { timeout: 180_000 }, async () => {
    const { archive, graph, r } = await restored();
    const o = archive.objects;
    expect(o.accessPackageCatalog?.length, 'catalogs archived').toBe(2);
    expect(o.accessPackage?.every((p) => typeof (p['catalog'] as { id?: string } | undefined)?.id === 'string'), 'package catalog archived').toBe(true);
    expect(o.accessPackageAssignmentPolicy?.length, 'policies archived').toBe(4);
    expect(o.accessPackageAssignment?.length, 'assignments archived').toBe(2);
    expect(r.execution?.failures).toEqual([]);
    const mine = new Set(['accessPackageCatalog', 'accessPackage', 'accessPackageAssignmentPolicy', 'connectedOrganization', 'entitlementManagementSettings',
      'connectedOrganizationInternalSponsors', 'connectedOrganizationExternalSponsors', 'accessPackageIncompatibleAccessPackages', 'accessPackageIncompatibleGroups', 'accessPackageCustomWorkflowExtension']);
    expect(r.fidelity?.deviations.filter((d) => mine.has(d.type ?? d.relation ?? ''))).toEqual([]);

    // the settings singleton, patched to the archived values
    const settings = await graph.get<DirObject>(`${EM}/settings`);
    const archivedSettings = o.entitlementManagementSettings![0]!;
    expect(settings).toMatchObject({ externalUserLifecycleAction: 'blockSignIn', durationUntilExternalUserDeletedAfterBlocked: archivedSettings['durationUntilExternalUserDeletedAfterBlocked'] });
    // the connected organization, with its sponsors re-linked to the recreated user and group
    const orgs = await all<DirObject>(graph, `${EM}/connectedOrganizations`);
    expect(orgs.map((x) => [x['displayName'], x['identitySources']])).toEqual(o.connectedOrganization!.map((x) => [x['displayName'], x['identitySources']]));
    const liveOrg = orgs[0]!;
    expect(liveOrg.id).not.toBe(o.connectedOrganization![0]!.id);
    for (const [kind, nav] of [['connectedOrganizationInternalSponsors', 'internalSponsors'], ['connectedOrganizationExternalSponsors', 'externalSponsors']] as const) {
      const edges = archive.relations[kind] ?? [];
      expect(edges.length, `${kind} archived`).toBe(1);
      const live = await all<DirObject>(graph, `${EM}/connectedOrganizations/${liveOrg.id}/${nav}`);
      expect(live.map((x) => x['displayName'])).toEqual(edges.map((e) => [...(o.user ?? []), ...(o.group ?? [])].find((x) => x.id === e.to)!['displayName']));
      expect(live[0]!.id).not.toBe(edges[0]!.to);
    }

    // catalogs by name, with new ids
    const catalogs = await all<DirObject>(graph, `${EM}/catalogs`);
    const byName = new Map(catalogs.map((c) => [c['displayName'], c]));
    for (const a of o.accessPackageCatalog!) {
      const live = byName.get(a['displayName']);
      expect(live, String(a['displayName'])).toMatchObject({ description: a['description'], isExternallyVisible: a['isExternallyVisible'], state: a['state'] });
      expect(live!.id).not.toBe(a.id);
    }
    // each package in the recreated catalog of its archived catalog's name
    const packages = await all<DirObject>(graph, `${EM}/accessPackages?$expand=catalog($select=id,displayName)`);
    expect(packages).toHaveLength(o.accessPackage!.length);
    for (const a of o.accessPackage!) {
      const live = packages.find((p) => p['displayName'] === a['displayName'])!;
      const archivedCatalog = o.accessPackageCatalog!.find((c) => c.id === (a['catalog'] as { id: string }).id)!;
      expect((live['catalog'] as DirObject).id).toBe(byName.get(archivedCatalog['displayName'])!.id);
      expect(live['description']).toBe(a['description']);
    }
    // each policy on its recreated package, its users and groups re-linked by name
    const policies = await all<DirObject>(graph, `${EM}/assignmentPolicies?$expand=accessPackage($select=id,displayName)`);
    expect(policies).toHaveLength(o.accessPackageAssignmentPolicy!.length);
    let relinked = 0;
    const nameOf = (id: string): unknown => [...(o.user ?? []), ...(o.group ?? [])].find((x) => x.id === id)?.['displayName'];
    for (const a of o.accessPackageAssignmentPolicy!) {
      const archivedPkg = o.accessPackage!.find((p) => p.id === (a['accessPackage'] as { id: string }).id)!;
      // two policies are called "Direct assignment": each must be on its own package
      const live = policies.find((p) => p['displayName'] === a['displayName'] && (p['accessPackage'] as DirObject)['displayName'] === archivedPkg['displayName']);
      expect(live, `${String(a['displayName'])} on ${String(archivedPkg['displayName'])}`).toBeDefined();
      expect(live!['allowedTargetScope']).toBe(a['allowedTargetScope']);
      expect(live!['expiration']).toEqual(a['expiration']);
      const want = subjectsOf(a);
      const got = subjectsOf(live!);
      expect(got.map((s) => s['@odata.type'])).toEqual(want.map((s) => s['@odata.type']));
      for (const [i, s] of want.entries()) {
        const id = s.userId ?? s.groupId;
        const liveId = got[i]!.userId ?? got[i]!.groupId;
        if (!id || !liveId) continue;
        expect(liveId, `${String(a['displayName'])} subject ${i}`).not.toBe(id);
        const live2 = await graph.get<DirObject>(`/${s.userId ? 'users' : 'groups'}/${liveId}?$select=displayName`);
        expect(live2['displayName']).toBe(nameOf(id));
        relinked++;
      }
    }
    // a resumed run finds each "Direct assignment" again on its own package, never the other's (src/restore/execute/entitlement.ts)
    for (const p of policies.filter((x) => x['displayName'] === 'Direct assignment')) {
      const found = await findWithinLink(graph, 'accessPackageAssignmentPolicy', `${EM}/assignmentPolicies`, { displayName: 'Direct assignment', accessPackage: { id: (p['accessPackage'] as DirObject).id } });
      expect(found?.['id']).toBe(p.id);
    }
    // the request policy's questions, read with $expand=questions: as archived, with Graph's new ids
    // (https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-get, S240, S241)
    const asked = o.accessPackageAssignmentPolicy!.filter((a) => Array.isArray(a['questions']) && (a['questions'] as unknown[]).length > 0);
    expect(asked.map((a) => a['displayName']), 'policies with questions archived').toEqual(['Employee requests']);
    const withQ = await all<DirObject>(graph, `${EM}/assignmentPolicies?$expand=questions&$filter=displayName eq 'Employee requests'`);
    const archivedQ = asked[0]!['questions'] as DirObject[];
    const liveQ = withQ[0]!['questions'] as DirObject[];
    const noId = ({ id: _id, ...rest }: DirObject): Omit<DirObject, 'id'> => rest;
    expect(liveQ.map(noId)).toEqual(archivedQ.map(noId));
    expect(liveQ.map((q) => q['@odata.type'])).toEqual(['#microsoft.graph.accessPackageTextInputQuestion', '#microsoft.graph.accessPackageMultipleChoiceQuestion']);
    for (const [i, q] of liveQ.entries()) expect(q.id).not.toBe(archivedQ[i]!.id);
    // the sales catalog's custom workflow extension, recreated in the recreated catalog, and the request
    // policy's approval stage running it (https://learn.microsoft.com/graph/api/accesspackagecatalog-post-accesspackagecustomworkflowextensions,
    // https://learn.microsoft.com/graph/api/resources/customextensionstagesetting, S245, S246)
    const archivedExt = o.accessPackageCustomWorkflowExtension ?? [];
    expect(archivedExt.map((x) => x['displayName']), 'extensions archived').toEqual(['Notify CRM admins']);
    const salesCatalog = byName.get('Sales resources')!;
    const liveExt = await all<DirObject>(graph, `${EM}/catalogs/${salesCatalog.id}/customWorkflowExtensions`);
    expect(liveExt.map((x) => [x['@odata.type'], x['displayName'], x['authenticationConfiguration']])).toEqual(archivedExt.map((x) => [x['@odata.type'], x['displayName'], x['authenticationConfiguration']]));
    const { url: _url, ...endpoint } = archivedExt[0]!['endpointConfiguration'] as DirObject;
    expect(liveExt[0]!['endpointConfiguration']).toMatchObject(endpoint);
    expect(liveExt[0]!.id).not.toBe(archivedExt[0]!.id);
    const staged = await all<DirObject>(graph, `${EM}/assignmentPolicies?$expand=customExtensionStageSettings($expand=customExtension)&$filter=displayName eq 'Employee requests'`);
    expect((staged[0]!['customExtensionStageSettings'] as DirObject[]).map((s) => [s['stage'], (s['customExtension'] as DirObject).id])).toEqual([['assignmentRequestApproved', liveExt[0]!.id]]);
    const logicStep = r.plan.manualSteps.find((s) => s.id === 'manual:accessPackageWorkflowExtensionLogicApps');
    expect(logicStep?.objects).toEqual([archivedExt[0]!.id]);
    expect(logicStep!.instructions).toContain('notify-crm-admins');
    expect(logicStep!.instructions).toContain(`https://sts.windows.net/${target.tenantId}/`);
    // the app resource's attributes (what the app asks the requestor), written after the add with adminUpdate
    // (https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests example 5, S247)
    const archivedApp = (o.accessPackageResource ?? []).find((x) => x['originSystem'] === 'AadApplication')!;
    expect((archivedApp['attributes'] as DirObject[]).map((a) => a['name']), 'attributes archived').toEqual(['officeLocation']);
    const liveApp = (await all<DirObject>(graph, `${EM}/catalogs/${salesCatalog.id}/resources`)).find((x) => x['originSystem'] === 'AadApplication')!;
    const noQuestionId = (list: DirObject[]): unknown => list.map((a) => ({ ...a, source: { ...(a['source'] as DirObject), question: { ...((a['source'] as DirObject)['question'] as DirObject), id: 'x' } } }));
    expect(noQuestionId(liveApp['attributes'] as DirObject[])).toEqual(noQuestionId(archivedApp['attributes'] as DirObject[]));
    // the partner policy names the recreated connected organization
    const partnerPolicy = policies.find((p) => p['allowedTargetScope'] === 'specificConnectedOrganizationUsers')!;
    expect(partnerPolicy['specificAllowedTargets']).toEqual([expect.objectContaining({ connectedOrganizationId: liveOrg.id })]);
    // approvers, fallback group, reviewers and the allowed-target group of the request policy
    expect(relinked).toBe(5);
    // assignments: each requested again (adminAdd, https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests)
    // for the recreated user, policy and package, with its archived end; none left to a manual step
    const live = await all<DirObject>(graph, `${EM}/assignments?$expand=target,accessPackage($select=id,displayName),assignmentPolicy($select=id,displayName)`);
    expect(live).toHaveLength(o.accessPackageAssignment!.length);
    // the target has other domains: a user is found by the local part of its UPN (the restore remaps the domain)
    const local = (upn: string): string => upn.split('@')[0]!.toLowerCase();
    const liveUsers = new Map((await all<DirObject>(graph, '/users?$select=id,userPrincipalName')).map((u) => [local(String(u['userPrincipalName'])), u.id]));
    for (const x of o.accessPackageAssignment!) {
      const t = x['target'] as { principalName: string; objectId: string };
      const userId = liveUsers.get(local(t.principalName));
      expect(userId).toBeDefined();
      expect(userId).not.toBe(t.objectId);
      const got = live.find((a) => (a['target'] as DirObject)['objectId'] === userId)!;
      expect(got, t.principalName).toBeDefined();
      expect(got['state']).toBe('delivered');
      expect((got['accessPackage'] as DirObject)['displayName']).toBe((x['accessPackage'] as DirObject)['displayName']);
      expect((got['assignmentPolicy'] as DirObject)['displayName']).toBe((x['assignmentPolicy'] as DirObject)['displayName']);
      expect(packages.some((p) => p.id === (got['accessPackage'] as DirObject).id)).toBe(true);
      expect(policies.some((p) => p.id === (got['assignmentPolicy'] as DirObject).id)).toBe(true);
      const end = ((x['schedule'] as DirObject)['expiration'] as DirObject)['endDateTime'];
      expect(((got['schedule'] as DirObject)['expiration'] as DirObject)['endDateTime'] ?? null).toBe(end ?? null);
    }
    expect(o.accessPackageAssignment!.some((x) => ((x['schedule'] as DirObject)['expiration'] as DirObject)['endDateTime'] === SEEDED_ASSIGNMENT_END)).toBe(true);
    // what the package gives comes with the request (https://learn.microsoft.com/graph/api/resources/accesspackageresourcerolescope, S385):
    // the app role it gives is covered by the request, never POSTed beside it, and the assignees hold it on the recreated principal
    const covered = r.plan.operations.flatMap((op) => (op.kind === 'create' && op.type === 'accessPackageAssignment' ? op.covers ?? [] : []));
    expect(covered.length).toBeGreaterThan(0);
    for (const c of covered) {
      expect(c.type).toBe('appRoleAssignment');
      expect(r.plan.operations.some((op) => op.kind === 'create' && op.archivedId === c.archivedId)).toBe(false);
      const archived = o.appRoleAssignment!.find((x) => x.id === c.archivedId)!;
      const principal = liveUsers.get(local(String((o.user ?? []).find((u) => u.id === archived['principalId'])?.['userPrincipalName'])))!;
      const held = await all<DirObject>(graph, `/users/${principal}/appRoleAssignments`);
      expect(held.some((x) => x['appRoleId'] === archived['appRoleId'])).toBe(true);
    }
    expect(r.plan.manualSteps.find((s) => s.id === 'manual:accessPackageAssignments')).toBeUndefined();
    expect(r.fidelity?.deviations.filter((d) => d.type === 'accessPackageAssignment') ?? []).toEqual([]);
    // incompatible packages and groups, re-linked to the recreated package and group
    // (https://learn.microsoft.com/graph/api/accesspackage-list-incompatibleaccesspackages, S243, S244)
    const nameIn = (list: readonly DirObject[] | undefined, id: string): unknown => list?.find((x) => x.id === id)?.['displayName'];
    for (const [kind, nav, targets] of [['accessPackageIncompatibleAccessPackages', 'incompatibleAccessPackages', o.accessPackage], ['accessPackageIncompatibleGroups', 'incompatibleGroups', o.group]] as const) {
      const edges = archive.relations[kind] ?? [];
      expect(edges.length, `${kind} archived`).toBe(1);
      const from = packages.find((p) => p['displayName'] === nameIn(o.accessPackage, edges[0]!.from))!;
      const live = await all<DirObject>(graph, `${EM}/accessPackages/${from.id}/${nav}`);
      expect(live.map((x) => x['displayName']), kind).toEqual([nameIn(targets, edges[0]!.to)]);
      expect(live[0]!.id).not.toBe(edges[0]!.to);
    }
    // what the packages grant: catalog resources and resource roles re-linked (issue 15 item 8, part 2)
    await checkPackageGrants(graph, archive, r.plan, r.fidelity?.deviations ?? []);
  });

  // issue 15 item 9, on the same restore (test/ops/governance-restored.ts)
  it('access reviews and lifecycle workflows come back with every id re-linked, read through Graph; the Logic App authorization is a manual step', { timeout: 180_000 }, async () => {
    await checkGovernanceRestored(await restored());
  });

  // issue 15 item 9: a workflow deleted from the source comes back from its bin with its original id
  it('a deleted workflow is restored from the deleted-workflows bin with its id, not recreated', { timeout: 60_000 }, async () => {
    const { archive } = await restored();
    const { graph } = await writerOf(emu, source.tenantId, dir);
    await checkWorkflowFromBin({ archive, archiveMeta: sourceMeta!, graph, tenantId: source.tenantId, journalPath: join(dir, 'workflow-bin.journal') });
  });
});
