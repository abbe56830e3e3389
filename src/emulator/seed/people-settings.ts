/**
 * People settings in seeded tenants (issue 15 item 10; docs/graph-facts.md §3 "People settings",
 * S340, S341): a new tenant has Graph's defaults (pronouns off; item insights on, for every group);
 * a drill tenant has turned pronouns on and item insights off for one cloud security group's
 * members, so a tenant-loss restore must PATCH both back, the group re-linked to its new id.
 */
import type { SeedContext } from './context.js';

/** Whether the tenant is a drill tenant with its people settings changed from the defaults. */
export interface PeopleSettingsSeed {
  drill: boolean;
  /** A drill tenant's group whose members' item insights are off. */
  insightsOffForGroup?: string;
}

/** The tenant's people settings: changed in a drill tenant, Graph's defaults otherwise. */
export function seedPeopleSettings(ctx: SeedContext, opts: PeopleSettingsSeed): void {
  ctx.add('pronounsSettings', { id: 'pronounsSettings', '@odata.type': '#microsoft.graph.pronounsSettings', isEnabledInOrganization: opts.drill });
  ctx.add('itemInsightsSettings', {
    id: 'itemInsightsSettings', '@odata.type': '#microsoft.graph.insightsSettings', isEnabledInOrganization: true, disabledForGroup: opts.insightsOffForGroup ?? null,
  });
}
