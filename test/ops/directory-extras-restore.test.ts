/**
 * Issue 15 item 10: guests' sponsors (users and groups), custom security attribute predefined
 * values, branding localizations and the organization's notification and privacy settings come back after a tenant-loss
 * restore into a new tenant, read back through Graph:
 * https://learn.microsoft.com/graph/api/user-list-sponsors,
 * https://learn.microsoft.com/graph/api/customsecurityattributedefinition-list-allowedvalues,
 * https://learn.microsoft.com/graph/api/organization-get,
 * https://learn.microsoft.com/graph/api/organizationalbranding-list-localizations,
 * https://learn.microsoft.com/graph/api/organizationalbranding-update (the images, PUT as streams).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { DRILL_CUSTOM_CSS, DRILL_SQUARE_LOGO_PNG } from '../../src/emulator/seed/branding.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;

useSourceAndTarget('ev-dir-extras-', { seed: 47, users: 24 }, (f) => ({ dir, emu, source, target } = f));

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

describe('directory extras on a tenant-loss restore', () => {
  it('sponsors re-linked, predefined values per definition, read through Graph', { timeout: 120_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const o = archive.objects;
    const edges = archive.relations.userSponsors ?? [];
    const guests = (o.user ?? []).filter((u) => u['userType'] === 'Guest');
    expect(guests.length, 'the drill tenant has guests').toBeGreaterThan(0);
    expect(edges.length, 'sponsors archived').toBe(guests.length + 1);
    // only what these checks need (and what it depends on) is restored, to keep the test cheap;
    // the whole tenant-loss restore is test/ops/restore-emulator.test.ts's
    const KEEP = new Set(['organization', 'organizationalBranding', 'organizationalBrandingLocalization', 'domain', 'user', 'group', 'attributeSet', 'customSecurityAttributeDefinition']);
    const slim = { ...archive, objects: Object.fromEntries(Object.entries(o).filter(([t]) => KEEP.has(t))), relations: { userSponsors: edges } };
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const r = await runRestore({
      archive: slim, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'x.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    expect(r.fidelity?.deviations.filter((d) => d.relation === 'userSponsors')).toEqual([]);

    const name = (id: string): unknown => [...(o.user ?? []), ...(o.group ?? [])].find((x) => x.id === id)?.['displayName'];
    const liveUsers = await all<DirObject>(graph, '/users?$select=id,userPrincipalName,displayName,userType');
    for (const g of guests) {
      const live = liveUsers.find((u) => u['displayName'] === g['displayName'] && u['userType'] === 'Guest');
      expect(live, String(g['displayName'])).toBeDefined();
      expect(live!.id).not.toBe(g.id);
      const sponsors = await all<DirObject>(graph, `/users/${live!.id}/sponsors`);
      const want = edges.filter((e) => e.from === g.id);
      expect(sponsors.map((s) => s['displayName']).sort()).toEqual(want.map((e) => name(e.to)).sort());
      expect(sponsors.some((s) => want.some((e) => e.to === s.id)), 'sponsors are the recreated objects').toBe(false);
    }

    // predefined values, per definition (the same value id "Internal" under two of them), read through Graph
    const withValues = (o.customSecurityAttributeDefinition ?? []).filter((d) => Array.isArray(d['allowedValues']) && (d['allowedValues'] as unknown[]).length > 0);
    expect(withValues.map((d) => d.id).sort()).toEqual(['Engineering_Project', 'HumanResources_Clearance', 'HumanResources_LegacyBadge']);
    for (const d of withValues) {
      const live = await all<DirObject>(graph, `/directory/customSecurityAttributeDefinitions/${d.id}/allowedValues`);
      expect(live.map((v) => [v.id, v['isActive']]), d.id).toEqual((d['allowedValues'] as DirObject[]).map((v) => [v.id, v['isActive']]));
    }
    expect(r.fidelity?.deviations.filter((d) => d.type === 'customSecurityAttributeDefinition')).toEqual([]);
    // the organization's notification and privacy settings, patched onto the new tenant's organization
    const ORG_SETTINGS = ['marketingNotificationEmails', 'privacyProfile', 'securityComplianceNotificationMails', 'securityComplianceNotificationPhones', 'technicalNotificationMails'];
    const archivedOrg = o.organization![0]!;
    expect(archivedOrg['technicalNotificationMails'], 'the drill tenant sets them').toEqual([expect.stringContaining('@')]);
    const liveOrg = (await all<DirObject>(graph, `/organization?$select=id,${ORG_SETTINGS.join(',')}`))[0]!;
    expect(liveOrg.id).toBe(target.tenantId);
    for (const k of ORG_SETTINGS) expect(liveOrg[k], k).toEqual(archivedOrg[k]);
    // branding per locale, created under the new tenant's organization (the default "0" is the branding itself)
    const archivedLoc = o.organizationalBrandingLocalization ?? [];
    expect(archivedLoc.map((l) => l.id), 'localizations archived, without the default').toEqual(['de-DE', 'fr-FR']);
    const liveLoc = await all<DirObject>(graph, `/organization/${target.tenantId}/branding/localizations?$select=id,signInPageText,usernameHintText,backgroundColor`);
    expect(liveLoc.map((l) => l.id)).toEqual(['0', 'de-DE', 'fr-FR']);
    for (const a of archivedLoc) {
      expect(liveLoc.find((l) => l.id === a.id), a.id).toMatchObject({ signInPageText: a['signInPageText'], usernameHintText: a['usernameHintText'], backgroundColor: a['backgroundColor'] });
    }
    expect(r.fidelity?.deviations.filter((d) => d.type === 'organizationalBrandingLocalization')).toEqual([]);
    // branding images and stylesheet: archived as bytes, PUT back, read back through Graph's streams
    // (https://learn.microsoft.com/graph/api/organizationalbranding-update, docs/graph-facts.md S235)
    const archivedBrand = o.organizationalBranding![0]!;
    expect(Object.keys((archivedBrand['@streams'] ?? {}) as object), 'the default branding\'s streams archived').toEqual(['squareLogo']);
    expect(Object.keys((archivedLoc.find((l) => l.id === 'fr-FR')!['@streams'] ?? {}) as object)).toEqual(['customCSS']);
    expect(archivedLoc.find((l) => l.id === 'de-DE')!['@streams'], 'none set: nothing archived').toBeUndefined();
    const logo = await graph.getBytes(`/organization/${target.tenantId}/branding/squareLogo`);
    expect(logo?.contentType).toBe('image/png');
    expect(Buffer.from(logo!.bytes).equals(Buffer.from(DRILL_SQUARE_LOGO_PNG, 'base64'))).toBe(true);
    const css = await graph.getBytes(`/organization/${target.tenantId}/branding/localizations/fr-FR/customCSS`);
    expect(css?.contentType).toBe('text/css');
    expect(Buffer.from(css!.bytes).toString()).toBe(DRILL_CUSTOM_CSS);
    expect(await graph.getBytes(`/organization/${target.tenantId}/branding/localizations/de-DE/customCSS`)).toBeUndefined();
    // a user's value of the predefined-only Clearance was written after its values existed
    const holder = (o.user ?? []).find((u) => (u['customSecurityAttributes'] as { HumanResources?: { Clearance?: string } } | null)?.HumanResources?.Clearance);
    expect(holder, 'a user holds a Clearance value').toBeDefined();
    const liveHolder = liveUsers.find((u) => u['displayName'] === holder!['displayName'])!;
    const attrs = await graph.get<DirObject>(`/users/${liveHolder.id}?$select=customSecurityAttributes`);
    expect((attrs['customSecurityAttributes'] as { HumanResources: { Clearance: string } }).HumanResources.Clearance)
      .toBe((holder!['customSecurityAttributes'] as { HumanResources: { Clearance: string } }).HumanResources.Clearance);
  });
});
