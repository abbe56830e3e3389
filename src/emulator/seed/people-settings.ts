/**
 * People settings in seeded tenants (issue 15 item 10; docs/graph-facts.md §3 "People settings",
 * S340-S342): a new tenant has Graph's defaults (pronouns off; item insights on, for every group;
 * no profile card properties); a drill tenant has turned pronouns on and item insights off for one
 * cloud security group's members, so a tenant-loss restore must PATCH both back, the group
 * re-linked to its new id; and it shows two attributes on the profile card, one with a localized
 * label, which the restore cannot write (an application may not): a manual step lists them.
 */
import { profileCardArchiveId } from '../../catalog/people-settings.js';
import type { Json } from '../../model.js';
import type { SeedContext } from './context.js';

/** A drill tenant's profile card: a custom attribute with labels in three languages, and the fax number. */
const PROFILE_CARD: readonly { name: string; annotations: Json }[] = [
  { name: 'CustomAttribute1', annotations: [{ displayName: 'Cost Center', localizations: [{ languageTag: 'de-DE', displayName: 'Kostenstelle' }, { languageTag: 'fr-FR', displayName: 'Centre de coûts' }] }] },
  { name: 'Fax', annotations: [] },
];

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
  if (!opts.drill) return;
  for (const p of PROFILE_CARD) {
    ctx.add('profileCardProperty', { id: profileCardArchiveId(p.name), '@odata.type': '#microsoft.graph.profileCardProperty', directoryPropertyName: p.name, annotations: p.annotations, isVisible: true });
  }
}
