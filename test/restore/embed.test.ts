/**
 * Issue 11 item 3: values that embed the archived appId, tenant id or initial domain are
 * written in the target's terms (docs/graph-facts.md §3 "Values that embed an appId or the
 * tenant"). Entra refuses `api://<appId>` unless it is the application's own appId:
 * https://learn.microsoft.com/en-us/entra/identity-platform/identifier-uri-restrictions
 */
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import { compareObject, matchTenant } from '../../src/restore/diff.js';
import { compileRewrites, rewriteString, tenantRewrites } from '../../src/restore/embed.js';
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
});
