/**
 * The planner (docs/design.md "Restore"): a PURE function (archive, live state, scenario) →
 * Plan. No I/O, no clock, no randomness: the same input gives a deep-equal plan. (Its one
 * side effect is asked for: `release` slims the archived users and relations its caller handed
 * over, ./release.ts.)
 * Operations form a DAG sorted topologically and stably (tier, catalog type order,
 * archived id). Tier 0 brings Global Administrators back first; CA policies are
 * written report-only and enabled by a separate op only when every reference resolves
 * (docs/reliability.md 22); references are remapped or reported, never silently dropped.
 */
import type { Relation, TenantData } from '../../model.js';
import type { LiveState, Operation, Plan, RestoreSelection, ScenarioName, UnresolvedRef } from '../types.js';
import { defaultPlannerCatalog, upnDomain, type PlannerCatalog } from '../catalog.js';
import { cmp } from '../json.js';
import { memMark } from '../../mem-probe.js';
import { breakGlassOp, findGlobalAdmins } from './admins.js';
import { collectCandidates } from './candidates.js';
import { createContext, str, type PlanContext } from './context.js';
import { exchangeGroupStep } from './exchange.js';
import { remapEmbeddedAppIds, tenantRewriteWarnings } from './embed.js';
import { manualSteps } from './manual.js';
import { termsOfUseStep } from './terms-of-use.js';
import { identityProviderStep } from './identity-providers.js';
import { userFlowLanguageStep } from './user-flow-languages.js';
import { domainFederationStep } from './domain-federation.js';
import { finalizeCandidates, type Finalized } from './operations.js';
import { orderOperations } from './order.js';
import { BodyStore, holdBodies } from '../held-bodies.js';
import { relationOps } from './relations.js';
import { selectScope, type PlanScope } from './scope.js';
import { makeSplitter, opIdsInUse } from './split.js';
import { timeBoundStep, timeBoundWarnings } from './timebound.js';
import { betaSettingsStep } from './beta.js';
import { consentReviewerStep } from './consent.js';
import { assignmentStartStep, assignmentStep, policySubjectStep } from './entitlement.js';
import { eventsFlowStep } from './events-flows.js';
import { siteStep } from './entitlement-resources.js';
import { taskExtensionStep } from './governance.js';
import { workflowExtensionStep } from './entitlement-extensions.js';
import { devicesStep } from './devices.js';
import { mtoStep } from './multi-tenant-org.js';
import { orgContactsStep } from './org-contacts.js';
import { profileCardStep } from './people-settings.js';
import { profileSourceSteps } from './profile-sources.js';
import { resolveCandidates, type Resolved } from './updates.js';
import { relinkStep } from './relink.js';
import { releaseArchivedRelations, releaseRelationKindMarked, UserRelease } from './release.js';

export interface BuildPlanInput {
  archive: TenantData;
  archiveMeta: Plan['archive'];
  live: LiveState;
  scenario: ScenarioName;
  selection?: RestoreSelection;
  options?: { breakGlassUpn?: string; preferRecycleBin?: boolean };
  /** The catalog to plan with (tests inject one); default: src/catalog. */
  catalog?: PlannerCatalog;
  /**
   * The caller hands the archive over and reads none of its users' objects nor its relations again
   * (a writing restore that set them aside first, src/ops/restore-pipeline.ts): once the candidates
   * are made and resolved, the archived users are replaced by slim copies, and once the relation
   * phase has run, the relations by the few edges the last phases read (./release.ts). The plan is the same.
   */
  release?: boolean;
}

const VERIFY_OP = 'verify';

/**
 * Tier-0 ops must not wait for later tiers: a tier-0 create's references to later-tier
 * objects move to a follow-up update. Then the topological, stable sort (tier, catalog
 * type order, archived id), which splits creates to break cycles; verify runs last
 * whatever the sort made of it.
 * @throws Error on an unbreakable dependency cycle (a planner bug)
 */
