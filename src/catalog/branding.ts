/**
 * Company branding per locale (issue 15 item 10), beside the default branding
 * (organizationalBranding, ./resources.ts). Graph facts in docs/graph-facts.md §3 "Company
 * branding" (S198). Its images are Edm.Stream properties, archived apart (src/snapshot/branding-streams.ts).
 * Permissions: Organization.*, as the default branding's, which Graph accepts besides the least
 * privileged OrganizationalBranding.* (S198).
 */
import type { ResourceDescriptor } from './types.js';
import { define, ms } from './define.js';

/**
 * Why a branding image is not a JSON property: it is a stream, archived apart on the record as
 * `@streams` and PUT back by the restore (src/snapshot/branding-streams.ts, docs/graph-facts.md S235).
 * src/report/limits.ts does not list these exclusions as limits.
 */
export const BRANDING_STREAM = 'binary stream (Edm.Stream): not a JSON property; read with its own GET, archived apart as the record\'s @streams and PUT back on restore';

export const brandingLocalization: ResourceDescriptor = define({
  // Branding per locale (issue 15 item 10): the id is the locale ("fr-FR"), given on create; the
  // list also returns the default branding as id "0", which the backup skips (it is the
  // organizationalBranding of ./resources.ts) and which cannot be created (docs/graph-facts.md S198).
  type: 'organizationalBrandingLocalization', entityType: ms('organizationalBrandingLocalization'), title: 'Company branding (localization)',
  path: '/organization/{parentId}/branding/localizations', shape: 'contained', parentType: 'organization',
  excluded: {
    backgroundImage: BRANDING_STREAM, bannerLogo: BRANDING_STREAM, customCSS: BRANDING_STREAM, favicon: BRANDING_STREAM, headerLogo: BRANDING_STREAM, squareLogo: BRANDING_STREAM,
    squareLogoDark: BRANDING_STREAM,
  },
  readOnly: ['backgroundImageRelativeUrl', 'bannerLogoRelativeUrl', 'cdnList', 'customCSSRelativeUrl', 'faviconRelativeUrl',
    'headerLogoRelativeUrl', 'squareLogoDarkRelativeUrl', 'squareLogoRelativeUrl'],
  createOnly: ['id'], requiredOnCreate: ['id'], naturalKey: ['id'], softDelete: 'hard', tier: 1, permissions: { read: 'Organization.Read.All', write: 'Organization.ReadWrite.All' },
});
