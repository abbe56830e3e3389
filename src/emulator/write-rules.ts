/**
 * Per-type create rules of Graph that the generic write path (writes.ts) does not cover,
 * each with its documentation page: domains start unverified, combination configurations
 * stay inside their policy's combinations.
 */
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { isDynamicUnit, parseRule } from './dynamic.js';
import { badRequest, notFound } from './graph-error.js';
import type { CreateContext } from './writes.js';

/**
 * A domain added through Graph is unverified until its DNS record is checked (`verify`), and
 * only a verified domain can carry user names: "Create domain" answers with isVerified false,
 * isDefault false, isInitial false, isRoot true, supportedServices []
 * (https://learn.microsoft.com/graph/api/domain-post-domains). Before, the emulator left
 * isVerified unset and counted the domain as verified. A body naming anything but the id is a 400
 * (the page: "Id is the only property that can be specified"); the wording is the lab's.
 */
export function prepareDomain(ctx: Ctx, o: DirObject): void {
  if (typeof o.id !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(o.id)) throw badRequest(`Invalid value specified for property 'id' of resource 'Domain'.`);
  // "Id is the only property that can be specified and it is required" (the create page); the
  // rest is set by an update, and "Only verified domains can be updated" (docs/graph-facts.md S68)
  const extra = Object.keys(ctx.body !== null && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {}).filter((k) => k !== 'id');
  if (extra.length > 0) throw badRequest(`Property '${extra[0]}' cannot be set when a domain is created: id is the only property a create can specify.`);
  Object.assign(o, { authenticationType: 'Managed', availabilityStatus: null, isAdminManaged: true, isDefault: false, isInitial: false, isRoot: true, isVerified: false, passwordNotificationWindowInDays: null, passwordValidityPeriodInDays: null, supportedServices: [], state: null, ...o });
}

/**
 * A combination configuration narrows one of its custom strength's allowed combinations:
 * `appliesToCombinations` must be among the policy's `allowedCombinations`, and a built-in
 * strength cannot be changed (https://learn.microsoft.com/graph/api/authenticationstrengthpolicy-post-combinationconfigurations).
 */
export function prepareCombinationConfiguration(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const policy = c.parentId ? ctx.rt.store.get('authenticationStrengthPolicy', c.parentId) : undefined;
  if (!policy) throw notFound(c.parentId ?? '');
  if (policy.policyType === 'builtIn') throw badRequest('Built-in authentication strength policies cannot be modified.', 'BadRequest');
  const t = o['@odata.type'];
  if (t !== '#microsoft.graph.fido2CombinationConfiguration' && t !== '#microsoft.graph.x509CertificateCombinationConfiguration') {
    throw badRequest("A combination configuration needs '@odata.type' #microsoft.graph.fido2CombinationConfiguration or #microsoft.graph.x509CertificateCombinationConfiguration.", 'BadRequest');
  }
  const allowed = new Set(Array.isArray(policy.allowedCombinations) ? (policy.allowedCombinations as Json[]) : []);
  const applies = Array.isArray(o.appliesToCombinations) ? (o.appliesToCombinations as Json[]) : [];
  const outside = applies.filter((x) => !allowed.has(x));
  if (applies.length === 0 || outside.length > 0) {
    throw badRequest(`appliesToCombinations must name combinations the policy allows; not allowed: ${outside.join(', ') || '(none given)'}.`, 'BadRequest');
  }
}

/**
 * A dynamic administrative unit (`membershipType: "Dynamic"`) needs a valid membership rule;
 * Entra then maintains its members (https://learn.microsoft.com/graph/api/administrativeunit-post-administrativeunits,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-members-dynamic).
 */
export function prepareAdministrativeUnit(_ctx: Ctx, o: DirObject): void {
  if (!isDynamicUnit(o)) return;
  if (typeof o.membershipRule !== 'string') throw badRequest("Invalid value specified for property 'membershipRule' of resource 'AdministrativeUnit'.");
  parseRule(o.membershipRule);
  o.membershipRuleProcessingState ??= 'On';
}
