/**
 * Organizational contacts in a plan (issue 15 item 10; docs/graph-facts.md §3 "Organizational
 * contacts"): Graph v1.0 cannot create or update a contact
 * (https://learn.microsoft.com/graph/api/resources/orgcontact), but a group member may be one
 * (https://learn.microsoft.com/graph/api/group-post-members). A contact the target holds under the
 * same mail gets its membership written to the target contact's id; a missing one is never
 * created, its membership is blocked and `manual:orgContacts` lists it.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import type { LiveState } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { meta } from './planner-fixtures.js';

const contact = (id: string, given: string, mail: string): Record<string, string> => ({ id, displayName: `${given} (Fabrikam)`, givenName: given, mail, mailNickname: `${given}Fabrikam` });
const group = { id: 'g1', displayName: 'Buyers', mailEnabled: false, mailNickname: 'buyers', securityEnabled: true, groupTypes: [] };

describe('org contacts in a plan', () => {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com',
    objects: { group: [group], orgContact: [contact('c1', 'Dana', 'dana@fabrikam.example'), contact('c2', 'Lars', 'lars@fabrikam.example')] },
    relations: { groupMembers: [{ kind: 'groupMembers', from: 'g1', to: 'c1', toType: 'orgContact' }, { kind: 'groupMembers', from: 'g1', to: 'c2', toType: 'orgContact' }] },
  };
  // the same tenant: the group is there without members; Dana's contact was recreated in Exchange (new id), Lars's was not
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.onmicrosoft.com'],
    objects: { group: [group], orgContact: [{ ...contact('x1', 'Dana', 'dana@fabrikam.example'), jobTitle: 'Buyer' }] },
  };
  const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g1', 'c1', 'c2'] } });

  it('re-links a contact the target holds by mail, and never creates or patches one', () => {
    const edges = plan.operations.filter((o) => o.kind === 'addRelation' && o.relation === 'groupMembers');
    expect(edges.map((o) => o.kind === 'addRelation' && [o.to, o.toType])).toEqual([['c1', 'orgContact']]);
    expect(plan.operations.some((o) => o.kind !== 'verify' && o.kind !== 'addRelation' && 'type' in o && o.type === 'orgContact')).toBe(false);
  });

  it('lists a missing contact in manual:orgContacts and reports its membership blocked', () => {
    const step = plan.manualSteps.find((s) => s.id === 'manual:orgContacts');
    expect(step?.objects).toEqual(['c2']);
    expect(step?.instructions).toContain('- Lars (Fabrikam): mail lars@fabrikam.example, alias LarsFabrikam');
    expect(step?.instructions).toContain('member of Buyers');
    expect(plan.unresolved.some((u) => u.path === 'groupMembers' && u.value === 'c2' && u.effect === 'blocked')).toBe(true);
    expect(plan.skipped?.some((s) => s.type === 'orgContact' && s.archivedId === 'c2')).toBe(true);
  });
});
