/**
 * User flow attributes and a user flow's attribute assignments (issue 15 item 6) as Graph v1.0
 * documents them (docs/graph-facts.md §3 "Self-service sign-up user flows", S251, S330, S331):
 * - `POST /identity/userFlowAttributes` creates a custom attribute from displayName, description
 *   and dataType (string, boolean, int64); Graph names it
 *   `extension_<b2c-extensions-app appId without dashes>_<displayName>` and sets
 *   userFlowAttributeType custom https://learn.microsoft.com/graph/api/identityuserflowattribute-post
 * - `PATCH /identity/userFlowAttributes/{id}`: "Only custom user flow attributes can be updated",
 *   and "Only the description property can be updated"
 *   https://learn.microsoft.com/graph/api/identityuserflowattribute-update
 * - `POST /identity/b2xUserFlows/{id}/userAttributeAssignments` with `userAttribute: { id }`: the
 *   created assignment's id is the attribute's id
 *   https://learn.microsoft.com/graph/api/b2xidentityuserflow-post-userattributeassignments; the
 *   list expands `userAttribute` https://learn.microsoft.com/graph/api/b2xidentityuserflow-list-userattributeassignments
 * The store keys an assignment `<flowId>/<attributeId>` (src/catalog/contained-ids.ts), as the
 * archive does, since the attribute id recurs in every flow; responses show the attribute id.
 */
import { createHash } from 'node:crypto';
import { scopedArchiveId } from '../catalog/contained-ids.js';
import type { DirObject } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import type { CreateContext } from './writes.js';
import type { TenantStore } from './store.js';

/** The data types a custom attribute may be created with (identityuserflowattribute-post). */
const DATA_TYPES = new Set(['string', 'boolean', 'int64']);
/** The input types an assignment takes (b2xidentityuserflow-post-userattributeassignments); Graph's example spells TextBox. */
const INPUT_TYPES = new Set(['textbox', 'datetimedropdown', 'radiosingleselect', 'dropdownsingleselect', 'emailbox', 'checkboxmultiselect']);

/** The `extension_<hex>_` prefix of a tenant's custom attributes: its b2c-extensions-app's appId without dashes. */
export function customAttributePrefix(tenantId: string): string {
  return `extension_${createHash('sha256').update(`b2c-extensions-app:${tenantId}`).digest('hex').slice(0, 32)}_`;
}

/** Validates and completes a new custom user flow attribute. @throws GraphHttpError 400 / 409 */
export function prepareUserFlowAttribute(ctx: Ctx, o: DirObject, _c: CreateContext): void {
  if (!DATA_TYPES.has(String(o['dataType']))) throw badRequest(`Invalid dataType '${String(o['dataType'])}': a custom user flow attribute is string, boolean or int64.`);
  const name = String(o['displayName']).replace(/\s+/g, '');
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw badRequest(`Invalid displayName '${String(o['displayName'])}' for a custom user flow attribute.`);
  o.id = `${customAttributePrefix(ctx.rt.store.tenantId)}${name}`;
  if (ctx.rt.store.get('userFlowAttribute', o.id)) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `A user flow attribute named ${name} already exists.`);
  o['userFlowAttributeType'] = 'custom';
  o['@odata.type'] = '#microsoft.graph.identityCustomUserFlowAttribute';
  o['description'] ??= null;
}

/**
 * A new attribute assignment names an existing attribute in `userAttribute.id`; its id is that
 * attribute's id, stored as `<flowId>/<attributeId>`. @throws GraphHttpError 400 / 404 / 409
 */
export function prepareUserFlowAttributeAssignment(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const ref = o['userAttribute'];
  const attrId = ref && typeof ref === 'object' && !Array.isArray(ref) && typeof ref['id'] === 'string' ? ref['id'] : undefined;
  if (!attrId) throw badRequest("Property 'userAttribute' with the attribute's id is required when creating an attribute assignment.");
  if (!ctx.rt.store.get('userFlowAttribute', attrId)) throw notFound(attrId);
  if (!INPUT_TYPES.has(String(o['userInputType']).toLowerCase())) throw badRequest(`Invalid userInputType '${String(o['userInputType'])}'.`);
  if (c.parentId === undefined) throw badRequest('An attribute assignment is created under its user flow.');
  o.id = scopedArchiveId(c.parentId, attrId);
  if (ctx.rt.store.get('userFlowAttributeAssignment', o.id)) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `The user flow already collects ${attrId}.`);
  delete o['userAttribute'];
  o['displayName'] ??= null;
  o['isOptional'] ??= false;
  o['requiresVerification'] ??= false;
  o['userAttributeValues'] ??= [];
}

/**
 * PATCH of a user flow attribute: custom ones only, description only (identityuserflowattribute-update);
 * an assignment's attribute is its key, never patched.
 * @throws GraphHttpError 400
 */
export function checkUserFlowAttributePatch(type: string, o: DirObject, body: Record<string, unknown>): void {
  if (type === 'userFlowAttributeAssignment' && 'userAttribute' in body) throw badRequest("Property 'userAttribute' cannot be updated: it is the assignment's key.");
  if (type !== 'userFlowAttribute') return;
  if (o['userFlowAttributeType'] !== 'custom') throw badRequest('Only custom user flow attributes can be updated.');
  const other = Object.keys(body).find((k) => k !== 'description' && !k.startsWith('@'));
  if (other) throw badRequest(`Only the description of a user flow attribute can be updated, not '${other}'.`);
}

/** `$expand=userAttribute` on an assignment: the attribute it collects (its id is the assignment's Graph id). */
export function assignedAttributeId(store: TenantStore, o: DirObject): string | undefined {
  const parent = store.parentOf.get(o.id);
  const id = parent !== undefined && o.id.startsWith(`${parent}/`) ? o.id.slice(parent.length + 1) : o.id;
  return store.get('userFlowAttribute', id) ? id : undefined;
}
