/**
 * Directory settings in drill tenants (issue 15 item 10): a group expiration policy for
 * selected Microsoft 365 groups (docs/graph-facts.md §3 "Group lifecycle policy"). A new tenant
 * has none; a drill tenant expires two of its Microsoft 365 groups after 180 days and mails the
 * group administrators about ownerless ones, so a restore must recreate the policy and add the
 * recreated groups to it by their new ids. One Microsoft 365 group also refuses guests
 * (its own Group.Unified.Guest setting, AllowToAddGuests false, overriding the tenant's
 * Group.Unified value), which a restore must recreate under the recreated group.
 */
import type { SeedContext } from './context.js';
import type { SeededGroup } from './directory.js';
import { Rng } from './rng.js';
import { GROUP_UNIFIED_GUEST } from '../group-settings.js';

/** How many Microsoft 365 groups the drill tenant's Selected policy applies to. */
export const LIFECYCLE_SELECTED_GROUPS = 2;

/** Seeds the policy and its selected groups; a tenant without Microsoft 365 groups gets an `All` policy instead. */
export function seedGroupLifecycle(ctx: SeedContext, groups: readonly SeededGroup[]): void {
  const rng = new Rng(ctx.seed, 'groupLifecycle');
  const unified = groups.filter((g) => g.kind === 'unified');
  const policy = ctx.add('groupLifecyclePolicy', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.groupLifecyclePolicy', groupLifetimeInDays: 180, managedGroupTypes: unified.length > 0 ? 'Selected' : 'All',
    alternateNotificationEmails: `group-admins@${ctx.customDomain};it-ops@${ctx.customDomain}`,
  });
  for (const g of unified.slice(0, LIFECYCLE_SELECTED_GROUPS)) ctx.rel('groupLifecyclePolicies', g.id, policy.id, 'groupLifecyclePolicy');
}

/** The last Microsoft 365 group keeps guests out with its own setting (none when the tenant has no such group). */
export function seedGroupSpecificSettings(ctx: SeedContext, groups: readonly SeededGroup[]): void {
  const rng = new Rng(ctx.seed, 'groupSpecificSettings');
  const group = groups.filter((g) => g.kind === 'unified').at(-1);
  if (!group) return;
  ctx.add('groupSpecificSetting', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.groupSetting', displayName: GROUP_UNIFIED_GUEST.displayName,
    templateId: GROUP_UNIFIED_GUEST.id, values: [{ name: 'AllowToAddGuests', value: 'false' }],
  }, group.id);
}
