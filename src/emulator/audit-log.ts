/**
 * The directory audit log (`/auditLogs/directoryAudits`, docs/graph-facts.md S310–S312): every
 * write the emulator admits and answers with success is recorded as a directoryAudit whose
 * `targetResources` name the object written and, for a contained write, its parent object
 * (a PIM for Groups request targets the group and the principal, a federated credential write
 * the application, an app role assignment the principal and the resource). The list answers the
 * `$filter` forms its page documents for `activityDateTime` (`ge`, `le`, joined by `and`),
 * `$top` and `$orderby activityDateTime`, pages by nextLink; any other filter is a 400.
 * Reading needs AuditLog.Read.All (S310); the log lives in memory for the emulator's lifetime.
 */
import type { Answer, Ctx } from './context.js';
import { Interner } from '../intern.js';
import { badRequest, forbidden, GraphHttpError } from './graph-error.js';

/** One recorded directoryAudit, as the resource page lists its properties (S311). */
export interface DirectoryAuditRecord {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category: string;
  correlationId: string;
  loggedByService: string;
  operationType: string;
  result: 'success';
  resultReason: string;
  additionalDetails: Array<{ key: string; value: string }>;
  initiatedBy: { app: { appId: string; displayName: string | null; servicePrincipalId: string | null; servicePrincipalName: string | null }; user: null };
  targetResources: Array<{ id: string; displayName: string | null; type: string; userPrincipalName: string | null; groupType: null; modifiedProperties: [] }>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Request body properties that name another directory object a write links (PIM requests, app role assignments). */
const LINKED_PROPS = ['principalId', 'groupId', 'resourceId', 'directoryScopeId'] as const;
/** Graph answers at most this many items per page of this list (and refuses a larger `$top`). */
export const AUDIT_MAX_TOP = 1000;

const TYPE_NAMES: Record<string, string> = { user: 'User', group: 'Group', application: 'Application', servicePrincipal: 'ServicePrincipal', device: 'Device', administrativeUnit: 'AdministrativeUnit' };

/**
 * One recorded write, as kept: the figures its directoryAudit is made of, without the record's
 * constant parts. A 100k-user restore writes about 350,000 times; as full records the log was
 * about 700 bytes a write (some 240 MB of the emulator's heap at the end of the run, whose
 * collections then cost more per write: issue 17 item 2), as rows about a third of that. The
 * record a reader gets is built from its row (toRecord), equal to what was stored before.
 */
interface AuditRow {
  id: string;
  correlationId: string;
  /** activityDateTime, epoch milliseconds (the clock's own precision). */
  at: number;
  /** Interned: a few dozen distinct names. */
  activityDisplayName: string;
  category: string;
  loggedByService: string;
  operationType: string;
  appId: string;
  /** Per target: id, displayName, type, userPrincipalName, flat (displayName and UPN as at the write). */
  targets: Array<string | null>;
}

const TARGET_FIELDS = 4;

function audits(ctx: Pick<Ctx, 'rt'>): AuditRow[] {
  const rt = ctx.rt as typeof ctx.rt & { audits?: AuditRow[] };
  return (rt.audits ??= []);
}

/** Activity names, interned: one string per distinct name (a few dozen) instead of one per write. */
const ACTIVITY_NAMES = new Interner();

/** The directoryAudit a row records (S311): a new object at every read, never shared. */
function toRecord(r: AuditRow): DirectoryAuditRecord {
  const targetResources: DirectoryAuditRecord['targetResources'] = [];
  for (let i = 0; i < r.targets.length; i += TARGET_FIELDS) {
    targetResources.push({ id: r.targets[i] as string, displayName: r.targets[i + 1] ?? null, type: r.targets[i + 2] as string, userPrincipalName: r.targets[i + 3] ?? null, groupType: null, modifiedProperties: [] });
  }
  return {
    id: r.id,
    activityDateTime: new Date(r.at).toISOString(),
    activityDisplayName: r.activityDisplayName,
    category: r.category,
    correlationId: r.correlationId,
    loggedByService: r.loggedByService,
    operationType: r.operationType,
    result: 'success',
    resultReason: '',
    additionalDetails: [],
    initiatedBy: { app: { appId: r.appId, displayName: null, servicePrincipalId: null, servicePrincipalName: null }, user: null },
    targetResources,
  };
}

function category(segs: string[]): { category: string; service: string } {
  const path = segs.join('/').toLowerCase();
  if (path.includes('privilegedaccess') || path.includes('rolemanagement')) return { category: 'RoleManagement', service: 'PIM' };
  const head = (segs[0] ?? '').toLowerCase();
  if (head === 'users') return { category: 'UserManagement', service: 'Core Directory' };
  if (head === 'groups') return { category: 'GroupManagement', service: 'Core Directory' };
  if (head === 'applications' || head === 'serviceprincipals') return { category: 'ApplicationManagement', service: 'Core Directory' };
  if (head === 'policies' || head === 'identity') return { category: 'Policy', service: 'Core Directory' };
  return { category: 'DirectoryManagement', service: 'Core Directory' };
}

/** Every directory object id a successful write names: path ids, the created object's id, linked ids in the body. */
function targetIds(ctx: Ctx, ans: Answer): string[] {
  const ids = new Set<string>();
  for (const s of ctx.segs) {
    if (GUID.test(s)) ids.add(s.toLowerCase());
    // a contained object named in the path (a PIM for Groups policy `Group_<groupId>_…`): its owner too
    const hit = ctx.rt.store.anyLive(s)?.obj as Record<string, unknown> | undefined;
    if (!hit) continue;
    ids.add(s.toLowerCase());
    for (const p of ['groupId', 'scopeId'] as const) if (typeof hit[p] === 'string' && GUID.test(hit[p] as string)) ids.add((hit[p] as string).toLowerCase());
  }
  const created = ans.body as { id?: unknown } | undefined;
  if (created && typeof created.id === 'string') ids.add(created.id.toLowerCase());
  const body = ctx.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object') {
    for (const p of LINKED_PROPS) if (typeof body[p] === 'string' && GUID.test(body[p] as string)) ids.add((body[p] as string).toLowerCase());
    const ref = body['@odata.id'];
    const tail = typeof ref === 'string' ? ref.split('/').pop() : undefined;
    if (tail && GUID.test(tail)) ids.add(tail.toLowerCase());
  }
  return [...ids];
}

