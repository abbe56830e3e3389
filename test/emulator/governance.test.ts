/**
 * Access reviews and lifecycle workflows in the emulator (issue 15 item 9), each behaviour with
 * its Graph page (docs/graph-facts.md §3 "Access reviews and lifecycle workflows"):
 * - https://learn.microsoft.com/graph/api/accessreviewset-post-definitions (scope query, reviewers)
 * - https://learn.microsoft.com/graph/api/accessreviewscheduledefinition-update (PUT of the whole object)
 * - https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows (tasks in the one POST)
 * - https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows (no execution conditions, no tasks)
 * - https://learn.microsoft.com/graph/api/identitygovernance-workflow-get (tasks expanded by default)
 * - https://learn.microsoft.com/graph/api/identitygovernance-workflow-update (four properties only)
 * - https://learn.microsoft.com/graph/api/identitygovernance-workflow-createnewversion (the rest: a new version, same id)
 * - https://learn.microsoft.com/graph/api/identitygovernance-workflow-restore (deletedItems/workflows)
 * - https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-customtaskextensions (Logic App endpoint)
 * - https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows, Example 3
 *   "Create a mover workflow with a set target scope" (administrationScopeTargets, docs/graph-facts.md S272)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { TASK_DEFINITIONS } from '../../src/emulator/seed/governance.js';
import { lab, type Lab } from './helpers.js';

const AR = '/identityGovernance/accessReviews/definitions';
const LW = '/identityGovernance/lifecycleWorkflows';
const NOBODY = '00000000-0000-0000-0000-00000000dead';

describe('emulator: access reviews and lifecycle workflows', () => {
  let L: Lab;
  let userId: string;
  let groupId: string;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 95, users: 12 }));
    userId = ((await L.writer('GET', '/users?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
    groupId = ((await L.writer('GET', '/groups?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('creates an access review of an existing group; updates it only by PUT, never its scope', async () => {
    const scope = { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${groupId}/transitiveMembers`, queryType: 'MicrosoftGraph' };
    const body = { displayName: 'Members', scope, reviewers: [{ query: `/users/${userId}`, queryType: 'MicrosoftGraph' }], settings: { instanceDurationInDays: 3 } };
    expect((await L.writer('POST', AR, { ...body, scope: { ...scope, query: `/groups/${NOBODY}/transitiveMembers` } })).status).toBe(400);
    expect((await L.writer('POST', AR, { displayName: 'No scope', settings: {} })).status).toBe(400);
    const made = await L.writer('POST', AR, body);
    expect(made.status).toBe(201);
    expect(made.json.status).toBe('NotStarted');
    const item = `${AR}/${String(made.json.id)}`;
    expect((await L.writer('PATCH', item, { displayName: 'x' })).status).toBe(405);
    const live = (await L.writer('GET', item)).json as Record<string, unknown>;
    const { ['@odata.context']: _c, ...whole } = live;
    expect((await L.writer('PUT', item, { ...whole, scope: { ...scope, query: `/groups/${groupId}/members` } })).status).toBe(400);
    expect((await L.writer('PUT', item, { ...whole, displayName: 'Members, renamed' })).status).toBe(204);
    expect((await L.writer('GET', item)).json.displayName).toBe('Members, renamed');
  });

  it('creates a workflow with its tasks in one POST; the list shows neither conditions nor tasks, its own GET both', async () => {
    const conditions = {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(department eq 'Marketing')" },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
    };
    const addTo = (g: string) => ({ displayName: 'Add User To Groups', taskDefinitionId: TASK_DEFINITIONS.addToGroups, isEnabled: true, continueOnError: false, arguments: [{ name: 'groupID', value: g }] });
    const wf = (tasks: unknown[]) => ({ category: 'joiner', displayName: 'Marketing joiners', executionConditions: conditions, isEnabled: true, isSchedulingEnabled: false, tasks });
    expect((await L.writer('POST', `${LW}/workflows`, wf([]))).status).toBe(400);
    expect((await L.writer('POST', `${LW}/workflows`, wf([addTo(NOBODY)]))).status).toBe(400);
    const made = await L.writer('POST', `${LW}/workflows`, wf([addTo(groupId)]));
    expect(made.status).toBe(201);
    const id = String(made.json.id);
    const listed = ((await L.writer('GET', `${LW}/workflows`)).json.value as Record<string, unknown>[]).find((w) => w['id'] === id)!;
    expect(listed['tasks']).toBeUndefined();
    expect(listed['executionConditions']).toBeUndefined();
    const one = (await L.writer('GET', `${LW}/workflows/${id}`)).json;
    expect(one.executionConditions).toEqual(conditions);
    expect(one.tasks).toMatchObject([{ executionSequence: 1, taskDefinitionId: TASK_DEFINITIONS.addToGroups, arguments: [{ name: 'groupID', value: groupId }] }]);
    expect((await L.writer('PATCH', `${LW}/workflows/${id}`, { description: 'Marketing joiners, day one' })).status).toBe(204);
    expect((await L.writer('PATCH', `${LW}/workflows/${id}`, { executionConditions: conditions })).status).toBe(400);
    const other = ((await L.writer('GET', '/groups?$top=2&$select=id')).json.value as { id: string }[])[1]!.id;
    expect((await L.writer('POST', `${LW}/workflows/${id}/createNewVersion`, { category: 'joiner' })).status).toBe(400);
    const v2 = await L.writer('POST', `${LW}/workflows/${id}/createNewVersion`, { workflow: wf([addTo(other)]) });
    expect(v2.status).toBe(201);
    expect(v2.json).toMatchObject({ id, version: 2 });
    expect((await L.writer('GET', `${LW}/workflows/${id}`)).json.tasks[0].arguments).toEqual([{ name: 'groupID', value: other }]);
  });

  // https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflowtemplates and
  // https://learn.microsoft.com/graph/api/resources/identitygovernance-taskdefinition (docs/graph-facts.md S380)
  it("gives each task its task definition's category, not its workflow's, and refuses a definition that does not exist", async () => {
    const wf = (tasks: unknown[]) => ({
      category: 'joiner', displayName: 'Category check', isEnabled: true, isSchedulingEnabled: false,
      executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' }, tasks,
    });
    const t = (displayName: string, taskDefinitionId: string, category?: string) => ({ displayName, taskDefinitionId, arguments: [], ...(category ? { category } : {}) });
    const made = await L.writer('POST', `${LW}/workflows`, wf([
      t('Enable User Account', TASK_DEFINITIONS.enableUser), t('Send Welcome Email', TASK_DEFINITIONS.welcomeEmail, 'leaver'),
    ]));
    expect(made.status).toBe(201);
    const one = (await L.writer('GET', `${LW}/workflows/${String(made.json.id)}`)).json;
    expect((one.tasks as { category: string }[]).map((x) => x.category)).toEqual(['joiner,leaver', 'joiner']);
    expect((await L.writer('POST', `${LW}/workflows`, wf([t('Made up', '00000000-0000-0000-0000-0000000000aa')]))).status).toBe(400);
  });

  it('a deleted workflow goes to deletedItems/workflows and can be restored', async () => {
    const wf = ((await L.writer('GET', `${LW}/workflows`)).json.value as { id: string }[])[0]!;
    expect((await L.writer('DELETE', `${LW}/workflows/${wf.id}`)).status).toBe(204);
    expect((await L.writer('GET', `${LW}/workflows/${wf.id}`)).status).toBe(404);
    expect(((await L.writer('GET', `${LW}/deletedItems/workflows`)).json.value as { id: string }[]).map((w) => w.id)).toContain(wf.id);
    expect((await L.writer('POST', `${LW}/deletedItems/workflows/${wf.id}/restore`)).status).toBe(200);
    expect((await L.writer('GET', `${LW}/workflows/${wf.id}`)).status).toBe(200);
  });

  it('takes administration scope targets (administrative units) in the create body and serves them only from their navigation', async () => {
    const auIds = ((await L.writer('GET', '/directory/administrativeUnits?$select=id')).json.value as { id: string }[]).map((a) => a.id);
    expect(auIds.length).toBeGreaterThan(0);
    const au = (id: string) => ({ '@odata.type': '#microsoft.graph.administrativeUnit', id });
    const wf = (targets: unknown[]) => ({
      category: 'mover', displayName: 'On Demand workflow move', description: 'Execute real-time tasks for employee job changes', isEnabled: true, isSchedulingEnabled: false,
      executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' },
      tasks: [{ displayName: 'Enable User Account', taskDefinitionId: TASK_DEFINITIONS.enableUser, isEnabled: true, continueOnError: false, arguments: [] }],
      administrationScopeTargets: targets,
    });
    // a group is no administrative unit, an unknown id names nothing, and six are one too many
    expect((await L.writer('POST', `${LW}/workflows`, wf([au(groupId)]))).status).toBe(400);
    expect((await L.writer('POST', `${LW}/workflows`, wf([au(NOBODY)]))).status).toBe(400);
    expect((await L.writer('POST', `${LW}/workflows`, wf(Array.from({ length: 6 }, () => au(auIds[0]!))))).status).toBe(400);
    const made = await L.writer('POST', `${LW}/workflows`, wf([au(auIds[0]!)]));
    expect(made.status).toBe(201);
    const id = String(made.json.id);
    expect(made.json.administrationScopeTargets).toBeUndefined();
    expect((await L.writer('GET', `${LW}/workflows/${id}`)).json.administrationScopeTargets).toBeUndefined();
    const nav = await L.writer('GET', `${LW}/workflows/${id}/administrationScopeTargets`);
    expect(nav.status).toBe(200);
    expect((nav.json.value as Record<string, unknown>[]).map((x) => [x['@odata.type'], x['id']])).toEqual([['#microsoft.graph.administrativeUnit', auIds[0]]]);
    // PATCH cannot change them (S180)
    expect((await L.writer('PATCH', `${LW}/workflows/${id}`, { administrationScopeTargets: [] })).status).toBe(400);
  });

  it('creates a custom task extension for a Logic App; the settings singleton is patched', async () => {
    expect((await L.writer('POST', `${LW}/customTaskExtensions`, { displayName: 'x', endpointConfiguration: { '@odata.type': '#microsoft.graph.httpRequestEndpoint' }, authenticationConfiguration: { resourceId: 'a' } })).status).toBe(400);
    const ok = await L.writer('POST', `${LW}/customTaskExtensions`, {
      displayName: 'Badge', endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration', subscriptionId: 's', resourceGroupName: 'rg', logicAppWorkflowName: 'la' },
      authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdTokenAuthentication', resourceId: 'f9c5dc6b-d72b-4226-8ccd-801f7a290428' },
    });
    expect(ok.status).toBe(201);
    expect((await L.writer('PATCH', `${LW}/settings`, { workflowScheduleIntervalInHours: 2 })).status).toBe(204);
    expect((await L.writer('GET', `${LW}/settings`)).json.workflowScheduleIntervalInHours).toBe(2);
  });
});
