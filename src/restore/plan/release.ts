/**
 * The planner lets go of the archived users' objects once its candidates are made and resolved,
 * when its caller hands the archive over (`BuildPlanInput.release`; issue 17 item 1).
 *
 * A large restore's memory peaks while the plan is built (docs/design.md "Performance stance"):
 * the archive and the operations are both held to the plan's end. At 100k users the archived
 * users' objects are 136 MiB of live heap. Each operation's body is already a copy, and what the
 * phases after the candidates read of an archived user is its name, UPN and licences (labels,
 * `describe`, the domain map, the manual steps) and which of its values embed the archived
 * tenant (./embed.ts `tenantRewriteWarnings`), worked out here before the rest goes. Measured on
 * the 100k-user bench tenant: the planner's live heap at its end 550 → 484 MiB; the strings a body
 * shares with its user stay.
 *
 * The plan is the same with or without the release (test/restore/plan-release.test.ts and a
 * property in test/restore/planner-properties.test.ts compare them); only the caller's archive
 * differs afterwards: its users are the slim copies, and its relations the few edges the last
 * phases read (`releaseRelationKind`).
 */
import type { DirObject, Json, Relation } from '../../model.js';
import type { PlanContext } from './context.js';
import type { RelationKind } from '../../catalog/types.js';
import { embedsTenantTest } from './embed.js';

/**
 * What a slim archived user keeps. On the 100k bench tenant the phases after the candidates read
 * a user's id, name, UPN and licences; a probe over the whole test suite (every scenario, slim
 * users behind a proxy that logged any other read) found no read of a property outside this set,
 * nor of a user's keys. The user's kind, account state, mail names and sync anchors are kept too:
 * they decide how a user is treated, and a phase that comes to read them stays right. A property
 * read later and not kept here would change the plan: the tests above plan both ways.
 */
export const KEPT_USER_PROPERTIES: ReadonlySet<string> = new Set([
  'id',
  '@odata.type',
  'displayName',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'userType',
  'accountEnabled',
  'creationType',
  'assignedLicenses',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'onPremisesSecurityIdentifier',
  'deletedDateTime',
]);

/**
 * Replaces each archived user's object by a slim copy (KEPT_USER_PROPERTIES) everywhere the
 * planner holds it: the archive's list, `archivedById` and the match. Before that, records for
 * each user which of its properties embed the archived tenant (`embedsTenant`), so the tenant
 * rewrite warning is the one the full objects give. Mutates `ctx.archive`; never throws.
 */
export function releaseArchivedUsers(ctx: PlanContext): void {
  const users = ctx.archive.objects.user;
  if (!users || users.length === 0) return;
  const embedsTenant = embedsTenantTest(ctx)?.hit;
  const embedded = new Map<string, readonly string[]>();
  const shared = new Map<string, readonly string[]>();
  for (let i = 0; i < users.length; i++) {
    const full = users[i] as DirObject;
    if (embedsTenant) {
      const keys = Object.keys(full).filter((k) => k !== 'id' && k !== 'userPrincipalName' && embedsTenant(full[k]));
      // most users embed the same properties (an identity's issuer is the initial domain): one list each
      const joined = keys.join('\n');
      if (keys.length) embedded.set(full.id, shared.get(joined) ?? (shared.set(joined, Object.freeze(keys)), keys));
    }
    const slim = slimUser(full);
    users[i] = slim;
    const entry = ctx.archivedById.get(full.id);
    if (entry?.type === 'user') entry.obj = slim;
    const m = ctx.match.entries.get(full.id);
    if (m?.type === 'user') m.archived = slim;
  }
  ctx.releasedUsers = embedded;
}

/**
 * A user's KEPT_USER_PROPERTIES, in the object's own order. The final verify matches the archive's
 * users by these copies too (src/ops/restore-pipeline.ts `verifyRestore`): they hold every property
 * the match reads (the id, the UPN, the on-premises anchors and sync flag, the display name).
 */
export function slimUser(full: DirObject): DirObject {
  const slim: Record<string, Json> = {};
  for (const k of Object.keys(full)) if (KEPT_USER_PROPERTIES.has(k)) slim[k] = full[k] as Json;
  return slim as DirObject;
}

/**
 * Whether the phases after the relation phase still read an archived edge: group memberships of
 * devices and organizational contacts (their manual steps name the groups, ./devices.ts and
 * ./org-contacts.ts) and the members and owners of the Exchange groups the target lacks
 * (`exchangeMissing`, ./exchange.ts `exchangeGroupStep`).
 */
function readLater(e: Relation, exchangeMissing: ReadonlySet<string>): boolean {
  if (e.kind === 'groupMembers') return e.toType === 'device' || e.toType === 'orgContact' || exchangeMissing.has(e.from);
  if (e.kind === 'groupOwners') return exchangeMissing.has(e.from);
  return false;
}

/**
 * Lets go of one kind of the archive's edges once the relation phase has planned it (./relations.ts
 * `afterKind`): only the edges a later phase reads stay (`readLater`). At 100k users the archive's
 * 640,000 edges were about 35 MiB of the planner's peak, which is while and after the relation
 * phase makes its operations (issue 17 item 1). The caller set the relations aside whole first
 * (src/archive/held.ts `setRelationsAsideFirst`), for the final verify. Mutates `ctx.archive`.
 */
export function releaseRelationKind(ctx: PlanContext, kind: RelationKind, exchangeMissing: ReadonlySet<string>): void {
  const edges = ctx.archive.relations[kind];
  if (!edges) return;
  const kept = edges.filter((e) => readLater(e, exchangeMissing));
  if (kept.length > 0) ctx.archive.relations[kind] = kept;
  else delete ctx.archive.relations[kind];
}

/** Every kind of the archive's edges let go of as `releaseRelationKind` does one. Never throws. */
export function releaseArchivedRelations(ctx: PlanContext, exchangeMissing: ReadonlySet<string>): void {
  for (const kind of Object.keys(ctx.archive.relations) as RelationKind[]) releaseRelationKind(ctx, kind, exchangeMissing);
}
