/**
 * Company branding per locale (issue 15 item 10): the drill tenant signs in French and German
 * users with their own texts (docs/graph-facts.md S198). Deterministic (no draw).
 */
import type { SeedContext } from './context.js';

export function seedBrandingLocalizations(ctx: SeedContext): void {
  const texts: Array<[string, string, string, string | null]> = [
    ['de-DE', `Willkommen bei ${ctx.orgName}. Nur für autorisierte Nutzung.`, 'name@firma.example', '#0B3D91'],
    ['fr-FR', `Bienvenue chez ${ctx.orgName}. Usage autorisé uniquement.`, 'nom@entreprise.example', null],
  ];
  for (const [id, signInPageText, usernameHintText, backgroundColor] of texts) {
    ctx.add('organizationalBrandingLocalization', {
      id, '@odata.type': '#microsoft.graph.organizationalBrandingLocalization',
      backgroundColor, backgroundImageRelativeUrl: null, bannerLogoRelativeUrl: null, cdnList: [], signInPageText, squareLogoRelativeUrl: null, usernameHintText,
    }, ctx.tenantId);
  }
}
