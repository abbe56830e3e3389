/**
 * Sign-up events flows (issue 15, `/identity/authenticationEventsFlows`) as an emulator round trip:
 * the source tenant is written through plain Graph calls (not the seed generator) with an app, a
 * custom user flow attribute and two flows, backed up through the real pipeline, restored into an
 * empty tenant, and read back through Graph's own navigations:
 * - https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventsflows (the flow's
 *   apps, identity providers and attributes are sent inline; the 201 omits them) [docs/graph-facts.md S361]
 * - https://learn.microsoft.com/graph/api/authenticationconditionsapplications-list-includeapplications,
 *   https://learn.microsoft.com/graph/api/onauthenticationmethodloadstartexternalusersselfservicesignup-list-identityproviders,
 *   https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-list-attributes [S374]
 * A recreated app has a new appId and a custom attribute a new `extension_<guid>_<name>` id in the
 * new tenant: both must be re-linked. A social identity provider is never created by a restore (its
 * secret is unreadable): the flow comes back without it, with a manual step and a fidelity deviation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { computeFidelity } from '../../src/restore/fidelity.js';
import { readLiveState } from '../../src/restore/live.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { flowNavigationPaths } from '../../src/snapshot/events-flow-navs.js';
import { EVENTS_FLOW_STEP_ID } from '../../src/restore/plan/events-flows.js';
import { backupOf, writerOf } from './emulator-fixture.js';

interface Obj { id: string; [k: string]: unknown }

const FLOWS = '/identity/authenticationEventsFlows';
const FLOW = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
const LOAD = '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp';
const COLLECT = '#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp';
const PARTNERS = 'Woodgrove partners';
const SOCIAL = 'Woodgrove social';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
let archive: TenantData;
let archiveMeta: ArchiveMeta;
let runs = 0;

async function all(g: GraphClient, path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  for await (const o of g.list<Obj>(path)) out.push(o);
  return out;
}

/** A flow's references as Graph's navigations list them, and its sign-up page's inputs. */
async function referencesOf(g: GraphClient, name: string): Promise<{ id: string; apps: string[]; providers: string[]; attributes: string[]; inputs: string[] }> {
  const flow = (await all(g, FLOWS)).find((f) => f['displayName'] === name);
  if (!flow) throw new Error(`no flow ${name}`);
  const p = flowNavigationPaths(flow.id);
  const page = (flow['onAttributeCollection'] as { attributeCollectionPage?: { views?: { inputs?: { attribute: string }[] }[] } } | null)?.attributeCollectionPage;
  return {
    id: flow.id,
    apps: (await all(g, p.apps)).map((a) => String(a['appId'])),
    providers: (await all(g, p.providers)).map((x) => x.id).sort(),
    // a flow without an attribute collection has no attributes to list (Graph answers 400, S374)
    attributes: page === undefined ? [] : (await all(g, p.attributes)).map((x) => x.id).sort(),
    inputs: (page?.views ?? []).flatMap((v) => (v.inputs ?? []).map((i) => i.attribute)),
  };
}

