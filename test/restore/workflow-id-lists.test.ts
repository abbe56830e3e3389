/**
 * A lifecycle workflow task argument that holds several object ids (issue 15 item 9): Graph's
 * task arguments page (https://learn.microsoft.com/graph/identitygovernance-lifecycleworkflows-task-arguments,
 * docs/graph-facts.md S182, S270) sends a welcome mail's `cc` as "id1,id2" and an "Add user to
 * groups" task's `groupID` as "id1, id2, id3". Every id in such a list is re-linked on its own:
 * one matched live is rewritten at plan time, one the plan recreates gets its own slot (filled
 * by the executor), one nothing resolves is reported on its own.
 */
import { describe, expect, it } from 'vitest';
import type { ReferenceRule } from '../../src/catalog/types.js';
import { WORKFLOW_REFS } from '../../src/catalog/governance.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { idsInText, withIdsInText } from '../../src/restore/catalog.js';
import { substituteRefs } from '../../src/restore/execute/refs.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { LiveState } from '../../src/restore/types.js';
import { meta, user } from './planner-fixtures.js';

const ARGS = WORKFLOW_REFS[0] as ReferenceRule;
const U1 = 'e94ad2cd-d590-4b39-8e46-bb4f8e293f85';
const U2 = 'ac17d108-60cd-4eb2-a4b4-084cacda33f2';
const GONE = '068fa0c1-fa00-4f4f-8411-e968d921c3e7';
const NEW_U1 = '9d208c40-7eb6-46ff-bebd-f30148c39b47';
const NEW_U2 = '06bba22c-775e-42d8-b451-4221af061af0';

const workflow = (cc: string): DirObject => ({
  id: '182f68db-6513-4e79-9ec2-a7e89a460e7f', displayName: 'Onboard new hires', category: 'joiner', isEnabled: true, isSchedulingEnabled: false,
  executionConditions: {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(department eq 'Sales')" },
    trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
  },
  tasks: [{
    id: 't1', category: 'joiner', continueOnError: false, displayName: 'Send Welcome Email', executionSequence: 1, isEnabled: true,
    taskDefinitionId: '70b29d51-b59a-4773-9280-8841dfd3f2ea', arguments: [{ name: 'cc', value: cc }, { name: 'locale', value: 'en-us' }],
  }],
});

function plan(cc: string) {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: { user: [user(U1, 'ann@contoso.com'), user(U2, 'bob@contoso.com')], lifecycleWorkflow: [workflow(cc)] },
  };
  // a new tenant where ann exists (under a new id) and bob does not
  const live: LiveState = {
    tenantId: 'tenant-b', initialDomain: 'fresh.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fresh.onmicrosoft.com', 'contoso.com'],
    objects: { user: [user(NEW_U1, 'ann@contoso.com')] },
  };
  return buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
}

describe('a task argument holding several ids', () => {
  it('finds every id of the documented list formats, and only ids', () => {
    expect(idsInText(ARGS, `${U1},${U2}`)).toEqual([U1, U2]);
    expect(idsInText(ARGS, `${U1}, ${U2}, ${GONE}`)).toEqual([U1, U2, GONE]);
    expect(idsInText(ARGS, U1)).toEqual([U1]);
    for (const none of ['en-us', 'Managers', 'Welcome {{userDisplayName}}', `x${U1}`, `${U1}x,Sponsors`]) expect(idsInText(ARGS, none), none).toEqual([]);
    // a rule without `several` keeps to its one id (an admin consent reviewer's query)
    expect(idsInText({ pattern: '^/users/([^/]+)$' }, '/users/a')).toEqual(['a']);
  });

  it('rewrites each id in place, keeping the separators', () => {
    const map = new Map([[U1, NEW_U1], [U2, NEW_U2]]);
    expect(withIdsInText(ARGS, `${U1}, ${U2}, ${GONE}`, (id) => map.get(id))).toBe(`${NEW_U1}, ${NEW_U2}, ${GONE}`);
    // one pass: an id written is never replaced again, even when it is another archived id
    expect(withIdsInText(ARGS, `${U1},${U2}`, (id) => (id === U1 ? U2 : id === U2 ? NEW_U2 : undefined))).toBe(`${U2},${NEW_U2}`);
  });

  it('plans the workflow after the recreated user, with the live one rewritten and a slot for the other', () => {
    const p = plan(`${U1},${U2}`);
    const op = p.operations.find((o) => o.kind === 'create' && o.type === 'lifecycleWorkflow');
    if (op?.kind !== 'create') throw new Error('the workflow is created');
    const cc = () => ((op.body['tasks'] as DirObject[])[0]!['arguments'] as { name: string; value: string }[])[0]!.value;
    expect(cc()).toBe(`${NEW_U1},${U2}`);
    expect(op.refs.map((r) => [r.by, r.archivedTargetId, r.at.join('.')])).toEqual([['idInText', U2, 'tasks.0.arguments.0.value']]);
    expect(op.dependsOn).toContain(`create:user:${U2}`);
    expect(p.unresolved).toEqual([]);
    // the executor fills the slot with the recreated user's id, leaving the other id alone
    const sent = substituteRefs(op.body, op.refs, { id: (id) => (id === U2 ? NEW_U2 : undefined), appId: () => undefined }, 'workflow');
    expect(((sent['tasks'] as DirObject[])[0]!['arguments'] as { value: string }[])[0]!.value).toBe(`${NEW_U1},${NEW_U2}`);
  });

  it('reports the one id nothing resolves, by itself, and does not send the create', () => {
    const p = plan(`${U1}, ${GONE}`);
    expect(p.unresolved).toEqual([expect.objectContaining({ type: 'lifecycleWorkflow', path: 'tasks[0].arguments[0].value', value: GONE, effect: 'blocked' })]);
    expect(p.operations.some((o) => o.kind === 'create' && o.type === 'lifecycleWorkflow')).toBe(false);
  });
});
