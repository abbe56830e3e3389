/**
 * Objects Graph answers without an `id` get a stable archive id from their key instead of
 * failing the whole backup: a cross-tenant partner by its tenantId, a multi-tenant
 * organization's member tenant (whose get/list examples show tenantId and no id,
 * https://learn.microsoft.com/graph/api/multitenantorganization-list-tenants, docs/graph-facts.md
 * S261) by `multiTenantOrganizationMember:<tenantId>`, so it never shares the partner's id.
 */
import { describe, expect, it } from 'vitest';
import { descriptor } from '../../src/catalog/index.js';
import { normalize } from '../../src/snapshot/walker.js';

describe('normalize: objects without an id', () => {
  it('a member tenant is keyed by its tenantId, apart from the partner of the same tenant', () => {
    const tenantId = '1fd6544e-e994-4de2-9f1b-787b51c7d325';
    const member = normalize(descriptor('multiTenantOrganizationMember'), { '@odata.context': 'x', tenantId, displayName: 'Contoso', role: 'owner', state: 'active' });
    const partner = normalize(descriptor('crossTenantAccessPolicyPartner'), { tenantId, isServiceProvider: false });
    expect(member?.id).toBe(`multiTenantOrganizationMember:${tenantId}`);
    expect(partner?.id).toBe(tenantId);
    // an id Graph does send is kept
    expect(normalize(descriptor('multiTenantOrganizationMember'), { id: 'abc', tenantId })?.id).toBe('abc');
  });
  it('any other object without an id is a malformed answer', () => {
    expect(() => normalize(descriptor('user'), { displayName: 'x' })).toThrow(/without an id/);
  });
});

/**
 * A profile source is archived under its sourceId, the key of its Get, Update and Delete URLs
 * (https://learn.microsoft.com/graph/api/profilesource-update); its Graph id (a GUID,
 * https://learn.microsoft.com/graph/api/resources/profilesource) is kept as `@graphId`, since a
 * precedence may name the source as `…/profileSources/{id}` (docs/archive-format.md §2).
 */
describe('normalize: profile sources', () => {
  it('keys a source by its sourceId and keeps its Graph id as @graphId', () => {
    const guid = '5d3b7d57-2a6a-4b0e-9d42-2a7ae5a3b9c1';
    const o = normalize(descriptor('profileSource'), { id: guid, sourceId: 'contosohr1', kind: 'BambooHR', displayName: 'HR' });
    expect(o).toEqual({ id: 'contosohr1', '@graphId': guid, sourceId: 'contosohr1', kind: 'BambooHR', displayName: 'HR' });
  });
});