/** Records a directoryAudit for a successful write (called by the server after dispatch). Never throws. */
export function recordAudit(ctx: Ctx, ans: Answer): void {
  const ids = targetIds(ctx, ans);
  const { category: cat, service } = category(ctx.segs);
  const op = ctx.method === 'POST' ? 'Add' : ctx.method === 'DELETE' ? 'Delete' : 'Update';
  const noun = [...ctx.segs].reverse().find((s) => !GUID.test(s) && s !== '$ref') ?? 'object';
  const targets: Array<string | null> = [];
  for (const id of ids) {
    const hit = ctx.rt.store.anyLive(id);
    const obj = hit?.obj as { displayName?: unknown; userPrincipalName?: unknown } | undefined;
    targets.push(id, typeof obj?.displayName === 'string' ? obj.displayName : null, (hit && TYPE_NAMES[hit.type]) ?? 'Other', typeof obj?.userPrincipalName === 'string' ? obj.userPrincipalName : null);
  }
  // two ids per write, in this order, as before: the emulator's seeded id sequence is unchanged
  const id = ctx.rt.ids.guid();
  const correlationId = ctx.rt.ids.guid();
  audits(ctx).push({
    id,
    correlationId,
    at: ctx.clock.now().getTime(),
    activityDisplayName: ACTIVITY_NAMES.str(`${op} ${noun}`),
    category: cat,
    loggedByService: service,
    operationType: op,
    appId: ctx.caller.appId,
    targets,
  });
}

