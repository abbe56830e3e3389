/**
 * Contained ids Graph repeats under every parent (a user flow's attribute assignment is named by
 * its attribute, https://learn.microsoft.com/graph/api/b2xidentityuserflow-list-userattributeassignments,
 * docs/graph-facts.md S251) are archived as `<parentId>/<graph id>` (docs/archive-format.md §2
 * "Contained ids", src/catalog/contained-ids.ts); Graph paths use the Graph id; no type archived
 * by an earlier release changes its ids.
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import { archiveIdOf, graphIdOf, scopedArchiveId } from '../../src/catalog/contained-ids.js';
import { define, ms } from '../../src/catalog/define.js';
import { collectionPath, itemPath, type ExecDescriptor } from '../../src/restore/execute/endpoints.js';

const scoped: ExecDescriptor = {
  type: 'b2xUserFlow', path: '/identity/b2xUserFlows/{parentId}/userAttributeAssignments', shape: 'contained',
  naturalKey: [], softDelete: 'hard', parentType: 'b2xUserFlow', idScopedByParent: true,
};

describe('contained ids scoped by their parent', () => {
  it('are <parentId>/<graph id> in the archive and the Graph id on the wire', () => {
    const a = scopedArchiveId('B2X_1_Partner', 'City');
    const b = scopedArchiveId('B2X_1_Staff', 'City');
    expect(a).toBe('B2X_1_Partner/City');
    expect(a).not.toBe(b);
    expect(graphIdOf(scoped, a, 'B2X_1_Partner')).toBe('City');
    // a Graph answer (a create's id) is scoped once, an archive id passes through
    expect(archiveIdOf(scoped, 'City', 'B2X_1_Partner')).toBe(a);
    expect(archiveIdOf(scoped, a, 'B2X_1_Partner')).toBe(a);
    expect(itemPath(scoped, a, 'B2X_1_Partner')).toBe('/identity/b2xUserFlows/B2X_1_Partner/userAttributeAssignments/City');
    expect(collectionPath(scoped, 'B2X_1_Partner')).toBe('/identity/b2xUserFlows/B2X_1_Partner/userAttributeAssignments');
  });
  it('leave every other type as Graph names it', () => {
    const plain: ExecDescriptor = { ...scoped, idScopedByParent: undefined };
    expect(graphIdOf(plain, 'B2X_1_Partner/City', 'B2X_1_Partner')).toBe('B2X_1_Partner/City');
    expect(archiveIdOf(plain, 'City', 'B2X_1_Partner')).toBe('City');
    expect(itemPath(plain, 'fr-FR', '0')).toBe('/identity/b2xUserFlows/0/userAttributeAssignments/fr-FR');
  });
  it('are set on contained types only, and only on the types listed here', () => {
    expect(() => define({ type: 'b2xUserFlow', entityType: ms('b2xIdentityUserFlow'), title: 'x', path: '/x', shape: 'collection', requiredOnCreate: [],
      naturalKey: [], softDelete: 'hard', tier: 2, permissions: { read: 'a', write: 'b' }, idScopedByParent: true })).toThrow(/no parentType/);
    // archives of earlier releases keep restoring: a type joins this list only when it is new
    expect(catalog.filter((d) => d.idScopedByParent).map((d) => d.type)).toEqual(['userFlowAttributeAssignment', 'userFlowLanguage']);
  });
});