function stageOperations(ctx: PlanContext, ops: Operation[], res: Resolved, bodies: BodyStore): Operation[] {
  const { catalog, typeIndex } = ctx;
  // the opIds in use, made when an op is first split: before any follow-up is registered
  const split = makeSplitter({ catalog, producer: res.producer, taken: opIdsInUse(ops), nameOf: ctx.nameOf });
  const tierOf = tiersOfTier0Dependencies(ops);
  let staged: Operation[] = [];
  for (const op of ops) {
    if (op.tier === 0 && op.kind === 'create') {
      const late = new Set(op.dependsOn.filter((d) => (tierOf.get(d) ?? 0) !== 0));
      const parts = late.size ? split(op, late) : undefined;
      if (parts) {
        staged.push(...parts);
        continue;
      }
    }
    staged.push(op);
  }
  staged = orderOperations(
    staged,
    (o) => {
      const t = o.kind === 'addRelation' ? (catalog.relation(o.relation)?.fromType ?? 'group') : 'type' in o ? o.type : o.kind === 'enableConditionalAccess' ? 'conditionalAccessPolicy' : undefined;
      const typeAt = o.kind === 'createBreakGlassAdmin' ? -1 : t ? (typeIndex.get(t) ?? 999) : 999;
      // an edge by its ends, as `${from}|${to}` orders (./order.ts OpKey)
      if (o.kind === 'addRelation') return { typeIndex: typeAt, sortId: o.from, sortIdTail: o.to };
      return { typeIndex: typeAt, sortId: 'archivedId' in o ? o.archivedId : '' };
    },
    split,
  );
  // in place: at 100k users each copy of the list is another 2.7 MiB while the sort's are held
  const verify: Operation[] = [];
  let k = 0;
  for (const o of staged) if (o.kind === 'verify') verify.push(o); else staged[k++] = o;
  staged.length = k;
  staged.push(...verify);
  // the bodies of the few operations the appId remap, the tier-0 split and the sort made anew
  holdBodies(staged, bodies);
  return staged;
}

/** The tier of each operation a tier-0 create depends on (a few), without a map of every operation. */
function tiersOfTier0Dependencies(ops: readonly Operation[]): Map<string, number> {
  const wanted = new Set<string>();
  for (const o of ops) if (o.tier === 0 && o.kind === 'create') for (const d of o.dependsOn) wanted.add(d);
  const tierOf = new Map<string, number>();
  if (wanted.size > 0) for (const o of ops) if (wanted.has(o.opId)) tierOf.set(o.opId, o.tier);
  return tierOf;
}

/** The plan's maps in archived-id order; the domain map only for domains a planned user write uses. */
function planMaps(ctx: PlanContext, staged: Operation[]): Pick<Plan, 'idMap' | 'appIdMap' | 'domainMap'> {
  const { match } = ctx;
  const idMap: Record<string, string> = {};
  for (const [a, l] of [...match.idMap].sort((x, y) => cmp(x[0], y[0]))) idMap[a] = l;
  const appIdMap: Record<string, string> = {};
  for (const [a, l] of [...match.appIdMap].sort((x, y) => cmp(x[0], y[0]))) appIdMap[a] = l;
  const usedDomains = new Set<string>();
  for (const o of staged) {
    if ((o.kind === 'create' || o.kind === 'update') && o.type === 'user') {
      const archivedUpn = str(ctx.archivedById.get(o.archivedId)?.obj['userPrincipalName']);
      if (archivedUpn && typeof o.body['userPrincipalName'] === 'string') usedDomains.add(upnDomain(archivedUpn));
    }
  }
  const domainMap: Record<string, string> = {};
  for (const [d, t] of match.domainMap) if (usedDomains.has(d)) domainMap[d] = t;
  return { idMap, appIdMap, domainMap };
}

/**
 * Build the restore plan. Pure and deterministic; with `release` it also empties what its caller
 * handed over (the archive's users become slim copies and its relations a few edges, ./release.ts),
 * and the plan is the same.
 * The phases run in this order, each in its own module: scope (./scope.ts), bootstrap admins (./admins.ts), restore/create
 * candidates (./candidates.ts), the update and blocking fixpoint (./updates.ts),
 * candidates to operations with CA enables (./operations.ts), relations
 * (./relations.ts), break-glass and verify, tier-0 split and ordering, then the maps
 * and manual steps (./manual.ts). Stage ends are memory marks (src/mem-probe.ts, no-ops unless a
 * probe is installed): the CLI collects garbage there, so one stage's garbage is not still on
 * the heap when the next stage's grows it (issue 17 item 1).
 * @throws Error only on a planner bug (an unbreakable dependency cycle); never VaultError,
 *   never I/O. Blocked operations are reported in `unresolved`, not thrown.
 */
