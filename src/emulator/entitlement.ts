/**
 * Entitlement management as Graph v1.0 serves it (issue 15 item 8), beyond the catalog's
 * generic create/patch/delete rules. Sources in docs/graph-facts.md §3 "Entitlement
 * management" (S135–S143):
 * - A catalog is created with a display name; Graph sets `catalogType` userManaged and, unless
 *   given, `state` published and `isExternallyVisible` false (S135).
 * - An access package is created in an existing catalog named by `catalog: { id }`; a policy
 *   for an existing access package named by `accessPackage: { id }` (S136, S137). Neither link
 *   is a property: it is read with `$expand=catalog` / `$expand=accessPackage` (S138).
 * - A policy's subject sets name existing users (`singleUser.userId`), groups
 *   (`groupMembers.groupId`) and connected organizations (`connectedOrganizationMembers`); an id
 *   of no such object is refused (S137).
 * - A connected organization is created with its identity sources, `state` configured unless
 *   given; its sponsors are `$ref` relations (S142). The settings singleton is patched (S143).
 * - Assignments are listed (with `$expand=target,accessPackage,assignmentPolicy`), never
 *   POSTed: Graph creates them from assignment requests (S139).
 * - "You cannot delete an access package if it has any accessPackageAssignment" (S140).
 * The links live on the stored object under `@em.*` names the projection never shows (the
 * catalog declares every structural property as default, so a plain GET lists only those).
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import type { CreateContext } from './writes.js';
import { LINK } from './entitlement-links.js';
import { ENTITLEMENT_RESOURCE_PREPARE } from './entitlement-resources.js';
import { questionsOf, takeQuestions } from './entitlement-questions.js';
import { ENTITLEMENT_EXTENSION_PREPARE, takeStageSettings } from './entitlement-extensions.js';

export { LINK } from './entitlement-links.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `{ id }` a create names a linked object by; 400 when absent, 404 when no such object. */
function linkedId(ctx: Ctx, o: DirObject, nav: string, type: ResourceType): string {
  const v = o[nav];
  const id = isObj(v) && typeof v.id === 'string' ? v.id : undefined;
  if (!id) throw badRequest(`The request must name an existing ${type} in '${nav}': { "id": … }.`, 'InvalidRequest');
  if (!ctx.rt.store.get(type, id)) throw notFound(id);
  delete o[nav];
  return id;
}

function prepareCatalog(_ctx: Ctx, o: DirObject, c: CreateContext): void {
  o.catalogType = 'userManaged';
  o.state ??= 'published';
  o.isExternallyVisible ??= false;
  o.modifiedDateTime = c.now;
}

function prepareConnectedOrganization(_ctx: Ctx, o: DirObject, c: CreateContext): void {
  o.state ??= 'configured';
  o.modifiedDateTime = c.now;
}

function prepareAccessPackage(ctx: Ctx, o: DirObject, c: CreateContext): void {
  o[LINK.catalog] = linkedId(ctx, o, 'catalog', 'accessPackageCatalog');
  o.isHidden ??= false;
  o.modifiedDateTime = c.now;
}

/** Every subject set (approver, reviewer, requestor, allowed target) of a policy body. */
function subjectSets(o: DirObject): Obj[] {
  const out: Obj[] = [];
  const list = (v: Json | undefined): void => {
    if (Array.isArray(v)) for (const x of v) if (isObj(x)) out.push(x);
  };
  const approval = o.requestApprovalSettings;
  if (isObj(approval) && Array.isArray(approval.stages)) {
    for (const s of approval.stages) {
      if (!isObj(s)) continue;
      for (const k of ['primaryApprovers', 'fallbackPrimaryApprovers', 'escalationApprovers', 'fallbackEscalationApprovers']) list(s[k]);
    }
  }
  const review = o.reviewSettings;
  if (isObj(review)) for (const k of ['primaryReviewers', 'fallbackReviewers']) list(review[k]);
  const requestors = o.requestorSettings;
  if (isObj(requestors)) list(requestors.onBehalfRequestors);
  list(o.specificAllowedTargets);
  return out;
}

