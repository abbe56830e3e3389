/**
 * A user flow's languages in the plan (src/restore/plan/user-flow-languages.ts): v1.0 documents
 * Get and List only (https://learn.microsoft.com/graph/api/resources/userflowlanguageconfiguration),
 * so isEnabled is never written but named in manual:userFlowLanguages; an override page's content is
 * PUT (https://learn.microsoft.com/graph/api/userflowlanguagepage-put) by an update whose body carries
 * only `@overridesPages` (docs/graph-facts.md S332). Ids are `<flow>/<lang>` (docs/archive-format.md §2).
 */
import { describe, expect, it } from 'vitest';
import type { DirObject } from '../../src/model.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { liveCopy, meta, sampleArchive } from './planner-fixtures.js';

const FLOW: DirObject = { id: 'B2X_1_Partner', '@odata.type': '#microsoft.graph.b2xIdentityUserFlow', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1 };
const lang = (id: string, isEnabled: boolean, pages?: DirObject['x']): DirObject => ({
  id: `B2X_1_Partner/${id}`, '@parentId': 'B2X_1_Partner', displayName: id, isEnabled, ...(pages ? { '@overridesPages': pages } : {}),
});
const PAGES = { selfasserted1_1: { contentType: 'application/json', base64: Buffer.from('{"LocalizedStrings":[]}').toString('base64') } };

describe('user flow languages in the plan', () => {
  it('PUT their pages, never write isEnabled, and name it in a manual step', () => {
    const archive = sampleArchive();
    archive.objects.b2xUserFlow = [FLOW];
    archive.objects.userFlowLanguage = [lang('de', false), lang('en', true, PAGES), lang('fr', true)];
    const live = liveCopy(archive);
    live.objects.userFlowLanguage = [lang('de', true), lang('en', true), lang('fr', true)];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const ops = plan.operations.filter((o) => o.kind === 'update' && o.type === 'userFlowLanguage');
    expect(ops.map((o) => o.kind === 'update' && [o.archivedId, Object.keys(o.body)])).toEqual([['B2X_1_Partner/en', ['@overridesPages']]]);
    const step = plan.manualSteps.find((s) => s.id === 'manual:userFlowLanguages');
    expect(step?.objects).toEqual(['B2X_1_Partner/de']);
    expect(step?.instructions).toContain('B2X_1_Partner de (de): disabled');
    // nothing to do once they match
    const same = liveCopy(archive);
    const again = buildPlan({ archive, archiveMeta: meta, live: same, scenario: 'tenant-loss' });
    expect(again.operations.filter((o) => o.kind === 'update' && o.type === 'userFlowLanguage')).toEqual([]);
    expect(again.manualSteps.find((s) => s.id === 'manual:userFlowLanguages')).toBeUndefined();
  });
});
