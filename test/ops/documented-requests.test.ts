/**
 * Every write a tenant-loss restore sends is a request Graph's v1.0 reference documents: each
 * write of a restore of the drill tenant (which holds every catalog type) is reduced to its kind
 * (method and path, ids as `{id}`) and looked up in vendor/graph-docs/documented-requests.json,
 * which names for each kind the API page of microsoftgraph/microsoft-graph-docs-contrib, its commit
 * and the HTTP request line it documents (vendor/graph-docs/SOURCE.md). A new kind of write, or one
 * the reference does not document, fails here until it is listed with its page, or among the few
 * EXCEPTIONS below with the reason it is sent all the same. The emulator accepting a request proves
 * nothing about Graph; this list is what does.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { documentedKinds, kindOf, listed, recording, undocumentedOf } from './documented-requests.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget, type SourceAndTarget } from './source-target.js';

let f: SourceAndTarget;
useSourceAndTarget('ev-documented-', { seed: 71, users: 12 }, (x) => { f = x; });

describe('the writes of a tenant-loss restore are documented requests', () => {
  it('every kind of write is on the vendored list with its page, or an exception with its reason', { timeout: 300_000 }, async () => {
    for (const e of listed) if (e.documented === true) expect(e.page?.commit, `${e.method} ${e.path}`).toMatch(/^[0-9a-f]{40}$/);
    const { archive, archiveMeta } = await backupOf(f.emu, f.source.tenantId, join(f.dir, 'source'));
    const { graph } = await writerOf(f.emu, f.target.tenantId, f.dir);
    const kinds = new Set<string>();
    const r = await runRestore({
      archive, archiveMeta, graph: recording(graph, kinds), targetTenantId: f.target.tenantId, scenario: 'tenant-loss', dryRun: false,
      confirmTenantId: f.target.tenantId, journalPath: join(f.dir, 'documented.journal'), credentialsSink: new MemoryCredentialsSink(),
      reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    // the restore wrote: far more kinds than the exceptions
    expect(kinds.size).toBeGreaterThan(80);
    expect(undocumentedOf(kinds)).toEqual([]);
  });

  it('the reduction keeps what tells two requests apart', () => {
    expect(kindOf('PATCH', '/roleManagement/directory/roleAssignmentSchedules/c83c5bc2-58ac-44d9-a11c-1df698d3c7c5')).toBe('PATCH /roleManagement/directory/roleAssignmentSchedules/{id}');
    expect(kindOf('POST', '/groups/0b3c1a2e-0000-4000-8000-000000000001/members/$ref')).toBe('POST /groups/{id}/members/$ref');
    expect(kindOf('PUT', '/organization/0b3c1a2e-0000-4000-8000-000000000001/branding/localizations/fr-FR/customCSS')).toBe('PUT /organization/{id}/branding/localizations/{id}/customCSS');
    // a PATCH of a schedule is no documented request: it would fail here
    const documented = documentedKinds();
    expect(documented.has('PATCH /roleManagement/directory/roleAssignmentSchedules/{id}')).toBe(false);
    expect(documented.has('POST /roleManagement/directory/roleAssignmentScheduleRequests')).toBe(true);
  });
});
