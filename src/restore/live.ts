/**
 * Reads the live state of a restore target: every catalog type and relation (through
 * the backup engine's walker, so live and archive are read the same way), the recycle
 * bins a restore takes objects back from, and the verified domains. Read-only: only GETs (and read-only $batch of GETs).
 */
import type { ResourceType } from '../catalog/types.js';
import { descriptor } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { isVaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject } from '../model.js';
import type { Reporter } from '../progress.js';
import { MemorySink } from '../snapshot/sink.js';
import { walkTenant } from '../snapshot/walker.js';
import type { LiveState } from './types.js';
import type { CompactUsers } from './compact-users.js';

export interface ReadLiveOptions {
  reporter: Reporter;
  clock: Clock;
  /** The target tenant id (the profile's); used when /organization cannot be read. */
  tenantId: string;
  /** Restrict to these types (object/attribute scenarios); default all. */
  types?: readonly ResourceType[];
  concurrency?: number;
  /** Users are kept compact here, the state holding their slim copies (./compact-users.ts): the final verify's read. */
  users?: CompactUsers;
}

/** Recycle-bin casts (docs/graph-facts.md §4: the cast is mandatory). */
const DIRECTORY_BIN: readonly ResourceType[] = ['user', 'group', 'application', 'servicePrincipal', 'administrativeUnit'];
/*
 * The Conditional Access bin is not read: a restore recreates deleted policies and named
 * locations, since Graph offers an application no restore from it (docs/graph-facts.md S392).
 */
/** Deleted lifecycle workflows, 30 days (docs/graph-facts.md S183, S271). */
const WORKFLOW_BIN: readonly { type: ResourceType; path: string }[] = [
  { type: 'lifecycleWorkflow', path: '/identityGovernance/lifecycleWorkflows/deletedItems/workflows' },
];

/**
 * Reads the whole target into memory.
 * @throws VaultError GRAPH_AUTH | GRAPH_UNAVAILABLE when the tenant cannot be read at all;
 *   a recycle bin the app may not read becomes a reporter warning (empty bin), never a crash.
 * Never writes to the tenant.
 */
export async function readLiveState(graph: GraphClient, opts: ReadLiveOptions): Promise<LiveState> {
  const users = opts.users;
  const sink = new MemorySink(users ? { type: 'user', hold: (u) => users.hold(u) } : undefined);
  await walkTenant({ graph, sink, reporter: opts.reporter, clock: opts.clock, phase: 'live', ...(opts.types ? { types: opts.types } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  opts.reporter.report({ kind: 'phase', phase: 'live', message: 'reading recycle bins and domains' });

  const deleted: LiveState['deleted'] = {};
  const wanted = (t: ResourceType) => !opts.types || opts.types.includes(t);
  for (const t of DIRECTORY_BIN) {
    if (!wanted(t)) continue;
    const d = descriptor(t);
    const select = d.properties.length ? `?$select=${d.properties.join(',')}` : '';
    const items = await readBin(graph, `/directory/deletedItems/${d.entityType}${select}`, t, opts.reporter);
    if (items.length) deleted[t] = items;
  }
  for (const b of WORKFLOW_BIN) {
    if (!wanted(b.type)) continue;
    const items = await readBin(graph, b.path, b.type, opts.reporter);
    if (items.length) deleted[b.type] = items;
  }

  const domains = (sink.objects.domain ?? []) as DirObject[];
  const verifiedDomains = domains.filter((d) => d.isVerified === true).map((d) => String(d.id)).sort();
  const initial = domains.find((d) => d.isInitial === true);
  const org = (sink.objects.organization ?? [])[0];
  const tenantId = typeof org?.id === 'string' ? org.id : opts.tenantId;
  const data = sink.toTenantData(tenantId, typeof initial?.id === 'string' ? initial.id : '');
  return { ...data, deleted, verifiedDomains };
}

async function readBin(graph: GraphClient, path: string, type: ResourceType, reporter: Reporter): Promise<DirObject[]> {
  const out: DirObject[] = [];
  try {
    for await (const o of graph.list<DirObject>(path)) {
      if (o && typeof o.id === 'string') {
        const { ['@odata.context']: _c, ['@odata.etag']: _e, ...rest } = o as DirObject & Record<string, unknown>;
        out.push(rest as DirObject);
      }
    }
  } catch (e) {
    if (!isVaultError(e)) throw e;
    if (e.code === 'GRAPH_AUTH' || e.code === 'GRAPH_UNAVAILABLE') throw e;
    reporter.report({ kind: 'warning', code: 'READ_FAILED', message: `recycle bin for ${type} not read: ${e.message}` });
    return [];
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
