/**
 * People settings in seeded tenants (issue 15 item 10; docs/graph-facts.md §3 "People settings",
 * S340): a new tenant has Graph's defaults (pronouns off); a drill tenant has turned pronouns on,
 * so a tenant-loss restore must PATCH them on again.
 */
import type { SeedContext } from './context.js';

/** Whether the tenant is a drill tenant with its people settings changed from the defaults. */
export interface PeopleSettingsSeed {
  drill: boolean;
}

/** The tenant's people settings: changed in a drill tenant, Graph's defaults otherwise. */
export function seedPeopleSettings(ctx: SeedContext, opts: PeopleSettingsSeed): void {
  ctx.add('pronounsSettings', { id: 'pronounsSettings', '@odata.type': '#microsoft.graph.pronounsSettings', isEnabledInOrganization: opts.drill });
}
