/**
 * Company branding per locale in the emulator (issue 15 item 10, docs/graph-facts.md S198):
 * - https://learn.microsoft.com/graph/api/organizationalbranding-post-localizations (id is the
 *   locale; "You can't create the default branding by setting the value of id to the String
 *   types 0 or default"; one branding per locale)
 * - https://learn.microsoft.com/graph/api/organizationalbranding-list-localizations (the default
 *   branding listed as id "0"; only $select supported)
 * - https://learn.microsoft.com/graph/api/organizationalbrandinglocalization-update (PATCH of the
 *   String properties) and https://learn.microsoft.com/graph/api/organizationalbrandinglocalization-delete
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

describe('emulator: branding localizations', () => {
  let L: Lab;
  let base: string;
  beforeAll(async () => {
    const t = seedTenant({ seed: 98, users: 12 });
    L = await lab(t);
    base = `/organization/${t.tenantId}/branding/localizations`;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('lists the default branding as "0" before the seeded locales; $select only', async () => {
    const list = await L.writer('GET', `${base}?$select=id,signInPageText`);
    expect(list.status).toBe(200);
    const value = list.json.value as Array<{ id: string; signInPageText: string }>;
    expect(value.map((x) => x.id)).toEqual(['0', 'de-DE', 'fr-FR']);
    expect(value[0]!.signInPageText).toContain('Welcome');
    expect((await L.writer('GET', `${base}?$top=1`)).status).toBe(400);
  });

  it('creates one branding per locale, never the default, and updates and deletes it', async () => {
    expect((await L.writer('POST', base, { id: '0', signInPageText: 'x' })).status).toBe(400);
    expect((await L.writer('POST', base, { id: 'default' })).status).toBe(400);
    expect((await L.writer('POST', base, { id: 'not a locale' })).status).toBe(400);
    expect((await L.writer('POST', base, { signInPageText: 'no id' })).status).toBe(400);
    expect((await L.writer('POST', base, { id: 'fr-FR' })).status).toBe(409);
    const made = await L.writer('POST', base, { id: 'es-ES', signInPageText: 'Bienvenido', backgroundColor: '#00000F' });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ id: 'es-ES', signInPageText: 'Bienvenido' });
    expect((await L.writer('PATCH', `${base}/es-ES`, { usernameHintText: 'nombre@empresa.example' })).status).toBe(204);
    expect((await L.writer('GET', `${base}/es-ES`)).json.usernameHintText).toBe('nombre@empresa.example');
    expect((await L.writer('PATCH', `${base}/es-ES`, { bannerLogoRelativeUrl: 'x' })).status).toBe(400);
    expect((await L.writer('DELETE', `${base}/es-ES`)).status).toBe(204);
    expect((await L.writer('GET', `${base}/es-ES`)).status).toBe(404);
  });
});
