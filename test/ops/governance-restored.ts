/**
 * Checks for issue 15 item 9, run on a tenant-loss restore another test file already paid for
 * (test/ops/entitlement-restore.test.ts): access review definitions, lifecycle workflows (with their tasks), the
 * lifecycle workflow settings and custom task extensions come back after a tenant-loss restore
 * into a new tenant, every id they hold re-linked to the restored objects: a review's scope,
 * instance scope, reviewers and fallback reviewers (users, groups, an access package); a
 * workflow's task arguments (group, a cc list of two users, custom task extension) and its group-based execution
 * scope; an extension's app. The Logic App authorization is a manual step. Everything is read back
 * through Graph (https://learn.microsoft.com/graph/api/accessreviewscheduledefinition-get,
 * https://learn.microsoft.com/graph/api/identitygovernance-workflow-get,
 * https://learn.microsoft.com/graph/api/identitygovernance-lifecyclemanagementsettings-get,
 * https://learn.microsoft.com/graph/api/identitygovernance-customtaskextension-get).
 * And a workflow deleted from the source within 30 days comes back from its bin with its original
 * id (https://learn.microsoft.com/graph/api/identitygovernance-workflow-restore, docs/graph-facts.md S271).
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { runRestore } from '../../src/ops/restore.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { withoutTaskServerSet } from '../../src/restore/plan/governance.js';

/** A finished tenant-loss restore: the archive, the writer's client on the target, the result. */
export interface TenantLossRun {
  archive: { objects: TenantData['objects']; relations: TenantData['relations'] };
  graph: GraphClient;
  r: Awaited<ReturnType<typeof runRestore>>;
  targetTenantId: string;
}

const LW = '/identityGovernance/lifecycleWorkflows';
const GUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

type Query = { query: string };
type Task = { displayName: string; taskDefinitionId: string; arguments: { name: string; value: string }[] };

