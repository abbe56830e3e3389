/**
 * The directory audit log as the change feed of contained types (docs/archive-format.md §12.3).
 * Graph offers no delta for the collections contained in delta types (PIM for Groups schedules
 * and policies, group settings, an application's extension properties and federated
 * credentials, a service principal's app role assignments…), and they change without their
 * parent appearing in a delta round. An incremental reads `GET /auditLogs/directoryAudits`
 * from the parent's takenAt minus {@link AUDIT_OVERLAP_MS} (List directoryAudits,
 * docs/graph-facts.md S310–S311) and collects EVERY id in every event's `targetResources`,
 * whatever its category or result: the re-read parents are those ids, the changed and the
 * new ones. No per-category rule is relied on.
 */
import { GraphError } from '../graph/errors.js';
import type { GraphClient } from '../graph/types.js';

/**
 * How far before the parent's takenAt the audit events are read: an hour, far above the audit
 * log's reporting latency (2 minutes at the 95th, 5 at the 99th percentile, docs/graph-facts.md
 * S312) — an event logged late is still seen by the next run.
 */
export const AUDIT_OVERLAP_MS = 60 * 60 * 1000;
/**
 * Audit events are kept 7 days without Microsoft Entra ID P1/P2 (30 with), docs/graph-facts.md
 * S313. Equal to the delta token lifetime (./incremental.ts DELTA_TOKEN_TTL_MS): a parent older
 * than this is never the base of an incremental, so its window is always within retention.
 */
export const AUDIT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Items per page asked for (the list's page size, docs/graph-facts.md S310). */
const PAGE = 1000;

/** Ids the audit log names since `since`, or why they could not be read (the contained types are then read in full). */
export type AuditTargets = { ok: true; ids: ReadonlySet<string>; events: number } | { ok: false; reason: string };

/**
 * Every target id of every directory audit event logged at or after `since − overlap`.
 * 403 (no AuditLog.Read.All, or a tenant without the licence the API needs) and 400 are
 * answered with the reason; other errors are thrown.
 * @throws what the GraphClient throws, but for 400/403
 */
export async function readAuditTargets(graph: GraphClient, sinceIso: string, nowMs: number): Promise<AuditTargets> {
  const from = Date.parse(sinceIso) - AUDIT_OVERLAP_MS;
  if (nowMs - from >= AUDIT_RETENTION_MS) return { ok: false, reason: `the audit window starts ${((nowMs - from) / 86_400_000).toFixed(1)} days ago, beyond the audit log's 7-day retention` };
  const filter = encodeURIComponent(`activityDateTime ge ${new Date(from).toISOString()}`).replace(/\+/g, '%20');
  const ids = new Set<string>();
  let events = 0;
  try {
    for await (const ev of graph.list<{ targetResources?: Array<{ id?: unknown }> | null }>(`/auditLogs/directoryAudits?$filter=${filter}&$top=${PAGE}`)) {
      events += 1;
      for (const t of ev?.targetResources ?? []) if (typeof t?.id === 'string' && t.id) ids.add(t.id.toLowerCase());
    }
  } catch (e) {
    if (e instanceof GraphError && (e.status === 403 || e.status === 400)) {
      return { ok: false, reason: `the directory audit log answered ${e.status} (${e.message}); the app needs AuditLog.Read.All, and the tenant a licence that gives API access to the audit log` };
    }
    throw e;
  }
  return { ok: true, ids, events };
}
