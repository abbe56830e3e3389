/**
 * People settings in seeded tenants (issue 15 item 10; docs/graph-facts.md §3 "People settings",
 * S340-S342): a new tenant has Graph's defaults (pronouns off; item insights on, for every group;
 * no profile card properties); a drill tenant has turned pronouns on and item insights off for one
 * cloud security group's members, so a tenant-loss restore must PATCH both back, the group
 * re-linked to its new id; and it shows two attributes on the profile card, one with a localized
 * label, which the restore cannot write (an application may not): a manual step lists them.
 * Every tenant has Microsoft's Entra ID profile source (kind MSEntra, its sourceId a GUID of its
 * own, S370); a drill tenant has renamed it, added its HR system as a source, and set the
 * tenant-level precedence (the nameless property setting, S372) to the HR system first, then Entra:
 * a restore creates the HR source, patches the Entra one's name and re-links both URLs.
 */
import { profileCardArchiveId } from '../../catalog/people-settings.js';
import type { Json } from '../../model.js';
import type { SeedContext } from './context.js';
import { Rng } from './rng.js';

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
  const rng = new Rng(ctx.seed, 'profileSources');
  const entraSourceId = rng.guid();
  const entraGraphId = rng.guid();
  ctx.add('profileSource', {
    id: entraGraphId, '@odata.type': '#microsoft.graph.profileSource', sourceId: entraSourceId, kind: 'MSEntra',
    displayName: opts.drill ? `${ctx.orgName} Microsoft Entra` : 'Microsoft Entra ID', webUrl: 'https://login.microsoftonline.com', localizations: [],
  });
  if (!opts.drill) return;
  ctx.add('profileSource', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.profileSource', sourceId: 'contosohr1', kind: 'BambooHR', displayName: 'HR Platform',
    webUrl: 'https://bamboohr.contoso.com/login', localizations: [{ displayName: 'HR-Plattform', webUrl: 'https://bamboohr.contoso.com/de/login', languageTag: 'de' }],
  });
  const url = (sourceId: string): string => `https://graph.microsoft.com/v1.0/admin/people/profileSources(sourceId='${sourceId}')`;
  // the Entra source named by its Graph id, a form a tenant may hold (docs/graph-facts.md S377-S379): a restore must re-link it
  ctx.add('profilePropertySetting', {
    id: rng.guid(), '@odata.type': '#microsoft.graph.profilePropertySetting', name: null, displayName: 'Profile source precedence',
    prioritizedSourceUrls: [url('contosohr1'), `https://graph.microsoft.com/v1.0/admin/people/profileSources/${entraGraphId}`],
  });
  for (const p of PROFILE_CARD) {
    ctx.add('profileCardProperty', { id: profileCardArchiveId(p.name), '@odata.type': '#microsoft.graph.profileCardProperty', directoryPropertyName: p.name, annotations: p.annotations, isVisible: true });
  }
}