/** @throws GraphHttpError 400 when a subject set names a user or group the tenant does not have. */
export function checkSubjects(ctx: Ctx, o: DirObject): void {
  for (const s of subjectSets(o)) {
    const kind = s['@odata.type'];
    if (kind === '#microsoft.graph.singleUser' && (typeof s.userId !== 'string' || !ctx.rt.store.get('user', s.userId))) {
      throw badRequest(`The user ${String(s.userId)} of a singleUser subject set does not exist.`, 'InvalidRequest');
    }
    if (kind === '#microsoft.graph.groupMembers' && (typeof s.groupId !== 'string' || !ctx.rt.store.get('group', s.groupId))) {
      throw badRequest(`The group ${String(s.groupId)} of a groupMembers subject set does not exist.`, 'InvalidRequest');
    }
    if (kind === '#microsoft.graph.connectedOrganizationMembers' && (typeof s.connectedOrganizationId !== 'string' || !ctx.rt.store.get('connectedOrganization', s.connectedOrganizationId))) {
      throw badRequest(`The connected organization ${String(s.connectedOrganizationId)} does not exist.`, 'InvalidRequest');
    }
  }
}

function preparePolicy(ctx: Ctx, o: DirObject, c: CreateContext): void {
  o[LINK.accessPackage] = linkedId(ctx, o, 'accessPackage', 'accessPackage');
  checkSubjects(ctx, o);
  // its questions, inline in the create body (./entitlement-questions.ts)
  takeQuestions(o as Obj, o, false, () => ctx.rt.ids.guid());
  // the custom extensions it runs, by stage (./entitlement-extensions.ts)
  takeStageSettings(ctx, o as Obj, o);
  o.allowedTargetScope ??= 'notSpecified';
  o.modifiedDateTime = c.now;
}

function refuseAssignmentCreate(): void {
  throw new GraphHttpError(405, 'Request_BadRequest', 'Access package assignments are created through assignmentRequests, not by POST to assignments.');
}

/** Create rules of the entitlement types (writes.ts PREPARE). */
export const ENTITLEMENT_PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  accessPackageCatalog: prepareCatalog,
  connectedOrganization: prepareConnectedOrganization,
  accessPackage: prepareAccessPackage,
  accessPackageAssignmentPolicy: preparePolicy,
  accessPackageAssignment: refuseAssignmentCreate,
  ...ENTITLEMENT_RESOURCE_PREPARE,
  ...ENTITLEMENT_EXTENSION_PREPARE,
};

/** @throws GraphHttpError 400 for a PATCH Graph refuses: a policy naming a missing user or group; a link is not patched. */
export function checkEntitlementPatch(ctx: Ctx, type: ResourceType, body: Record<string, Json>): void {
  // a catalog resource is changed through resourceRequests, a role scope only created or deleted (src/emulator/entitlement-resources.ts)
  if (type === 'accessPackageResource' || type === 'accessPackageResourceRoleScope') throw new GraphHttpError(405, 'Request_BadRequest', 'This object has no update method.');
  if (type === 'accessPackageAssignmentPolicy') checkSubjects(ctx, body as DirObject);
  // Graph documents the policy's update as a PUT of the whole policy, questions included (S242)
  if (type === 'accessPackageAssignmentPolicy' && ('questions' in body || 'customExtensionStageSettings' in body)) {
    throw badRequest("A policy's questions and custom extension stages are updated with PUT of the whole policy.", 'InvalidRequest');
  }
  if ((type === 'accessPackage' && 'catalog' in body) || (type === 'accessPackageAssignmentPolicy' && 'accessPackage' in body)) {
    throw badRequest('The catalog of an access package, or the access package of a policy, cannot be changed by PATCH.', 'InvalidRequest');
  }
}

/**
 * The body of `PUT …/assignmentPolicies/{id}` (S242) made ready for the generic update: its
 * `id` and `accessPackage` may repeat the policy's own (the documented example sends both),
 * never change them; its questions replace the policy's. Returns how to keep the questions
 * once the update succeeded.
 * @throws GraphHttpError 400 for another id or package, or a malformed question.
 */
