/**
 * Microsoft's first-party service principals (docs/graph-facts.md §3 "First-party service
 * principals"; https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in):
 * every target tenant already holds them, under its own object ids. A restore matches them by
 * appId, re-links app role assignments and delegated grants to them, never creates them,
 * never rewrites what Microsoft owns (names, app roles, scopes), and fidelity never counts
 * them missing.
 */
import { describe, expect, test } from 'vitest';
import type { DirObject } from '../../src/model.js';
import type { ExecutionResult, OpResult } from '../../src/restore/execute/executor.js';
import { diffTenantWith } from '../../src/restore/diff.js';
import { computeFidelity, plannerCatalog } from '../../src/restore/fidelity.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

const MICROSOFT_SERVICES = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
const USER_READ_ALL = 'df021288-bdef-4463-88db-98f22de89214';

const firstParty = (id: string, appId: string, displayName: string, extra: Partial<DirObject> = {}): DirObject => ({
  id, appId, displayName, appDisplayName: displayName, appOwnerOrganizationId: MICROSOFT_SERVICES, accountEnabled: true,
  servicePrincipalNames: [appId], appRoles: [{ id: USER_READ_ALL, value: 'User.Read.All', allowedMemberTypes: ['Application'], isEnabled: true, displayName: 'x', description: 'x', origin: 'Application' }],
  tags: [], ...extra,
});

/** The sample archive plus Graph's and Exchange Online's SPs, a grant and an app role assignment to Graph. */
function archiveWithFirstParty() {
  const a = sampleArchive();
  a.objects.servicePrincipal!.push(firstParty('sp-graph-old', GRAPH, 'Microsoft Graph'), firstParty('sp-exo-old', EXO, 'Office 365 Exchange Online', { accountEnabled: false }));
  a.objects.appRoleAssignment = [{ id: 'ara-1', principalId: 'sp-1', principalType: 'ServicePrincipal', resourceId: 'sp-graph-old', appRoleId: USER_READ_ALL }];
  a.objects.oauth2PermissionGrant = [{ id: 'grant-1', clientId: 'sp-1', consentType: 'AllPrincipals', principalId: null, resourceId: 'sp-graph-old', scope: 'User.Read' }];
  return a;
}

/** A fresh target: its own Graph SP (new object id, a newer appRoles list), no Exchange Online SP. */
function target(): LiveState {
  const live = emptyLive();
  live.objects.servicePrincipal = [firstParty('sp-graph-new', GRAPH, 'Microsoft Graph', {
    appRoles: [{ id: USER_READ_ALL, value: 'User.Read.All', allowedMemberTypes: ['Application'], isEnabled: true, displayName: 'x', description: 'x', origin: 'Application' },
      { id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', value: 'Mail.Read', allowedMemberTypes: ['Application'], isEnabled: true, displayName: 'y', description: 'y', origin: 'Application' }],
  })];
  return live;
}

const ok = (plan: ReturnType<typeof buildPlan>): ExecutionResult => {
  const outcomes: OpResult[] = plan.operations.map((o) => ({ opId: o.opId, kind: o.kind, tier: o.tier, label: o.label, outcome: 'created' }));
  return { outcomes, tiers: [], counts: {} as ExecutionResult['counts'], idMap: {}, liveAppIds: {}, paused: false, writeCalls: 0, elapsedMs: 0, failures: [] };
};

describe('first-party service principals in a restore', () => {
  const archive = archiveWithFirstParty();
  const plan = buildPlan({ archive, archiveMeta: meta, live: target(), scenario: 'tenant-loss' });
  const ops = (pred: (o: Operation) => boolean) => plan.operations.filter(pred);

  test('never created (even one the target lacks), never rewritten, and no warning or skip about them', () => {
    expect(ops((o) => 'archivedId' in o && (o.archivedId === 'sp-graph-old' || o.archivedId === 'sp-exo-old'))).toEqual([]);
    expect(plan.warnings.join('\n')).not.toMatch(/Microsoft Graph|Exchange Online/);
    expect((plan.skipped ?? []).map((s) => s.archivedId)).not.toContain('sp-exo-old');
  });

  test("grants and app role assignments to Microsoft Graph point at the target's Graph SP", () => {
    const ara = ops((o) => o.kind === 'create' && o.archivedId === 'ara-1')[0] as Extract<Operation, { kind: 'create' }>;
    const grant = ops((o) => o.kind === 'create' && o.archivedId === 'grant-1')[0] as Extract<Operation, { kind: 'create' }>;
    expect(ara.body['resourceId']).toBe('sp-graph-new');
    expect(grant.body['resourceId']).toBe('sp-graph-new');
  });

  test("only the tenant's own settings of a present first-party SP are written back", () => {
    const live = target();
    live.objects.servicePrincipal!.push(firstParty('sp-exo-new', EXO, 'Office 365 Exchange Online (renamed by Microsoft)', { servicePrincipalNames: [EXO, 'https://outlook.office365.com/'] }));
    const p = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const upd = p.operations.filter((o) => o.kind === 'update' && (o.archivedId === 'sp-exo-old' || o.archivedId === 'sp-graph-old')) as Array<Extract<Operation, { kind: 'update' }>>;
    expect(upd.map((u) => [u.archivedId, Object.keys(u.body).sort()])).toEqual([['sp-exo-old', ['accountEnabled']]]);
  });

  test('fidelity: the target lacking a first-party SP is no deviation; Microsoft-owned attributes are not compared', () => {
    const after = liveCopy(archive);
    after.objects.servicePrincipal = after.objects.servicePrincipal!.filter((s) => s.id !== 'sp-exo-old');
    const graph = after.objects.servicePrincipal!.find((s) => s.id === 'sp-graph-old')!;
    graph.id = 'sp-graph-new';
    graph.appRoles = [];
    for (const list of [after.objects.appRoleAssignment!, after.objects.oauth2PermissionGrant!]) for (const x of list) x['resourceId'] = 'sp-graph-new';
    const f = computeFidelity(archive, after, plan, ok(plan));
    const about = f.deviations.filter((d) => d.archivedId === 'sp-exo-old' || d.archivedId === 'sp-graph-old');
    expect(about).toEqual([]);
    const sp = f.types.find((t) => t.type === 'servicePrincipal')!;
    expect(sp.objectsExpected).toBe(2); // the tenant's app SP and Microsoft Graph; not Exchange Online
    expect(sp.objectsRestored).toBe(2);
  });

  test("diff: Microsoft's newer app roles on the Graph SP are no change; a tenant-owned setting is", () => {
    const live = target();
    live.objects.servicePrincipal!.push(firstParty('sp-exo-new', EXO, 'Office 365 Exchange Online'));
    const { diff } = diffTenantWith(plannerCatalog, archive, live, { types: ['servicePrincipal'] });
    const graph = diff.objects.find((o) => o.archivedId === 'sp-graph-old')!;
    expect(graph).toMatchObject({ status: 'equal', liveId: 'sp-graph-new' });
    const exo = diff.objects.find((o) => o.archivedId === 'sp-exo-old')!;
    expect(exo.status).toBe('changed');
    expect(exo.changes!.map((c) => c.property)).toEqual(['accountEnabled']);
  });
});