/** Reads the restored reviews, workflows, settings and extension back through Graph and checks every re-linked id. */
export async function checkGovernanceRestored({ archive, graph, r, targetTenantId }: TenantLossRun): Promise<void> {
  const o = archive.objects;
  expect(o.accessReviewDefinition?.length, 'reviews archived').toBe(2);
  expect(o.lifecycleWorkflow?.length, 'workflows archived').toBe(3);
  expect(o.lifecycleWorkflow?.every((w) => Array.isArray(w['tasks']) && (w['tasks'] as unknown[]).length > 0 && w['executionConditions']), 'tasks and conditions read per workflow').toBe(true);
  expect(o.customTaskExtension?.length, 'extension archived').toBe(1);
  expect(o.lifecycleWorkflowSettings?.[0]?.['workflowScheduleIntervalInHours']).toBe(6);
  expect(r.execution?.failures).toEqual([]);
  const mine = new Set(['accessReviewDefinition', 'lifecycleWorkflow', 'customTaskExtension', 'lifecycleWorkflowSettings']);
  expect(r.fidelity?.deviations.filter((d) => mine.has(d.type ?? ''))).toEqual([]);

  // every id inside a string or argument must name the live object with the archived one's name
  const archivedName = (id: string): unknown => [...(o.user ?? []), ...(o.group ?? []), ...(o.accessPackage ?? []), ...(o.customTaskExtension ?? [])].find((x) => x.id === id)?.['displayName'];
  const liveName = async (id: string): Promise<unknown> => {
    for (const p of ['/users', '/groups', '/identityGovernance/entitlementManagement/accessPackages', `${LW}/customTaskExtensions`]) {
      const got = await graph.get<DirObject>(`${p}/${id}`).catch(() => undefined);
      if (got) return got['displayName'];
    }
    return undefined;
  };
  let relinked = 0;
  // every id of a value (a cc list holds several, docs/graph-facts.md S270), each re-linked in its place
  const same = async (archivedValue: string, liveValue: string, what: string): Promise<void> => {
    const as = archivedValue.match(GUIDS) ?? [];
    const ls = liveValue.match(GUIDS) ?? [];
    if (as.length === 0) return expect(liveValue, what).toBe(archivedValue);
    expect(ls, what).toHaveLength(as.length);
    expect(liveValue.replace(GUIDS, '{id}'), what).toBe(archivedValue.replace(GUIDS, '{id}'));
    for (const [i, a] of as.entries()) {
      expect(ls[i], what).not.toBe(a);
      expect(await liveName(ls[i]!), what).toBe(archivedName(a));
      relinked++;
    }
  };

  const reviews = await all<DirObject>(graph, '/identityGovernance/accessReviews/definitions');
  expect(reviews).toHaveLength(2);
  for (const a of o.accessReviewDefinition!) {
    const live = reviews.find((x) => x['displayName'] === a['displayName'])!;
    expect(live, String(a['displayName'])).toBeDefined();
    expect(live['settings']).toEqual(a['settings']);
    await same((a['scope'] as Query).query, (live['scope'] as Query).query, 'scope');
    if (a['instanceEnumerationScope']) await same((a['instanceEnumerationScope'] as Query).query, (live['instanceEnumerationScope'] as Query).query, 'instance scope');
    for (const k of ['reviewers', 'fallbackReviewers']) {
      const want = a[k] as Query[];
      const got = live[k] as Query[];
      expect(got, k).toHaveLength(want.length);
      for (const [i, q] of want.entries()) await same(q.query, got[i]!.query, `${k}[${i}]`);
    }
  }

  const extensions = await all<DirObject>(graph, `${LW}/customTaskExtensions`);
  expect(extensions).toHaveLength(1);
  const ext = extensions[0]!;
  const archivedExt = o.customTaskExtension![0]!;
  expect(ext['endpointConfiguration']).toEqual(archivedExt['endpointConfiguration']);
  const resourceId = (ext['authenticationConfiguration'] as { resourceId: string }).resourceId;
  const app = (await all<DirObject>(graph, `/applications?$filter=appId eq '${resourceId}'`))[0];
  const archivedApp = (o.application ?? []).find((x) => x['appId'] === (archivedExt['authenticationConfiguration'] as { resourceId: string }).resourceId);
  expect(app?.['displayName'], 'the extension authenticates with the restored app').toBe(archivedApp?.['displayName']);

  const listed = await all<DirObject>(graph, `${LW}/workflows`);
  let scoped = 0;
  expect(listed).toHaveLength(3);
  for (const a of o.lifecycleWorkflow!) {
    const id = listed.find((x) => x['displayName'] === a['displayName'])?.id;
    expect(id, String(a['displayName'])).toBeDefined();
    const live = await graph.get<DirObject>(`${LW}/workflows/${id!}`);
    expect(live['category']).toBe(a['category']);
    const wantTasks = a['tasks'] as Task[];
    const gotTasks = live['tasks'] as Task[];
    expect(gotTasks.map((t) => t.taskDefinitionId)).toEqual(wantTasks.map((t) => t.taskDefinitionId));
    for (const [i, t] of wantTasks.entries()) {
      for (const [j, arg] of t.arguments.entries()) await same(arg.value, gotTasks[i]!.arguments[j]!.value, `${t.displayName} ${arg.name}`);
    }
    const scope = (a['executionConditions'] as { scope: { rule?: string; groups?: { id: string }[] } }).scope;
    const liveScope = (live['executionConditions'] as { scope: { rule?: string; groups?: { id: string }[] } }).scope;
    expect(liveScope.rule).toBe(scope.rule);
    for (const [i, g] of (scope.groups ?? []).entries()) await same(g.id, liveScope.groups![i]!.id, 'execution scope group');
    // who may manage it: the administrative units, read from their own navigation (docs/graph-facts.md S272)
    const units = (a['administrationScopeTargets'] as { id: string }[] | undefined) ?? [];
    const liveUnits = await all<DirObject>(graph, `${LW}/workflows/${id!}/administrationScopeTargets`);
    expect(liveUnits.map((u) => u['displayName']), `${String(a['displayName'])} administration scopes`).toEqual(units.map((u) => o.administrativeUnit!.find((x) => x.id === u.id)!['displayName']));
    for (const [i, u] of units.entries()) {
      expect(liveUnits[i]!.id).not.toBe(u.id);
      expect(liveUnits[i]!['@odata.type']).toBe('#microsoft.graph.administrativeUnit');
      scoped++;
    }
  }
  expect(scoped, 'the mover workflow is managed within one administrative unit').toBe(1);
  // 2 reviews: scope ×2, instance scope, reviewers ×2, fallback; workflows: cc ×2 (one list), groupID, extension, mover group
  expect(relinked).toBe(11);
  const welcome = (o.lifecycleWorkflow ?? []).flatMap((w) => w['tasks'] as Task[]).flatMap((t) => t.arguments).find((x) => x.name === 'cc');
  expect(welcome?.value, 'the archive holds a cc list of two users').toMatch(/^[0-9a-f-]{36},[0-9a-f-]{36}$/);

  const settings = await graph.get<DirObject>(`${LW}/settings`);
  expect(settings['workflowScheduleIntervalInHours']).toBe(6);
  expect(settings['emailSettings']).toEqual(o.lifecycleWorkflowSettings![0]!['emailSettings']);

  const step = r.plan.manualSteps.find((s) => s.id === 'manual:customTaskExtensionLogicApps');
  expect(step?.objects).toEqual([archivedExt.id]);
  expect(step!.instructions).toContain(`https://sts.windows.net/${targetTenantId}/`);
  expect(step!.instructions).toContain('badge-provisioning');
}

