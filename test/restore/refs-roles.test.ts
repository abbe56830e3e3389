/**
 * Role references at execution time (issue 11 item 2): an assignment or PIM schedule
 * names its role definition by object id, which a recreated custom role changes (its
 * templateId need not equal its id); a CA policy names roles by template id, which a
 * custom role is recreated with.
 */
import { describe, expect, test } from 'vitest';
import { substituteRefs, type LiveIds } from '../../src/restore/execute/refs.js';
import type { RefSlot } from '../../src/restore/types.js';

const ids = (m: Record<string, string>): LiveIds => ({ id: (a) => m[a], appId: () => undefined });

describe('substituteRefs: role references', () => {
  test('roleDefinitionId is swapped for the recreated role definition\'s live id', () => {
    const slot: RefSlot = { at: ['roleDefinitionId'], by: 'roleDefinitionId', archivedTargetId: 'old-role', targetType: 'roleDefinition' };
    const out = substituteRefs({ roleDefinitionId: 'old-role', principalId: 'p' }, [slot], ids({ 'old-role': 'new-role' }), 'Create assignment');
    expect(out['roleDefinitionId']).toBe('new-role');
  });

  test('roleDefinitionId without a live role definition blocks the op (never sends the archived id)', () => {
    const slot: RefSlot = { at: ['roleDefinitionId'], by: 'roleDefinitionId', archivedTargetId: 'old-role', targetType: 'roleDefinition' };
    expect(() => substituteRefs({ roleDefinitionId: 'old-role' }, [slot], ids({}), 'Create assignment')).toThrow(/no live counterpart/);
  });

  test('a CA template-id reference keeps the template id', () => {
    const slot: RefSlot = { at: ['conditions', 'users', 'includeRoles', 0], by: 'roleTemplateId', archivedTargetId: 'tpl', targetType: 'roleDefinition' };
    const out = substituteRefs({ conditions: { users: { includeRoles: ['tpl'] } } }, [slot], ids({ tpl: 'new-role' }), 'Create CA');
    expect(out['conditions']).toEqual({ users: { includeRoles: ['tpl'] } });
  });
});
