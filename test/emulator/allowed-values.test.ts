/**
 * Custom security attribute predefined values in the emulator (issue 15 item 10,
 * docs/graph-facts.md S196, S197):
 * - https://learn.microsoft.com/graph/api/resources/allowedvalue (id up to 64 characters, at most
 *   100 per definition, never renamed or deleted, only deactivated; returned only with $expand)
 * - https://learn.microsoft.com/graph/api/customsecurityattributedefinition-post-allowedvalues
 * - https://learn.microsoft.com/graph/api/allowedvalue-update (isActive)
 * - https://learn.microsoft.com/graph/api/directory-post-customsecurityattributedefinitions
 *   (Example 3: predefined values inline in the definition's POST; the response without them)
 * - https://learn.microsoft.com/graph/api/resources/customsecurityattributedefinition
 *   (usePreDefinedValuesOnly: only predefined values may be assigned)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

const DEFS = '/directory/customSecurityAttributeDefinitions';

describe('emulator: custom security attribute predefined values', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 97, users: 12 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('keeps values per definition (the same id under two), served only with $expand', async () => {
    const plain = await L.writer('GET', `${DEFS}/HumanResources_Clearance`);
    expect(plain.status).toBe(200);
    expect(plain.json.allowedValues).toBeUndefined();
    const list = await L.writer('GET', `${DEFS}?$expand=allowedValues`);
    const byId = new Map((list.json.value as Array<{ id: string; allowedValues: Array<{ id: string; isActive: boolean }> }>).map((d) => [d.id, d.allowedValues]));
    expect(byId.get('HumanResources_Clearance')!.find((v) => v.id === 'Internal')).toEqual({ id: 'Internal', isActive: true });
    expect(byId.get('HumanResources_LegacyBadge')!.find((v) => v.id === 'Internal')).toEqual({ id: 'Internal', isActive: false });
    expect(byId.get('HumanResources_IsExecutive')).toEqual([]);
    expect((await L.writer('GET', `${DEFS}/HumanResources_LegacyBadge/allowedValues/Internal`)).json).toMatchObject({ id: 'Internal', isActive: false });
  });

  it('adds, deactivates and refuses to delete, rename or duplicate a value', async () => {
    const base = `${DEFS}/Engineering_Project/allowedValues`;
    expect((await L.writer('POST', base, { id: 'Eridanus', isActive: true })).status).toBe(201);
    expect((await L.writer('POST', base, { id: 'Eridanus', isActive: true })).status).toBe(409);
    expect((await L.writer('POST', base, { id: 'x'.repeat(65), isActive: true })).status).toBe(400);
    expect((await L.writer('POST', base, { id: 'NoFlag' })).status).toBe(400);
    expect((await L.writer('PATCH', `${base}/Eridanus`, { isActive: false })).status).toBe(204);
    expect((await L.writer('GET', `${base}/Eridanus`)).json.isActive).toBe(false);
    expect((await L.writer('PATCH', `${base}/Eridanus`, { id: 'Renamed' })).status).toBe(400);
    expect((await L.writer('DELETE', `${base}/Eridanus`)).status).toBe(405);
    expect((await L.writer('PATCH', `${DEFS}/Engineering_Project`, { allowedValues: [{ id: 'Fornax', isActive: true }] })).status).toBe(400);
  });

  it('creates a definition with values inline (not echoed), at most 100', async () => {
    const def = { attributeSet: 'Engineering', description: 'Sites', isCollection: false, isSearchable: true, status: 'Available', type: 'String', usePreDefinedValuesOnly: true };
    const made = await L.writer('POST', DEFS, { ...def, name: 'Site', allowedValues: [{ id: 'Oslo', isActive: true }, { id: 'Lima', isActive: true }] });
    expect(made.status).toBe(201);
    expect(made.json.allowedValues).toBeUndefined();
    expect((await L.writer('GET', `${DEFS}/Engineering_Site/allowedValues`)).json.value).toEqual([{ id: 'Oslo', isActive: true }, { id: 'Lima', isActive: true }]);
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `v${i}`, isActive: true }));
    expect((await L.writer('POST', DEFS, { ...def, name: 'TooMany', allowedValues: many })).status).toBe(400);
  });

  it('assigns a predefined-only attribute only its active values', async () => {
    const user = ((await L.writer('GET', "/users?$filter=userType eq 'Member'&$select=id&$top=1")).json.value as { id: string }[])[0]!.id;
    const set = (clearance: string): Record<string, unknown> => ({ customSecurityAttributes: { HumanResources: { '@odata.type': '#microsoft.graph.customSecurityAttributeValue', Clearance: clearance } } });
    expect((await L.writer('PATCH', `/users/${user}`, set('Secret'))).status).toBe(204);
    expect((await L.writer('PATCH', `/users/${user}`, set('Unheard'))).status).toBe(400);
    expect((await L.writer('PATCH', `/users/${user}`, set('TopSecret'))).status).toBe(400);
  });
});
