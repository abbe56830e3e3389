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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget, type SourceAndTarget } from './source-target.js';

interface Entry { method: string; path: string; documented: boolean | null; page: { path: string; commit: string } | null; requestLine: string | null }
const listed = JSON.parse(readFileSync(new URL('../../vendor/graph-docs/documented-requests.json', import.meta.url), 'utf8')) as Entry[];

/** Kinds sent although no v1.0 request line names them, each with why. */
const EXCEPTIONS: Record<string, string> = {
  // the default branding's images: the current update page says "To update Stream data types ...
  // use the PUT method" and documents PUT only under localizations; an older version PATCHes
  // /branding/bannerLogo (docs/graph-facts.md S235)
  'PUT /organization/{id}/branding/{stream}': 'stream PUT of the default branding (S235)',
  // "Assign appManagementPolicy" documents the application form; its example 2 assigns a policy to a
  // service principal this way (appmanagementpolicy-post-appliesto.md)
  'POST /servicePrincipals/{id}/appManagementPolicies/$ref': 'shown by the page\'s example 2',
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A write's kind: its path with ids, names and keys as `{id}` (the vendored list's form). */
export function kindOf(method: string, path: string): string {
  let p = path.split('?')[0]!.replace(GUID, '{id}');
  p = p.replace(/\(sourceId='[^']*'\)/, "(sourceId='{sourceId}')")
    .replace(/\/b2xUserFlows\/B2X_1_[A-Za-z0-9_]+/, '/b2xUserFlows/{id}')
    .replace(/\/rules\/[A-Za-z_]+/, '/rules/{ruleId}')
    .replace(/(DirectoryRole|Group)_\{id\}_\{id\}/, '{id}')
    .replace(/\/authenticationContextClassReferences\/c\d+/, '/authenticationContextClassReferences/{id}')
    .replace(/\/authenticationMethodConfigurations\/[A-Za-z0-9]+/, '/authenticationMethodConfigurations/{id}')
    .replace(/\/permissionGrantPolicies\/[a-z0-9-]+\//, '/permissionGrantPolicies/{id}/')
    .replace(/\/languages\/[a-zA-Z-]+\/overridesPages\/[A-Za-z0-9_]+/, '/languages/{id}/overridesPages/{id}')
    .replace(/\/localizations\/[a-zA-Z-]+\//, '/localizations/{id}/');
  if (/^\/organization\/\{id\}\/branding\/[A-Za-z]+$/.test(p)) p = '/organization/{id}/branding/{stream}';
  return `${method} ${p}`;
}

/** The client, recording the kind of every write (the `$batch` sub-requests included). */
function recording(g: GraphClient, kinds: Set<string>): GraphClient {
  return {
    ...g,
    get: g.get.bind(g), list: g.list.bind(g), delta: g.delta.bind(g), getBytes: g.getBytes.bind(g), stats: g.stats.bind(g),
    post: async (p, b, h) => { kinds.add(kindOf('POST', p)); return g.post(p, b, h); },
    patch: async (p, b, h) => { kinds.add(kindOf('PATCH', p)); return g.patch(p, b, h); },
    put: async (p, b, h) => { kinds.add(kindOf('PUT', p)); return g.put(p, b, h); },
    delete: async (p, h) => { kinds.add(kindOf('DELETE', p)); return g.delete(p, h); },
    putBytes: async (p, bytes, ct) => { kinds.add(kindOf('PUT', p)); return g.putBytes(p, bytes, ct); },
    batch: async (reqs) => { for (const r of reqs) if (r.method !== 'GET') kinds.add(kindOf(r.method, r.url)); return g.batch(reqs); },
  };
}

let f: SourceAndTarget;
useSourceAndTarget('ev-documented-', { seed: 71, users: 12 }, (x) => { f = x; });

describe('the writes of a tenant-loss restore are documented requests', () => {
  it('every kind of write is on the vendored list with its page, or an exception with its reason', { timeout: 300_000 }, async () => {
    for (const e of listed) if (e.documented === true) expect(e.page?.commit, `${e.method} ${e.path}`).toMatch(/^[0-9a-f]{40}$/);
    const documented = new Set(listed.filter((e) => e.documented === true).map((e) => kindOf(e.method, e.path)));
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
    const undocumented = [...kinds].filter((k) => !documented.has(k) && !(k in EXCEPTIONS)).sort();
    expect(undocumented).toEqual([]);
  });

  it('the reduction keeps what tells two requests apart', () => {
    expect(kindOf('PATCH', '/roleManagement/directory/roleAssignmentSchedules/c83c5bc2-58ac-44d9-a11c-1df698d3c7c5')).toBe('PATCH /roleManagement/directory/roleAssignmentSchedules/{id}');
    expect(kindOf('POST', '/groups/0b3c1a2e-0000-4000-8000-000000000001/members/$ref')).toBe('POST /groups/{id}/members/$ref');
    expect(kindOf('PUT', '/organization/0b3c1a2e-0000-4000-8000-000000000001/branding/localizations/fr-FR/customCSS')).toBe('PUT /organization/{id}/branding/localizations/{id}/customCSS');
    // a PATCH of a schedule is no documented request: it would fail here
    const documented = new Set(listed.filter((e) => e.documented === true).map((e) => kindOf(e.method, e.path)));
    expect(documented.has('PATCH /roleManagement/directory/roleAssignmentSchedules/{id}')).toBe(false);
    expect(documented.has('POST /roleManagement/directory/roleAssignmentScheduleRequests')).toBe(true);
  });
});