export function preparePolicyPut(ctx: Ctx, o: DirObject, body: Record<string, Json>): () => void {
  if ('id' in body && body.id !== o.id) throw badRequest('The id of the policy cannot be changed.', 'InvalidRequest');
  delete body.id;
  const pkg = body.accessPackage;
  if (pkg !== undefined && (!isObj(pkg) || pkg.id !== o[LINK.accessPackage])) throw badRequest('The access package of a policy cannot be changed.', 'InvalidRequest');
  delete body.accessPackage;
  const staged: DirObject = { id: o.id, [LINK.questions]: questionsOf(o) as Json };
  if (o[LINK.stageSettings] !== undefined) staged[LINK.stageSettings] = o[LINK.stageSettings]!;
  takeQuestions(body, staged, true, () => ctx.rt.ids.guid());
  takeStageSettings(ctx, body, staged);
  return () => {
    const live = ctx.rt.store.get('accessPackageAssignmentPolicy', o.id);
    if (!live) return;
    for (const k of [LINK.questions, LINK.stageSettings]) {
      if (staged[k] === undefined) delete live[k];
      else live[k] = staged[k]!;
    }
  };
}

/** @throws GraphHttpError 400 when an access package still has assignments (S140). */
export function checkEntitlementDelete(ctx: Ctx, type: ResourceType, o: DirObject): void {
  const holds = (child: ResourceType, link: string): boolean => [...(ctx.rt.store.live.get(child)?.values() ?? [])].some((x) => x[link] === o.id);
  if (type === 'accessPackage' && holds('accessPackageAssignment', LINK.accessPackage)) throw badRequest('The access package cannot be deleted while it has assignments.', 'InvalidRequest');
}

/** The expandable navigations of the entitlement types: name → the stored link it follows. */
const NAVS: Partial<Record<ResourceType, Record<string, { name: string; link: string }>>> = {
  accessPackage: { catalog: { name: 'catalog', link: LINK.catalog } },
  accessPackageAssignmentPolicy: { accesspackage: { name: 'accessPackage', link: LINK.accessPackage } },
  accessPackageAssignment: {
    accesspackage: { name: 'accessPackage', link: LINK.accessPackage },
    assignmentpolicy: { name: 'assignmentPolicy', link: LINK.assignmentPolicy },
    target: { name: 'target', link: LINK.target },
  },
  // a resource role scope's role and scope, kept with it (./entitlement-resources.ts)
  accessPackageResourceRoleScope: { role: { name: 'role', link: LINK.role }, scope: { name: 'scope', link: LINK.scope } },
};

/**
 * The reader of an entitlement navigation for expand.ts: the linked object's id, or (for an
 * assignment's `target`, an accessPackageSubject kept with the assignment) the value itself.
 */
export function entitlementNav(type: ResourceType, nav: string): { name: string; read: (o: DirObject) => string | Obj | undefined } | undefined {
  const n = NAVS[type]?.[nav.toLowerCase()];
  if (!n) return undefined;
  return {
    name: n.name,
    read: (o) => {
      const v = o[n.link];
      return typeof v === 'string' || isObj(v) ? v : undefined;
    },
  };
}

/**
 * The object a `$filter` is evaluated against: for the entitlement types, their navigations
 * (kept under link names, ./entitlement-links.ts) as Graph filters them, `accessPackage/id`,
 * `assignmentPolicy/id`, `target/objectId` (https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments:
 * "$expand=target&$filter=target/objectid eq '…'", "accessPackage/id eq '…' and target/objectid eq '…'").
 * Other objects as stored.
 */
export function filterView(type: ResourceType, o: DirObject): DirObject {
  const navs = NAVS[type];
  if (!navs) return o;
  const out: DirObject = { ...o };
  for (const n of Object.values(navs)) {
    const v = o[n.link];
    if (typeof v === 'string') out[n.name] = { id: v };
    else if (isObj(v)) out[n.name] = v;
  }
  return out;
}
