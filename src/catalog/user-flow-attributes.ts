/**
 * A self-service sign-up user flow's attribute assignments and the attributes they collect
 * (issue 15 item 6).
 *
 * Graph facts (docs/graph-facts.md §3 "Self-service sign-up user flows", S251, S330, S331):
 * - user flow attributes, `/identity/userFlowAttributes` (identityUserFlowAttribute): built-in
 *   ones (`userFlowAttributeType` builtIn: city, email, givenName…) in every tenant with the same
 *   ids, and custom ones an admin creates with POST (displayName, description, dataType), whose id
 *   Graph makes `extension_<b2c-extensions-app appId without dashes>_<name>`, so it differs in a
 *   new tenant: matched by displayName and re-linked by id. Only `description` can be updated, only
 *   on a custom attribute; dataType cannot change. IdentityUserFlow.Read.All / ReadWrite.All.
 * - attribute assignments, `/identity/b2xUserFlows/{id}/userAttributeAssignments`: POST with
 *   displayName, isOptional, requiresVerification, userInputType, userAttributeValues and
 *   `userAttribute: { id }`; PATCH for the same properties. The assignment's id IS its attribute's
 *   id, in every flow that collects it: archived as `<flowId>/<attributeId>` (./contained-ids.ts).
 *   The list takes `$expand=userAttribute`, which the backup reads as `userAttribute: { id }`, the
 *   shape the create body takes; the reference is re-linked to the target's attribute.
 * The order the flow collects them in (getOrder/setOrder, S360) is archived on the flow record as
 * `@assignmentOrder` (src/snapshot/user-flow-order.ts) and set after the assignments, custom
 * attribute ids re-linked (src/restore/plan/user-flow-order.ts).
 *
 * - languages, `/identity/b2xUserFlows/{id}/languages` (userFlowLanguageConfiguration, S332): the
 *   built-in languages of every flow (id `en`, `fr`… in every flow: archived `<flowId>/<lang>`);
 *   v1.0 documents Get and List only, so `isEnabled` cannot be written (a manual step names it,
 *   src/restore/plan/user-flow-languages.ts) and a language is never created. Its overridesPages'
 *   content (`…/overridesPages/{pageId}/$value`) is read, archived as `@overridesPages`
 *   (src/snapshot/user-flow-pages.ts) and PUT back, right after the flow's create when the restore
 *   recreates the flow; defaultPages are Microsoft's, not archived.
 */
import { define, ms } from './define.js';

export const userFlowAttribute = define({
  type: 'userFlowAttribute', entityType: ms('identityUserFlowAttribute'), title: 'User flow attribute', path: '/identity/userFlowAttributes',
  shape: 'collection', polymorphic: true,
  // builtIn or custom: Graph sets it; dataType is fixed at creation
  readOnly: ['userFlowAttributeType'], createOnly: ['dataType', 'displayName'], requiredOnCreate: ['dataType', 'displayName'],
  // built-in ids are the same everywhere; a custom one's embeds the tenant's b2c-extensions-app
  naturalKey: ['displayName'], softDelete: 'hard', tier: 3,
  permissions: { read: 'IdentityUserFlow.Read.All', write: 'IdentityUserFlow.ReadWrite.All' },
});

export const userFlowAttributeAssignment = define({
  type: 'userFlowAttributeAssignment', entityType: ms('identityUserFlowAttributeAssignment'), title: 'User flow attribute assignment',
  path: '/identity/b2xUserFlows/{parentId}/userAttributeAssignments', shape: 'contained', parentType: 'b2xUserFlow', idScopedByParent: true,
  inlineNavigation: ['userAttribute'], listQuery: '$expand=userAttribute($select=id)',
  requiredOnCreate: ['userInputType'],
  references: [{ path: 'userAttribute.id', by: 'id', targets: ['userFlowAttribute'], required: true }],
  // one assignment per attribute in a flow (the matcher scopes keys by parent)
  naturalKey: ['userAttribute.id'], softDelete: 'hard', tier: 3,
  permissions: { read: 'IdentityUserFlow.Read.All', write: 'IdentityUserFlow.ReadWrite.All' },
});

export const userFlowLanguage = define({
  type: 'userFlowLanguage', entityType: ms('userFlowLanguageConfiguration'), title: 'User flow language',
  path: '/identity/b2xUserFlows/{parentId}/languages', shape: 'contained', parentType: 'b2xUserFlow', idScopedByParent: true,
  // the language's name is Microsoft's
  readOnly: ['displayName'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  permissions: { read: 'IdentityUserFlow.Read.All', write: 'IdentityUserFlow.ReadWrite.All' },
});