async function restore() {
  const { graph } = await writerOf(emu, target.tenantId, dir);
  const r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
    journalPath: join(dir, `restore-${++runs}.journal`), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter,
  });
  return { r, graph };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-events-flows-'));
  source = emptyTenant({ seed: 3731 });
  target = emptyTenant({ seed: 3732 });
  emu = await startEmulator({ port: 0, tenants: [source, target] });
  const { graph: src } = await writerOf(emu, source.tenantId, dir);
  const app = await src.post<Obj>('/applications', { displayName: 'Woodgrove Drive', signInAudience: 'AzureADMyOrg' });
  const color = await src.post<Obj>('/identity/userFlowAttributes', { displayName: 'Favoritecolor', description: 'what is your favorite color', dataType: 'string' });
  await src.post('/identity/identityProviders', { '@odata.type': '#microsoft.graph.socialIdentityProvider', displayName: 'Google', identityProviderType: 'Google', clientId: 'woodgrove.apps.googleusercontent.com', clientSecret: 'not-a-real-secret' });
  const input = (attribute: string, label: string) => ({ attribute, label, inputType: 'text', hidden: false, editable: true, writeToDirectory: true, required: false });
  await src.post(FLOWS, {
    '@odata.type': FLOW, displayName: PARTNERS, description: 'Partner sign-up', priority: 300,
    conditions: { applications: { includeApplications: [{ appId: app['appId'] }] } },
    onAuthenticationMethodLoadStart: { '@odata.type': LOAD, identityProviders: [{ id: 'EmailOtpSignup-OAUTH' }] },
    onInteractiveAuthFlowStart: { '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp', isSignUpAllowed: true },
    onAttributeCollection: {
      '@odata.type': COLLECT, attributes: [{ id: 'email' }, { id: color.id }],
      attributeCollectionPage: { views: [{ inputs: [input('email', 'Email Address'), input(color.id, 'Favorite color')] }] },
    },
  });
  await src.post(FLOWS, {
    '@odata.type': FLOW, displayName: SOCIAL,
    onAuthenticationMethodLoadStart: { '@odata.type': LOAD, identityProviders: [{ id: 'EmailOtpSignup-OAUTH' }, { id: 'Google-OAUTH' }] },
  });
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sign-up events flows survive a tenant-loss restore', () => {
  it('the archive holds each flow with the references read from its navigations, inline', () => {
    const flows = archive.objects.authenticationEventsFlow ?? [];
    expect(flows.map((f) => f['displayName']).sort()).toEqual([PARTNERS, SOCIAL]);
    const partners = flows.find((f) => f['displayName'] === PARTNERS)!;
    const appId = (archive.objects.application ?? []).find((a) => a['displayName'] === 'Woodgrove Drive')?.['appId'];
    expect(partners['conditions']).toEqual({ applications: { includeApplications: [{ appId }] } });
    expect(partners['onAuthenticationMethodLoadStart']).toEqual({ '@odata.type': LOAD, identityProviders: [{ id: 'EmailOtpSignup-OAUTH' }] });
    expect((partners['onAttributeCollection'] as { attributes: { id: string }[] }).attributes.map((a) => a.id)).toEqual(expect.arrayContaining(['email']));
    expect(partners['priority']).toBe(300);
  });

  it('restores the flows with their apps, identity providers and attributes re-linked; a second run writes nothing for them', async () => {
    const { r, graph } = await restore();
    expect(r.execution?.failures).toEqual([]);
    const app = (await all(graph, '/applications')).find((a) => a['displayName'] === 'Woodgrove Drive');
    const color = (await all(graph, '/identity/userFlowAttributes')).find((a) => a['displayName'] === 'Favoritecolor');
    const archivedColor = (archive.objects.userFlowAttribute ?? []).find((a) => a['displayName'] === 'Favoritecolor');
    // a new tenant: a new appId and a new custom attribute id, both different from the archived ones
    expect(app?.['appId']).not.toBe((archive.objects.application ?? []).find((a) => a['displayName'] === 'Woodgrove Drive')?.['appId']);
    expect(color?.id).not.toBe(archivedColor?.id);
    const partners = await referencesOf(graph, PARTNERS);
    expect(partners).toMatchObject({ apps: [app!['appId']], providers: ['EmailOtpSignup-OAUTH'], attributes: [color!.id, 'email'].sort(), inputs: ['email', color!.id] });
    expect(await graph.get<Obj>(`${FLOWS}/${partners.id}`)).toMatchObject({ description: 'Partner sign-up', priority: 300 });
    expect(r.fidelity?.deviations.filter((d) => d.type === 'authenticationEventsFlow' && d.displayName === PARTNERS)).toEqual([]);
    // the social provider is never created (its secret is unreadable): dropped, named in a manual step, a deviation
    expect((await referencesOf(graph, SOCIAL)).providers).toEqual(['EmailOtpSignup-OAUTH']);
    const step = r.plan.manualSteps.find((s) => s.id === EVENTS_FLOW_STEP_ID);
    expect(step?.instructions).toContain(`flow ${SOCIAL}: identity provider Google-OAUTH`);
    expect(r.fidelity?.deviations).toContainEqual(expect.objectContaining({ type: 'authenticationEventsFlow', displayName: SOCIAL, property: 'onAuthenticationMethodLoadStart', reason: expect.stringContaining('dropped') }));
    const again = await restore();
    expect(again.r.execution?.failures).toEqual([]);
    const flowOps = again.r.plan.operations.filter((o) => 'type' in o && o.type === 'authenticationEventsFlow');
    expect(flowOps.filter((o) => o.kind === 'create')).toEqual([]);
    expect(flowOps.filter((o) => 'archivedId' in o && (archive.objects.authenticationEventsFlow ?? []).find((f) => f.id === o.archivedId)?.['displayName'] === PARTNERS)).toEqual([]);
    // the flow that lost its social provider is planned again, and found already as the plan would write it: no write
    expect(flowOps.map((o) => o.kind)).toEqual(['update']);
    const flowOpIds = new Set(flowOps.map((o) => o.opId));
    expect(again.r.execution?.outcomes.filter((o) => flowOpIds.has(o.opId)).map((o) => o.outcome)).toEqual(flowOps.map(() => 'alreadyPresent'));
    expect((await all(graph, FLOWS)).length).toBe(2);
  }, 120_000);

  it('the final verify compares the references: a flow that lost its app is a deviation, and the next run puts the app back', async () => {
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const before = await referencesOf(graph, PARTNERS);
    // removed the documented way (https://learn.microsoft.com/graph/api/authenticationconditionapplication-delete, S382)
    for (const a of before.apps) await graph.delete(`${FLOWS}/${before.id}/conditions/applications/includeApplications/${a}`);
    expect((await referencesOf(graph, PARTNERS)).apps).toEqual([]);
    const live = await readLiveState(graph, { reporter: silentReporter, clock: systemClock });
    const { r: last } = await restore();
    const plan = last.plan;
    expect(plan.operations.some((o) => o.kind === 'update' && o.type === 'authenticationEventsFlow')).toBe(true);
    // the verify of the tampered tenant (against the last plan: no reason explains the loss)
    const report = computeFidelity(archive, live, { ...plan, operations: [], manualSteps: [] }, undefined);
    expect(report.deviations).toContainEqual(expect.objectContaining({ what: 'attributeDiffers', type: 'authenticationEventsFlow', displayName: PARTNERS, property: 'conditions' }));
    expect(last.execution?.failures).toEqual([]);
    expect((await referencesOf(graph, PARTNERS)).apps).toEqual(before.apps);
    expect(last.fidelity?.deviations.filter((d) => d.type === 'authenticationEventsFlow' && d.displayName === PARTNERS)).toEqual([]);
  }, 120_000);
});
