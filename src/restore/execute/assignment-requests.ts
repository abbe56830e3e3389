/**
 * An archived access package assignment requested again in a restore run (docs/graph-facts.md §3
 * "Entitlement management", S139, S384; the plan's side: src/restore/plan/entitlement.ts):
 * - `POST …/assignmentRequests` with requestType adminAdd naming the user (`targetId`), the
 *   policy and the package, all already re-linked by the plan, and a schedule that starts now and
 *   ends when the archived one did;
 * - the request is not the assignment, and Graph delivers it afterwards: the assignment's id is
 *   read back from the list filtered on the user, as Graph's list page shows
 *   (`$filter=target/objectid eq '…'`), with the lag delays;
 * - one already there (a resumed run, docs/reliability.md 12, or a second run) is found the same
 *   way and adopted, never requested twice;
 * - an end date already past is never requested (the access would have lapsed): the op fails with
 *   that reason, and the report lists the assignment as not restored.
 */
import { VaultError } from '../../errors.js';
import type { Json, JsonObject } from '../../model.js';
import { assignmentEnd } from '../plan/entitlement.js';
import { listAll, odataString } from './graph.js';
import { lag, patientFind, stringProp, type Ctx, type Done } from './context.js';

const EM = '/identityGovernance/entitlementManagement';
const REQUESTS = `${EM}/assignmentRequests`;

const idOf = (v: unknown): string | undefined => stringProp(v, 'id');

/** How long a run waits for a requested assignment to be listed: 2 + 4 + 8 + 16 + 30 s (delivery is asynchronous, S384). */
const DELIVERY_DELAYS_MS: readonly number[] = [2000, 4000, 8000, 16000, 30000];

/** The user, policy and package an assignment body names (re-linked by the plan). */
function keyOf(body: JsonObject, label: string): { targetId: string; assignmentPolicyId: string; accessPackageId: string } {
  const targetId = stringProp(body['target'], 'objectId');
  const assignmentPolicyId = idOf(body['assignmentPolicy']);
  const accessPackageId = idOf(body['accessPackage']);
  if (!targetId || !assignmentPolicyId || !accessPackageId) throw new VaultError('PLAN_BLOCKED', `${label}: the archived assignment does not name its user, policy and access package`);
  return { targetId, assignmentPolicyId, accessPackageId };
}

/** The user's live assignment of the same package and policy that gives access (delivered or being delivered), if Graph has it. */
async function findAssignment(ctx: Ctx, key: ReturnType<typeof keyOf>): Promise<Record<string, unknown> | undefined> {
  const path = `${EM}/assignments?$expand=target,accessPackage($select=id),assignmentPolicy($select=id)&$filter=target/objectid%20eq%20${odataString(key.targetId)}`;
  const list = await listAll<Record<string, unknown>>(ctx.graph, path);
  return list.find((o) => idOf(o['accessPackage']) === key.accessPackageId && idOf(o['assignmentPolicy']) === key.assignmentPolicyId
    && stringProp(o['target'], 'objectId') === key.targetId && ['delivered', 'delivering'].includes(String(o['state']).toLowerCase()));
}

/** The request's schedule: from now until the archived end (none: no expiration). @throws VaultError PLAN_BLOCKED for an end already past or unreadable. */
function scheduleFor(body: JsonObject, now: Date, label: string): JsonObject {
  const end = assignmentEnd(body['schedule'] as Json | undefined);
  if (end === undefined) throw new VaultError('PLAN_BLOCKED', `${label}: the archived schedule's duration is in months or years, which this restore does not turn into an end date; assign it again by hand`);
  if (end !== null && Date.parse(end) <= now.getTime()) throw new VaultError('PLAN_BLOCKED', `${label}: it ended on ${end}, before this restore; not requested again`);
  // the archived end as written when it has one (a duration's end is computed)
  const exp = (body['schedule'] as { expiration?: { endDateTime?: unknown } } | undefined)?.expiration;
  const written = typeof exp?.endDateTime === 'string' ? exp.endDateTime : end;
  return { startDateTime: now.toISOString(), expiration: end === null ? { type: 'noExpiration' } : { type: 'afterDateTime', endDateTime: written } };
}

/**
 * Requests the archived assignment again, or adopts the one already there.
 * @throws VaultError PLAN_BLOCKED (no user, policy or package; an end already past), from Graph, or GRAPH_BAD_RESPONSE when the request was accepted but no assignment appears
 */
export async function requestAssignment(ctx: Ctx, body: JsonObject, label: string): Promise<Done> {
  const key = keyOf(body, label);
  const existing = await patientFind(ctx, () => findAssignment(ctx, key));
  const id = stringProp(existing, 'id');
  if (id) return { outcome: 'alreadyPresent', liveId: id };
  const request: JsonObject = {
    requestType: 'adminAdd', assignment: { ...key }, schedule: scheduleFor(body, ctx.opts.clock.now(), label), justification: 'entra-vault restore',
  };
  const res = await lag(ctx, REQUESTS, () => ctx.graph.post<Record<string, unknown>>(REQUESTS, request));
  const state = stringProp(res, 'state')?.toLowerCase();
  if (state === 'deliveryfailed' || state === 'denied' || state === 'canceled') throw new VaultError('GRAPH_BAD_RESPONSE', `${label}: Graph did not deliver the assignment request (${state})`);
  // Graph delivers the request afterwards: look for about a minute (the run's own delays when a
  // test sets them), then fail the op rather than call an undelivered assignment restored
  const delays = ctx.opts.lagDelaysMs ?? DELIVERY_DELAYS_MS;
  const added = await patientFind({ ...ctx, recheck: true, opts: { ...ctx.opts, lagDelaysMs: delays } }, () => findAssignment(ctx, key));
  const liveId = stringProp(added, 'id');
  if (!liveId) throw new VaultError('GRAPH_BAD_RESPONSE', `${label}: the assignment request was accepted but no assignment was listed within a minute (its policy may need an approval: check its requests in Entitlement Management, then run the restore again, which adopts a delivered one)`);
  return { outcome: 'created', liveId };
}
