/**
 * The planner indexes archived objects by id. Graph's ids are unique across directory objects,
 * not across every type (a custom security attribute set is named by its name, an
 * authentication method configuration by its method), so two archived objects of different
 * types may share one: the plan says so instead of letting one shadow the other silently
 * (src/restore/plan/context.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { emptyLive, meta, sampleArchive } from './planner-fixtures.js';

describe('archived objects of different types with one id', () => {
  it('are named in a plan warning; an archive without any gets none', () => {
    const clean = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(clean.warnings.filter((w) => w.includes('share the id'))).toEqual([]);

    const archive = sampleArchive();
    archive.objects.attributeSet = [{ id: 'Fido2', description: 'a set named like a method' }];
    archive.objects.authenticationMethodConfiguration = [{ id: 'Fido2', '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' }];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const shared = plan.warnings.filter((w) => w.includes('share the id Fido2'));
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^Archived (attributeSet|authenticationMethodConfiguration) and (attributeSet|authenticationMethodConfiguration) share the id Fido2/);
  });
});
