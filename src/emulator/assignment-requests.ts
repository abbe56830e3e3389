/**
 * `POST /identityGovernance/entitlementManagement/assignmentRequests` (docs/graph-facts.md §3
 * "Entitlement management", S139, S384): the only way Graph creates or removes an access package
 * assignment.
 * - `adminAdd`: an administrator's direct assignment. `assignment` names the user (`targetId`,
 *   an object of the directory), the policy (`assignmentPolicyId`) and the package
 *   (`accessPackageId`); the policy must be one of that package's. An optional `schedule`
 *   (`startDateTime`, `expiration`) is the assignment's. The assignment is delivered at once here
 *   (Graph delivers it asynchronously: the request answers `submitted`, and the assignment is
 *   then listed like any other).
 * - `adminRemove`: `assignment: { id }` names the assignment to remove.
 * Other request types (`userAdd`, `adminUpdate`, …) and listing the requests are answered 400
 * (the product sends neither), never ignored. The group memberships a delivered assignment
 * gives through the package's resource roles are not modelled (docs/emulator.md).
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { LINK } from './entitlement-links.js';
import { asBody, commitCreate, deleteObject, isoNow } from './writes.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

const ASSIGNMENT_KEYS = ['targetId', 'assignmentPolicyId', 'accessPackageId', 'id', 'target'];
/** The request's properties and navigations (vendor/graph-metadata/cleanMetadata-v1.0.xml, accessPackageAssignmentRequest). */
const REQUEST_KEYS = ['@odata.type', 'id', 'answers', 'completedDateTime', 'createdDateTime', 'customExtensionCalloutInstances', 'justification', 'requestType', 'schedule', 'state', 'status', 'accessPackage', 'assignment', 'requestor'];
const EXPIRATION_TYPES = ['notSpecified', 'noExpiration', 'afterDateTime', 'afterDuration'];

/** The subject Graph keeps with an assignment (accessPackageSubject), from the directory's user. */
function subjectOf(u: DirObject): Obj {
  return {
    objectId: u.id, displayName: u.displayName ?? null, principalName: u.userPrincipalName ?? null, email: u.mail ?? u.userPrincipalName ?? null,
    subjectType: 'user', subjectLifecycle: 'governed', onPremisesSecurityIdentifier: u.onPremisesSecurityIdentifier ?? null,
  };
}

/** The request's schedule as the assignment keeps it. @throws GraphHttpError 400 for a malformed one. */
function scheduleOf(raw: Json | undefined, now: string): Obj {
  if (raw === undefined || raw === null) return { startDateTime: now, expiration: { type: 'noExpiration', endDateTime: null, duration: null }, recurrence: null };
  if (!isObj(raw)) throw badRequest("Property 'schedule' must be an entitlementManagementSchedule.", 'InvalidRequest');
  const exp = raw.expiration ?? null;
  if (exp !== null && !isObj(exp)) throw badRequest("Property 'expiration' must be an expirationPattern.", 'InvalidRequest');
  const type = exp ? str(exp.type) ?? 'notSpecified' : 'noExpiration';
  if (!EXPIRATION_TYPES.includes(type)) throw badRequest(`The expiration type '${type}' is not one of ${EXPIRATION_TYPES.join(', ')}.`, 'InvalidRequest');
  const end = exp ? str(exp.endDateTime) ?? null : null;
  if (type === 'afterDateTime' && (!end || Number.isNaN(Date.parse(end)))) throw badRequest('An afterDateTime expiration needs its endDateTime.', 'InvalidRequest');
  const start = str(raw.startDateTime) ?? now;
  if (Number.isNaN(Date.parse(start))) throw badRequest(`'${start}' is not a DateTimeOffset.`, 'InvalidRequest');
  return { startDateTime: start, expiration: { type, endDateTime: end, duration: exp ? str(exp.duration) ?? null : null }, recurrence: null };
}

function addAssignment(ctx: Ctx, body: Obj): void {
  const a = body.assignment;
  if (!isObj(a)) throw badRequest("An adminAdd request names the assignment in 'assignment': { targetId, assignmentPolicyId, accessPackageId }.", 'InvalidRequest');
  for (const k of Object.keys(a)) if (!ASSIGNMENT_KEYS.includes(k)) throw badRequest(`Property '${k}' does not exist on 'accessPackageAssignment'.`);
  const [targetId, policyId, packageId] = [str(a.targetId), str(a.assignmentPolicyId), str(a.accessPackageId)];
  if (!targetId || !policyId || !packageId) throw badRequest('An adminAdd request needs targetId, assignmentPolicyId and accessPackageId.', 'InvalidRequest');
  const store = ctx.rt.store;
  if (!store.get('accessPackage', packageId)) throw notFound(packageId);
  const policy = store.get('accessPackageAssignmentPolicy', policyId);
  if (!policy) throw notFound(policyId);
  if (policy[LINK.accessPackage] !== packageId) throw badRequest(`The policy ${policyId} is not a policy of the access package ${packageId}.`, 'InvalidRequest');
  const user = store.get('user', targetId);
  if (!user) throw badRequest(`The target ${targetId} is not a user of the directory.`, 'InvalidRequest');
  const now = isoNow(ctx);
  const o: DirObject = {
    id: ctx.rt.ids.guid(), '@odata.type': '#microsoft.graph.accessPackageAssignment', state: 'delivered', status: 'Delivered', expiredDateTime: null,
    customExtensionCalloutInstances: [], schedule: scheduleOf(body.schedule, now),
    [LINK.accessPackage]: packageId, [LINK.assignmentPolicy]: policyId, [LINK.target]: subjectOf(user),
  };
  commitCreate(ctx, 'accessPackageAssignment', o, undefined);
}

function removeAssignment(ctx: Ctx, body: Obj): void {
  const id = isObj(body.assignment) ? str(body.assignment.id) : undefined;
  if (!id) throw badRequest("An adminRemove request names the assignment in 'assignment': { \"id\": … }.", 'InvalidRequest');
  const o = ctx.rt.store.get('accessPackageAssignment', id);
  if (!o) throw notFound(id);
  deleteObject(ctx, 'accessPackageAssignment', o);
}

/** `/identityGovernance/entitlementManagement/assignmentRequests` (S139, S384). */
export function assignmentRequests(ctx: Ctx, rest: string[]): Answer {
  if (rest.length > 0 || ctx.method !== 'POST') throw badRequest('The emulator serves only POST of an assignment request (adminAdd, adminRemove).', 'Request_BadRequest');
  requirePermission(ctx.caller, ctx.reg.descriptor('accessPackageAssignment'), true);
  const body = asBody(ctx.body);
  for (const k of Object.keys(body)) if (!REQUEST_KEYS.includes(k)) throw badRequest(`Property '${k}' does not exist on 'accessPackageAssignmentRequest'.`);
  const kind = str(body.requestType);
  // Graph's own examples spell it AdminAdd and adminAdd alike (S139)
  const k = kind?.toLowerCase();
  if (k === 'adminadd') addAssignment(ctx, body);
  else if (k === 'adminremove') removeAssignment(ctx, body);
  else throw badRequest(`requestType '${String(kind)}' is not one the emulator serves (adminAdd, adminRemove).`, 'InvalidRequest');
  const answer: Obj = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentRequests/$entity',
    id: ctx.rt.ids.guid(), requestType: kind ?? null, state: 'submitted', status: 'Accepted', createdDateTime: null, completedDateTime: null,
  };
  return { status: 201, body: answer, mutated: true };
}