const CLAUSE = /^activityDateTime (ge|le) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/;

/** The `$filter` forms of this list the emulator supports: `activityDateTime ge|le <UTC>` joined by `and`. */
function parseFilter(raw: string | null): (t: number) => boolean {
  if (raw === null) return () => true;
  const tests: Array<(t: number) => boolean> = [];
  for (const clause of raw.trim().split(/\s+and\s+/)) {
    const m = CLAUSE.exec(clause.trim());
    if (!m) throw badRequest(`Invalid filter clause: ${clause}`, 'Request_UnsupportedQuery');
    const at = Date.parse(m[2]!);
    tests.push(m[1] === 'ge' ? (t) => t >= at : (t) => t <= at);
  }
  return (t) => tests.every((f) => f(t));
}

/**
 * GET /auditLogs/directoryAudits (List directoryAudits, S310).
 * @throws GraphHttpError 403 without AuditLog.Read.All, 400 for unsupported options, 404 for other paths
 */
export function auditLogAnswer(ctx: Ctx): Answer {
  if (ctx.segs[1] !== 'directoryAudits' || ctx.segs.length > 3) throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${ctx.segs.slice(1).join('/')}'.`);
  if (ctx.method !== 'GET') throw new GraphHttpError(405, 'Request_BadRequest', 'The audit log is read-only.');
  if (!ctx.caller.roles.has('AuditLog.Read.All')) throw forbidden();
  for (const k of ctx.query.keys()) {
    if (k.startsWith('$') && !['$filter', '$top', '$orderby', '$skiptoken'].includes(k)) throw badRequest(`The query parameter '${k}' is not supported.`, 'BadRequest');
  }
  const log = audits(ctx);
  if (ctx.segs.length === 3) {
    const one = log.find((a) => a.id === ctx.segs[2]);
    if (!one) throw new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${ctx.segs[2]}' does not exist.`);
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#auditLogs/directoryAudits/$entity`, ...toRecord(one) } };
  }
  const keep = parseFilter(ctx.query.get('$filter'));
  const topRaw = ctx.query.get('$top');
  const top = topRaw === null ? AUDIT_MAX_TOP : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > AUDIT_MAX_TOP) throw badRequest(`Invalid $top value ${topRaw}: 1 to ${AUDIT_MAX_TOP}.`, 'Request_UnsupportedQuery');
  const order = ctx.query.get('$orderby');
  if (order !== null && !/^activityDateTime( (asc|desc))?$/.test(order.trim())) throw badRequest(`Unsupported $orderby: ${order}`, 'Request_UnsupportedQuery');
  const skipRaw = ctx.query.get('$skiptoken');
  const skip = skipRaw === null ? 0 : Number(skipRaw);
  if (!Number.isInteger(skip) || skip < 0) throw badRequest('Invalid $skiptoken.', 'Request_UnsupportedQuery');
  const rows = log.filter((a) => keep(a.at));
  // newest first unless asked otherwise, as the portal lists them (a stable sort: equal times keep their order)
  if (order?.trim().endsWith('asc')) rows.sort((a, b) => a.at - b.at);
  else rows.sort((a, b) => b.at - a.at);
  const page = rows.slice(skip, skip + top).map(toRecord);
  const next = new URLSearchParams();
  for (const k of ['$filter', '$top', '$orderby'] as const) {
    const v = ctx.query.get(k);
    if (v !== null) next.set(k, v);
  }
  next.set('$skiptoken', String(skip + top));
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.base}/$metadata#auditLogs/directoryAudits`,
      value: page,
      ...(skip + top < rows.length ? { '@odata.nextLink': `${ctx.base}/auditLogs/directoryAudits?${next.toString().replace(/\+/g, '%20')}` } : {}),
    },
  };
}
