/**
 * The planner lets go of the archived users' objects once nothing reads them whole (a user the
 * target lacks once its candidate is made, the others once the updates are resolved: `UserRelease`),
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
import { memMark, memMarkEvery } from '../../mem-probe.js';
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
 * Replaces archived users' objects by slim copies (KEPT_USER_PROPERTIES) everywhere the planner
 * holds them: the archive's list, `archivedById` and the match. Before each goes, records which of
 * its properties embed the archived tenant, so the tenant rewrite warning is the one the full
 * objects give (`ctx.releasedUsers`, set by `rest`).
 *
 * Two moments: a user the target lacks is let go of as soon as its candidate is made (`early`,
 * from ./candidates.ts `collectCandidates`): nothing after the candidates reads it whole (the
 * update phase, ./updates.ts, reads only objects live in the target or in its recycle bin, and the
 * re-linking only live ones). At 100k users in a tenant-loss restore that is every user, and they
 * were the largest part of the planner's peak, at the candidates' end (a heap snapshot at
 * `plan:candidates`: 100,000 whole users, about 150 MiB with their arrays and nested objects;
 * issue 17 item 1). The others go once the updates are resolved (`rest`). Mutates `ctx.archive`.
 */
/** Users let go of between two memory marks (`UserRelease`): ten marks at 100k users, one at 10k. */
const USERS_PER_MARK = 10_000;

export class UserRelease {
  /** Each user not yet let go of: its position in the archive's list. */
  private readonly at = new Map<string, number>();
  private readonly embedded = new Map<string, readonly string[]>();
  /** Most users embed the same properties (an identity's issuer is the initial domain): one list each. */
  private readonly shared = new Map<string, readonly string[]>();
  private readonly embedsTenant: ((v: Json | undefined) => boolean) | undefined;

  /** Positions of users whose id an earlier user has too (a damaged archive): let go of by `rest`. */
  private readonly repeated: number[] = [];
  /** Counts the users let go of, with a memory mark every USERS_PER_MARK (see `release`). */
  private readonly releasedTick = memMarkEvery('plan:users-released', USERS_PER_MARK);

  constructor(private readonly ctx: PlanContext) {
    const users = ctx.archive.objects.user ?? [];
    for (let i = 0; i < users.length; i++) {
      const id = (users[i] as DirObject).id;
      if (this.at.has(id)) this.repeated.push(i);
      else this.at.set(id, i);
    }
    this.embedsTenant = embedsTenantTest(ctx)?.hit;
  }

  /** After its candidate is made: lets go of archived user `id` if the target lacks it (not live, not in its recycle bin). */
  early(id: string): void {
    if (!this.at.has(id)) return;
    const state = this.ctx.match.entries.get(id)?.state;
    if (state !== 'live' && state !== 'softDeleted') this.release(id);
  }

  /** Once the updates are resolved: lets go of every user still whole. Never throws. */
  rest(): void {
    for (const id of [...this.at.keys()]) this.release(id);
    for (const i of this.repeated.splice(0)) this.slimAt(i);
    this.ctx.releasedUsers = this.embedded;
  }

  private release(id: string): void {
    const i = this.at.get(id);
    if (i === undefined) return;
    this.at.delete(id);
    this.slimAt(i);
    // a memory mark (a full collection in the CLI, src/cli/mem-log.ts) every USERS_PER_MARK users let
    // go of: the whole users go to the old generation's garbage, and over the candidates of 100k users the
    // heap grew by about 80 MiB of it before V8 collected (docs/design.md "Session 41"; issue 17 item 1)
    this.releasedTick();
  }

  private slimAt(i: number): void {
    const users = this.ctx.archive.objects.user;
    if (!users) return;
    const full = users[i] as DirObject;
    if (this.embedsTenant) {
      const hit = this.embedsTenant;
      const keys = Object.keys(full).filter((k) => k !== 'id' && k !== 'userPrincipalName' && hit(full[k]));
      const joined = keys.join('\n');
      if (keys.length) this.embedded.set(full.id, this.shared.get(joined) ?? (this.shared.set(joined, Object.freeze(keys)), keys));
    }
    const slim = slimUser(full);
    users[i] = slim;
    const entry = this.ctx.archivedById.get(full.id);
    if (entry?.type === 'user') entry.obj = slim;
    const m = this.ctx.match.entries.get(full.id);
    if (m?.type === 'user') m.archived = slim;
  }
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

/**
 * `releaseRelationKind`, then a memory mark (src/mem-probe.ts) when the archive held edges of
 * `kind`: the CLI's collection there caps the heap's growth from it (src/cli/mem-log.ts). Over the
 * whole relation phase the heap grew to about 1.6× what was live, and at 100k users the phase was
 * the restore's highest step (459 MiB; with a mark per kind, each kind's step after the first at most
 * 401, one fresh run; docs/design.md "Session 40"; issue 17 item 1).
 */
export function releaseRelationKindMarked(ctx: PlanContext, kind: RelationKind, exchangeMissing: ReadonlySet<string>): void {
  const had = ctx.archive.relations[kind] !== undefined;
  releaseRelationKind(ctx, kind, exchangeMissing);
  if (had) memMark('plan:relation-kind');
}

/** Every kind of the archive's edges let go of as `releaseRelationKind` does one. Never throws. */
export function releaseArchivedRelations(ctx: PlanContext, exchangeMissing: ReadonlySet<string>): void {
  for (const kind of Object.keys(ctx.archive.relations) as RelationKind[]) releaseRelationKind(ctx, kind, exchangeMissing);
}
