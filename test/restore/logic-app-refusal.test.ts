/**
 * A custom task extension (or an access package catalog's custom workflow extension) calls an
 * Azure Logic App, and Graph also wants the caller to hold an Azure role on that Logic App: "The
 * calling user also requires one of the following Azure Resource Manager roles for the specified
 * Azure Logic App: Logic App contributor, Contributor, or Owner"
 * (https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-customtaskextensions,
 * docs/graph-facts.md S394). The emulator cannot model Azure roles, so a Graph client that answers the
 * create with 403 stands in for Graph here. The failure must name the Logic App and the next step, in
 * the executor's failures and in the progress line, not only a bare 403.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descriptor } from '../../src/catalog/index.js';
import { GraphError } from '../../src/graph/errors.js';
import type { GraphClient } from '../../src/graph/types.js';
import { RecordingReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { executePlan } from '../../src/restore/execute/executor.js';
import { logicAppRefusal } from '../../src/restore/execute/logic-apps.js';
import { openJournal, planIdentity } from '../../src/restore/execute/journal.js';
import { LOGIC_APP_ROLE_LINE, taskExtensionStep } from '../../src/restore/plan/governance.js';
import type { Plan } from '../../src/restore/types.js';
import { FakeClock } from './fixture-plan.js';

const EXT = {
  displayName: 'Grant manager access to mailbox and OneDrive',
  endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration', subscriptionId: 'c500b67c-e9b7-4ad2-a90d-77d41385ae55', resourceGroupName: 'RG-LCM', logicAppWorkflowName: 'ManagerAccess' },
};

function plan(): Plan {
  return {
    formatVersion: 1, scenario: 'tenant-loss',
    archive: { tenantId: 't-a', takenAt: '2026-12-01T00:00:00Z', manifestSha256: 'a'.repeat(64) },
    target: { tenantId: 't-b', initialDomain: 'b.onmicrosoft.com' },
    operations: [{ opId: 'create:customTaskExtension:x1', kind: 'create', tier: 3, dependsOn: [], label: 'Create custom task extension "Grant manager access"', type: 'customTaskExtension', archivedId: 'x1', body: { ...EXT }, refs: [], naturalKey: { property: 'displayName', value: EXT.displayName } }],
    idMap: {}, appIdMap: {}, domainMap: {}, unresolved: [], manualSteps: [], reportOnly: [], warnings: [],
  } as Plan;
}

/** Lists nothing; refuses every create as Graph does a caller without the Logic App role. */
function refusingGraph(): GraphClient {
  const no = () => { throw new Error('not used'); };
  return {
    get: no, delta: no, patch: no, put: no, delete: no, getBytes: no, putBytes: no, batch: no,
    // eslint-disable-next-line require-yield
    async *list() { return; },
    post: async (path: string) => {
      throw new GraphError('GRAPH_FORBIDDEN', `Graph POST ${path} is forbidden (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.)`, 'grant the app the permission the call needs', { status: 403, graphCode: 'Authorization_RequestDenied' });
    },
    stats: () => ({ requests: 0, retries: 0, throttled: 0, waitedMs: 0 }) as ReturnType<GraphClient['stats']>,
  } as GraphClient;
}

describe('a Logic App extension refused with 403', () => {
  it('fails naming the Logic App and the Azure role to grant, as the next step', async () => {
    const p = plan();
    const journal = openJournal(join(mkdtempSync(join(tmpdir(), 'ev-la-')), 'j'), planIdentity(p));
    const reporter = new RecordingReporter();
    try {
      const r = await executePlan(p, { graph: refusingGraph(), journal, reporter, clock: new FakeClock(), credentialsSink: new MemoryCredentialsSink(), enableConditionalAccess: false, catalog: descriptor, concurrency: 1 });
      expect(r.failures).toHaveLength(1);
      const f = r.failures[0]!;
      expect(f.code).toBe('GRAPH_FORBIDDEN');
      expect(f.message).toContain('403');
      expect(f.next).toBe('give the recovery app Logic App Contributor (or Contributor, or Owner) on Logic App ManagerAccess (resource group RG-LCM, subscription c500b67c-e9b7-4ad2-a90d-77d41385ae55) in Azure, then restore this object again');
      const line = reporter.events.find((e) => e.kind === 'progress' && e.outcome === 'failed');
      expect(line && 'reason' in line ? line.reason : '').toContain('; next: give the recovery app Logic App Contributor');
    } finally {
      journal.close();
    }
  });
});

describe('a Logic App extension refused for a missing Graph permission', () => {
  it('keeps the permission step: the Azure role is not what is missing', () => {
    const e = new GraphError('GRAPH_FORBIDDEN', 'Graph POST /identityGovernance/lifecycleWorkflows/customTaskExtensions is forbidden: the app lacks LifecycleWorkflows.ReadWrite.All (403 …)', 'grant the app the LifecycleWorkflows.ReadWrite.All application permission and admin-consent it', { status: 403 });
    expect(logicAppRefusal('customTaskExtension', 'Create x', { ...EXT }, e)).toBe(e);
    // and any other type's 403 is left as it is
    const other = new GraphError('GRAPH_FORBIDDEN', 'Graph POST /users is forbidden (403 Authorization_RequestDenied)', 'grant …', { status: 403 });
    expect(logicAppRefusal('user', 'Create u', {}, other)).toBe(other);
  });
});

describe('the plan of a restore that recreates a custom task extension', () => {
  it('asks for the Logic App role in its manual step, before anything is written', () => {
    const p = plan();
    const step = taskExtensionStep(p.operations, new Map([['x1', { id: 'x1', ...EXT }]]), 't-b', () => undefined);
    expect(step?.instructions.split('\n')).toContain(LOGIC_APP_ROLE_LINE);
    expect(LOGIC_APP_ROLE_LINE).toContain('Logic App Contributor');
  });
});
