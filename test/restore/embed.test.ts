/**
 * Issue 11 item 3: values that embed the archived appId, tenant id or initial domain are
 * written in the target's terms (docs/graph-facts.md §3 "Values that embed an appId or the
 * tenant"). Entra refuses `api://<appId>` unless it is the application's own appId:
 * https://learn.microsoft.com/en-us/entra/identity-platform/identifier-uri-restrictions
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { compareObject, matchTenant } from '../../src/restore/diff.js';
import { compileRewrites, embeddedIn, rewriteString, tenantRewrites, type Rewrite } from '../../src/restore/embed.js';
import { substituteRefs } from '../../src/restore/execute/refs.js';
import { plannerCatalog } from '../../src/restore/fidelity.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import { APP_ID, emptyLive, meta, sampleArchive } from './planner-fixtures.js';

const NEW_APP_ID = '99999999-8888-7777-6666-555555555555';

function embeddingArchive(): TenantData {
  const a = sampleArchive();
  const app = a.objects.application?.[0] as DirObject;
  app['identifierUris'] = [`api://${APP_ID}`, 'https://contoso.onmicrosoft.com/payroll'];
  app['web'] = { redirectUris: ['https://contoso.onmicrosoft.com/cb'], logoutUrl: 'https://login.microsoftonline.com/tenant-a/logout' };
  const sp = a.objects.servicePrincipal?.[0] as DirObject;
  sp['servicePrincipalNames'] = [APP_ID, `api://${APP_ID}`];
  const bob = a.objects.user?.[1] as DirObject;
  bob['identities'] = [{ signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: 'bob@contoso.com' }];
  return a;
}

const opOf = (ops: Operation[], id: string): Operation | undefined => ops.find((o) => o.opId === id);

describe('values embedding the archived appId or tenant (issue 11 item 3)', () => {
  it("a recreated app's own api://<appId> is not sent on create; a follow-up update writes it with the new appId", () => {
    const plan = buildPlan({ archive: embeddingArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const create = opOf(plan.operations, 'create:application:app-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['identifierUris']).toBeUndefined();
    const follow = plan.operations.find((o) => o.kind === 'update' && o.archivedId === 'app-1') as Extract<Operation, { kind: 'update' }>;
    expect(follow).toBeDefined();
    expect(follow.dependsOn).toContain(create.opId);
    // the initial domain is the target's; the appId waits for execution
    expect(follow.body['identifierUris']).toEqual([`api://${APP_ID}`, 'https://fresh.onmicrosoft.com/payroll']);
    expect(follow.refs).toContainEqual({ at: ['identifierUris', 0], by: 'appId', archivedTargetId: 'app-1', targetType: 'application', embedded: APP_ID });
    expect(plan.operations.indexOf(follow)).toBeGreaterThan(plan.operations.indexOf(create));
    expect(plan.warnings.some((w) => w.includes('identifierUris') && w.includes(APP_ID))).toBe(true);
    // executed: the slot writes the live appId into the URI
    const sent = substituteRefs(follow.body, follow.refs, { id: () => undefined, appId: (t, a) => (t === 'app-1' && a === APP_ID ? NEW_APP_ID : undefined) }, follow.label);
    expect(sent['identifierUris']).toEqual([`api://${NEW_APP_ID}`, 'https://fresh.onmicrosoft.com/payroll']);
  });

  it("other values are remapped: service principal names, reply URLs, the tenant id, identities' issuer", () => {
    const plan = buildPlan({ archive: embeddingArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const follow = plan.operations.find((o) => o.kind === 'update' && o.archivedId === 'app-1') as Operation;
    const create = opOf(plan.operations, 'create:application:app-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['web']).toEqual({ redirectUris: ['https://fresh.onmicrosoft.com/cb'], logoutUrl: 'https://login.microsoftonline.com/tenant-b/logout' });
    const sp = opOf(plan.operations, 'create:servicePrincipal:sp-1') as Extract<Operation, { kind: 'create' }>;
    expect(sp.refs).toContainEqual({ at: ['servicePrincipalNames', 1], by: 'appId', archivedTargetId: 'app-1', targetType: 'application', embedded: APP_ID });
    expect(sp.dependsOn).toContain(follow.opId);
    const sent = substituteRefs(sp.body, sp.refs, { id: () => undefined, appId: () => NEW_APP_ID }, sp.label);
    expect(sent['servicePrincipalNames']).toEqual([NEW_APP_ID, `api://${NEW_APP_ID}`]);
    const bob = opOf(plan.operations, 'create:user:u-bob') as Extract<Operation, { kind: 'create' }>;
    expect(bob.body['identities']).toEqual([{ signInType: 'userPrincipalName', issuer: 'fresh.onmicrosoft.com', issuerAssignedId: 'bob@contoso.com' }]);
    expect(plan.warnings.some((w) => w.includes('contoso.onmicrosoft.com → fresh.onmicrosoft.com'))).toBe(true);
  });

  it('the warning of tenant rewrites names only values that embed the archived tenant, not every GUID', () => {
    // tenant ids are GUIDs in Entra: the rewriter matches GUIDs by shape (issue 17 item 2), so
    // the warning must still check each match against the rewrites (a 100k-user plan once
    // listed every property holding any GUID: appId, principalId, resourceId…)
    const A = 'aaaaaaaa-0000-4000-8000-000000000001';
    const B = 'bbbbbbbb-0000-4000-8000-000000000002';
    const archive = embeddingArchive();
    archive.tenantId = A;
    const app = archive.objects.application?.[0] as DirObject;
    app['web'] = { redirectUris: ['https://contoso.onmicrosoft.com/cb'], logoutUrl: `https://login.microsoftonline.com/${A}/logout` };
    const plan = buildPlan({ archive, archiveMeta: { ...meta, tenantId: A }, live: { ...emptyLive(), tenantId: B }, scenario: 'tenant-loss' });
    const w = plan.warnings.find((x) => x.startsWith('Values embedding the archived tenant'));
    expect(w).toBe(`Values embedding the archived tenant (${A} → ${B}, contoso.onmicrosoft.com → fresh.onmicrosoft.com) are written in the target's terms: identifierUris (1), identities (1), web (1)`);
  });

  it('the diff compares after the same rewrite: the recreated app with its new appId is equal', () => {
    const archive = embeddingArchive();
    const live = emptyLive();
    const liveApp: DirObject = { ...(archive.objects.application?.[0] as DirObject), id: 'app-new', appId: NEW_APP_ID, identifierUris: [`api://${NEW_APP_ID}`, 'https://fresh.onmicrosoft.com/payroll'], web: { redirectUris: ['https://fresh.onmicrosoft.com/cb'], logoutUrl: 'https://login.microsoftonline.com/tenant-b/logout' } };
    live.objects = { application: [liveApp] };
    const m = matchTenant(plannerCatalog, archive, live);
    expect(m.appIdMap.get(APP_ID)).toBe(NEW_APP_ID);
    const changes = compareObject(plannerCatalog.descriptor('application'), archive.objects.application?.[0] as DirObject, liveApp, m);
    expect(changes.map((c) => c.property)).not.toContain('identifierUris');
    expect(changes.map((c) => c.property)).not.toContain('web');
  });

  it('rewrites whole tokens only, case-insensitively, and nothing within the same tenant', () => {
    const rw = compileRewrites(tenantRewrites({ tenantId: 't1', initialDomain: 'contoso.onmicrosoft.com' }, { tenantId: 't2', initialDomain: 'fresh.onmicrosoft.com' }));
    expect(rewriteString('https://Contoso.onmicrosoft.com/x', rw)).toBe('https://fresh.onmicrosoft.com/x');
    expect(rewriteString('https://xcontoso.onmicrosoft.com/x', rw)).toBe('https://xcontoso.onmicrosoft.com/x');
    expect(tenantRewrites({ tenantId: 't1', initialDomain: 'a.onmicrosoft.com' }, { tenantId: 'T1', initialDomain: 'A.onmicrosoft.com' })).toEqual([]);
  });

  // The rewriter matches GUID-shaped `from`s by shape and looks them up (issue 17 item 2: one
  // alternation of every recreated appId cost time per string in proportion to the number of
  // applications). It must find and replace exactly what that alternation did.
  it('matches GUIDs by shape and looks them up: the same result as one alternation of every from', () => {
    const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
    const hexs = (n: number) => fc.array(hex, { minLength: n, maxLength: n }).map((a) => a.join(''));
    const guid = fc.tuple(hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)).map((p) => p.join('-'));
    const domain = fc.constantFrom('contoso.onmicrosoft.com', 'a-b.onmicrosoft.com', '11111111-2222-3333-4444-555555555555.onmicrosoft.com');
    const glue = fc.constantFrom('', '/', 'api://', ' ', 'x', '-', '.', '=', '1', ',');
    fc.assert(fc.property(fc.array(guid, { minLength: 1, maxLength: 6 }), fc.array(guid, { maxLength: 3 }), fc.array(fc.tuple(glue, fc.oneof(guid, domain)), { maxLength: 8 }), fc.boolean(), (froms, strangers, parts, withDomain) => {
      const rewrites: Rewrite[] = froms.map((f, i) => ({ from: f, to: `new-${i}`, what: 'appId' }));
      // a domain whose first label is GUID-shaped: the literal must win over the GUID at that position
      if (withDomain) rewrites.push({ from: 'contoso.onmicrosoft.com', to: 'fresh.onmicrosoft.com', what: 'initialDomain' }, { from: '11111111-2222-3333-4444-555555555555.onmicrosoft.com', to: 'g.onmicrosoft.com', what: 'initialDomain' });
      const rw = compileRewrites(rewrites);
      // the reference: the alternation of every from, longest first, as the rewriter once was
      const alts = [...rw.byFrom.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const ref = new RegExp(`(?<![A-Za-z0-9-])(?:${alts.join('|')})(?![A-Za-z0-9-])`, 'gi');
      const s = parts.map(([g, v]) => g + v).join('') + strangers.join(' ');
      const expected = s.replace(ref, (m) => rw.byFrom.get(m.toLowerCase())?.to ?? m);
      expect(rewriteString(s, rw)).toBe(expected);
      const seen = new Set([...s.matchAll(ref)].map((m) => m[0].toLowerCase()));
      expect(embeddedIn(s, rw)).toEqual(rw.rewrites.filter((r) => seen.has(r.from.toLowerCase())));
    }), { numRuns: 300 });
    // a GUID that is no `from`, and a `from` inside a longer token, stay as they are
    const rw = compileRewrites([{ from: APP_ID, to: NEW_APP_ID, what: 'appId' }]);
    expect(rewriteString(`api://${APP_ID} 12345678-1234-1234-1234-123456789012 x${APP_ID}`, rw)).toBe(`api://${NEW_APP_ID} 12345678-1234-1234-1234-123456789012 x${APP_ID}`);
  });
});