/**
 * Deletes the archived joiner workflow from the source tenant (it goes to Graph's
 * deleted-workflows bin), restores it with an objects restore and reads it back by its
 * ORIGINAL id: restored from the bin (S183, S271), never recreated under a new id.
 */
export async function checkWorkflowFromBin(o: { archive: TenantLossRun['archive']; archiveMeta: ArchiveMeta; graph: GraphClient; tenantId: string; journalPath: string }): Promise<void> {
  const { archive, graph, tenantId } = o;
  const a = archive.objects.lifecycleWorkflow!.find((w) => w['category'] === 'joiner')!;
  await graph.delete(`${LW}/workflows/${a.id}`);
  const binned = await all<DirObject>(graph, `${LW}/deletedItems/workflows`);
  expect(binned.map((w) => w.id), 'in the bin').toEqual([a.id]);
  const r = await runRestore({
    archive: o.archive as TenantData, archiveMeta: o.archiveMeta, graph, targetTenantId: tenantId, scenario: 'objects', selection: { objectIds: [a.id] },
    dryRun: false, confirmTenantId: tenantId, journalPath: o.journalPath, credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter,
  });
  expect(r.execution?.failures).toEqual([]);
  const ops = r.plan.operations.filter((op) => 'type' in op && op.type === 'lifecycleWorkflow');
  expect(ops.map((op) => op.kind), 'one restore from the bin, no create').toContain('restoreDeleted');
  expect(ops.some((op) => op.kind === 'create')).toBe(false);
  const live = await graph.get<DirObject>(`${LW}/workflows/${a.id}`);
  expect(live.id).toBe(a.id);
  expect(live['displayName']).toBe(a['displayName']);
  expect(live['deletedDateTime'] ?? null).toBeNull();
  expect(live['executionConditions']).toEqual(a['executionConditions']);
  expect(withoutTaskServerSet(live['tasks'])).toEqual(withoutTaskServerSet(a['tasks']));
  expect((await all<DirObject>(graph, `${LW}/workflows`)).filter((w) => w['displayName'] === a['displayName']), 'no second copy').toHaveLength(1);
  expect(await all<DirObject>(graph, `${LW}/deletedItems/workflows`), 'the bin is empty again').toEqual([]);
}