export function buildPlan(input: BuildPlanInput): Plan {
  const { archive, live, scenario } = input;
  const ctx = createContext(input.catalog ?? defaultPlannerCatalog, archive, live, input.options?.preferRecycleBin ?? true);
  const scope: PlanScope = selectScope(ctx, scenario, input.selection);
  for (const [id, upn] of ctx.match.targetAdmins?.upnOverride ?? []) {
    ctx.warnings.push(`user ${ctx.nameOf(id)} is restored as ${upn}: the target's own admin holds its UPN and is never changed`);
  }

  // Bootstrap admins (tier 0) when the scenario may have locked everyone out.
  const bootstrap = scenario === 'tenant-loss' || scenario === 'all-admins-deleted';
  const admins = bootstrap ? findGlobalAdmins(archive) : undefined;
  const tier0 = new Set<string>(admins ? [...admins.users, ...admins.groups, ...admins.assignments.map((a) => a.id)] : []);

  // the last to read archived users whole (./release.ts): a user the target lacks goes once its candidate is made, the others once resolved
  const users = input.release ? new UserRelease(ctx) : undefined;
  const cands = collectCandidates(ctx, scope, tier0, users ? (id) => users.early(id) : undefined);
  memMark('plan:candidates');
  const res = resolveCandidates(ctx, cands, scope, input.selection);
  // marked once they are slim: the mark's collection caps the heap while the operations are made
  users?.rest();
  memMark('plan:resolved');
  // every body from here on is held compressed until the executor sends it (../held-bodies.ts)
  const bodies = new BodyStore();
  const out: Finalized = finalizeCandidates(ctx, cands, res, bodies);
  // Each operation's body is a resolved copy of its candidate's (./refs.ts resolveBody), and later
  // phases read the operations, `res` and the lists below, never a candidate: the candidates go
  // before the mark, whose collection caps the relation phase's heap (src/cli/mem-log.ts).
  const { syncedMissingIds, exchangeMissing } = cands;
  cands.cands.clear();
  memMark('plan:finalized');
  const exchangeEdges: Relation[] = [];
  // the relation phase is the last to read every archived edge: each kind goes once planned (./release.ts)
  const missingExchange = new Set(exchangeMissing.map((g) => g.id));
  const pausedDynamic = relationOps(ctx, scenario, scope, admins, res, out, exchangeEdges, input.release ? (kind) => releaseRelationKindMarked(ctx, kind, missingExchange) : undefined);
  // and whatever the relation phase did not walk (an attributes scope plans no edge)
  if (input.release) releaseArchivedRelations(ctx, missingExchange);
  memMark('plan:relations');
  const breakGlass = admins ? breakGlassOp(ctx, admins, input.options?.breakGlassUpn) : undefined;
  if (breakGlass) out.ops.push(breakGlass);
  out.ops.push({ opId: VERIFY_OP, kind: 'verify', tier: 5, dependsOn: [], label: 'Verify: diff the target against the archive again' });

  out.ops = remapEmbeddedAppIds(ctx, res, out.ops);
  tenantRewriteWarnings(ctx, out.ops);
  timeBoundWarnings(out.ops, ctx.warnings);
  memMark('plan:remapped');
  const staged = stageOperations(ctx, out.ops, res, bodies);
  memMark('plan:ordered');
  const maps = planMaps(ctx, staged);
  const archivedObjs = new Map([...ctx.archivedById].map(([k, v]) => [k, v.obj]));
  const steps = manualSteps({
    operations: staged, archivedById: archivedObjs, domainMap: maps.domainMap,
    syncedMissingIds, reportOnly: out.reportOnly, pausedDynamicGroups: pausedDynamic,
  });
  steps.push(...exchangeGroupStep(ctx, exchangeMissing, exchangeEdges));
  const timeBound = timeBoundStep(staged);
  if (timeBound) steps.push(timeBound);
  const beta = betaSettingsStep(archive, scenario);
  if (beta) steps.push(beta);
  for (const s of [consentReviewerStep(out.unresolved), termsOfUseStep(out.unresolved, (id) => ctx.nameOf(id))]) if (s) steps.push(s);
  const providers = identityProviderStep(ctx.skipped, ctx.archivedById);
  if (providers) steps.push(providers);
  const languages = userFlowLanguageStep((archive.objects.userFlowLanguage ?? []).filter((o) => scope.ids.has(o.id)), ctx.match);
  if (languages) steps.push(languages);
  const federation = domainFederationStep(ctx.skipped, ctx.archivedById);
  if (federation) steps.push(federation);
  for (const s of [policySubjectStep(out.unresolved, (id) => ctx.nameOf(id)), assignmentStep(ctx.skipped, ctx.archivedById), siteStep(ctx.skipped, ctx.archivedById),
    eventsFlowStep(out.unresolved, (id) => ctx.nameOf(id), (archive.objects.authenticationEventsFlow ?? []).filter((o) => scope.ids.has(o.id)))]) if (s) steps.push(s);
  const appName = (appId: string): string | undefined => (archive.objects.application ?? []).find((a) => a['appId'] === appId)?.['displayName'] as string | undefined;
  const extensions = taskExtensionStep(staged, archivedObjs, live.tenantId, appName);
  if (extensions) steps.push(extensions);
  const workflowExtensions = workflowExtensionStep(staged, archivedObjs, live.tenantId);
  if (workflowExtensions) steps.push(workflowExtensions);
  const starts = assignmentStartStep(staged, archivedObjs);
  if (starts) steps.push(starts);
  // issue 15 item 7: the multi-tenant organization (./multi-tenant-org.ts)
  const mto = mtoStep(ctx.skipped, archive, live.tenantId);
  if (mto) steps.push(mto);
  // issue 15 item 10: devices, the device registration policy (./devices.ts) and organizational contacts (./org-contacts.ts)
  for (const s of [devicesStep(ctx.skipped, ctx.archivedById, archive, (id) => ctx.nameOf(id)),
    orgContactsStep(ctx.skipped, ctx.archivedById, archive, (id) => ctx.nameOf(id)), profileCardStep(ctx.skipped, ctx.archivedById)]) if (s) steps.push(s);
  steps.push(...profileSourceSteps(ctx.skipped, out.unresolved, (id) => ctx.nameOf(id)));
  // live objects outside an objects selection that no write re-links to a recreated object (./relink.ts)
  const relink = relinkStep(ctx);
  if (relink) steps.push(relink);
  const plan: Plan = {
    formatVersion: 1,
    scenario,
    archive: { ...input.archiveMeta },
    target: { tenantId: live.tenantId, initialDomain: live.initialDomain },
    operations: staged,
    ...maps,
    unresolved: sortUnresolved(out.unresolved),
    manualSteps: steps,
    reportOnly: out.reportOnly.sort((a, b) => cmp(a.archivedId, b.archivedId)),
    warnings: [...new Set(ctx.warnings)],
  };
  if (scope.included && scope.included.length) plan.included = scope.included;
  if (ctx.skipped.length) plan.skipped = ctx.skipped.sort((a, b) => cmp(a.archivedId, b.archivedId));
  return plan;
}

/**
 * `list` sorted by op id, path and value, in place. Each op id is read once: a blocked edge's is
 * made when read (./relation-op.ts `blockedEdge`), and a comparison reading it would make two
 * strings each time.
 */
function sortUnresolved(list: UnresolvedRef[]): UnresolvedRef[] {
  const keyed = list.map((u) => ({ id: u.opId, u }));
  keyed.sort((a, b) => cmp(a.id, b.id) || cmp(a.u.path, b.u.path) || cmp(a.u.value, b.u.value));
  for (let i = 0; i < keyed.length; i++) list[i] = (keyed[i] as { u: UnresolvedRef }).u;
  return list;
}
