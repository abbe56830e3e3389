/**
 * A cross-tenant access partner's identity synchronization policy in the emulator (issue 15
 * item 7), each behaviour with its Graph page (docs/graph-facts.md §3 "Cross-tenant identity
 * synchronization", S189):
 * - https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationpartner-put-identitysynchronization (PUT creates, 204)
 * - https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-get (GET; no id, keyed by tenantId)
 * - https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-update (PATCH, 204)
 * - https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-delete (DELETE, 204)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

const PARTNER = '9c5d131d-b1c3-4fc4-9e3f-c6557947d551';
const path = `/policies/crossTenantAccessPolicy/partners/${PARTNER}/identitySynchronization`;

describe('emulator: cross-tenant identity synchronization', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 189 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('is created with PUT under a partner, read without an id, patched and deleted; 404 when absent or without its partner', async () => {
    const body = { displayName: 'Fabrikam', userSyncInbound: { isSyncAllowed: true } };
    expect((await L.writer('PUT', path, body)).status).toBe(404);
    expect((await L.writer('POST', '/policies/crossTenantAccessPolicy/partners', { tenantId: PARTNER })).status).toBe(201);
    expect((await L.reader('GET', path)).status).toBe(404);
    expect((await L.writer('PATCH', path, { displayName: 'x' })).status).toBe(404);
    expect((await L.writer('PUT', path, { ...body, tenantId: '00000000-0000-0000-0000-000000000001' })).status).toBe(400);
    expect((await L.writer('PUT', path, body)).status).toBe(204);
    const got = await L.reader('GET', path);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ tenantId: PARTNER, displayName: 'Fabrikam', userSyncInbound: { isSyncAllowed: true } });
    expect(got.json.id).toBeUndefined();
    expect((await L.reader('GET', `${path}?$select=userSyncInbound`)).json).toEqual({ '@odata.context': expect.any(String), userSyncInbound: { isSyncAllowed: true } });
    expect((await L.reader('GET', `${path}?$select=nope`)).status).toBe(400);
    expect((await L.writer('PATCH', path, { userSyncInbound: { isSyncAllowed: false } })).status).toBe(204);
    expect((await L.reader('GET', path)).json.userSyncInbound).toEqual({ isSyncAllowed: false });
    // PUT again replaces it whole
    expect((await L.writer('PUT', path, { userSyncInbound: { isSyncAllowed: true } })).status).toBe(204);
    expect((await L.reader('GET', path)).json).toMatchObject({ displayName: null, userSyncInbound: { isSyncAllowed: true } });
    expect((await L.writer('DELETE', path)).status).toBe(204);
    expect((await L.reader('GET', path)).status).toBe(404);
  });
});
