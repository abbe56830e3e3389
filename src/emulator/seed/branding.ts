/**
 * Company branding per locale (issue 15 item 10): the drill tenant signs in French and German
 * users with their own texts (docs/graph-facts.md S198). Deterministic (no draw).
 */
import type { SeedContext } from './context.js';

/** A 1×1 PNG (67 bytes): the drill tenant's square logo (docs/graph-facts.md S235). */
export const DRILL_SQUARE_LOGO_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** The French sign-in page's stylesheet. */
export const DRILL_CUSTOM_CSS = '.ext-sign-in-box { border-radius: 4px; }\n.ext-footer { background: #0B3D91; }\n';

export function seedBrandingLocalizations(ctx: SeedContext): void {
  const texts: Array<[string, string, string, string | null]> = [
    ['de-DE', `Willkommen bei ${ctx.orgName}. Nur für autorisierte Nutzung.`, 'name@firma.example', '#0B3D91'],
    ['fr-FR', `Bienvenue chez ${ctx.orgName}. Usage autorisé uniquement.`, 'nom@entreprise.example', null],
  ];
  for (const [id, signInPageText, usernameHintText, backgroundColor] of texts) {
    ctx.add('organizationalBrandingLocalization', {
      id, '@odata.type': '#microsoft.graph.organizationalBrandingLocalization',
      backgroundColor, backgroundImageRelativeUrl: null, bannerLogoRelativeUrl: null, cdnList: [], signInPageText, squareLogoRelativeUrl: null, usernameHintText,
      // its stylesheet, as the emulator keeps a PUT one (../branding-streams.ts)
      ...(id === 'fr-FR' ? { '@em.stream.customCSS': { contentType: 'text/css', base64: Buffer.from(DRILL_CUSTOM_CSS).toString('base64') } } : {}),
    }, ctx.tenantId);
  }
  // the default branding's square logo
  const branding = ctx.objects.get('organizationalBranding')?.[0];
  if (branding) branding['@em.stream.squareLogo'] = { contentType: 'image/png', base64: DRILL_SQUARE_LOGO_PNG };
}
