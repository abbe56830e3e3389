/**
 * Writes Graph's v1.0 reference does not document are refused, never stored
 * (src/emulator/documented-methods.ts). The table is checked against
 * vendor/graph-docs/resource-methods.json, which holds for every catalog type its resource page
 * (microsoftgraph/microsoft-graph-docs-contrib `api-reference/v1.0/resources/<type>.md`, with the
 * commit read), the rows of its Methods table, and whether Create, Update and Delete are
 * documented. Then a write of each kind the table refuses is sent to a real object of the seeded
 * tenant: 405 with Graph's error envelope (S387), and the object reads back unchanged. Pages
 * named for the probes: unifiedroleassignment.md (List, Create, Get, Delete: no Update),
 * approleassignment.md ("You can create, read and delete app role assignments"),
 * extensionproperty.md (Create, List, Get, Delete), attributeset.md and
 * customsecurityattributedefinition.md ("can't be renamed or deleted"), organization.md
 * ("create and delete are not supported"), accesspackageresourcerolescope.md (List, Create,
 * Delete), b2xidentityuserflow.md (no Update), delegatedpermissionclassification (List, Add,
 * Remove on the servicePrincipal page), scopedrolemembership (Add, List, Get, Remove on the
 * administrativeUnit page), certificatebasedauthconfiguration.md ("Updating … is not supported").
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import type { ResourceType } from '../../src/catalog/types.js';
import { UNDOCUMENTED_WRITES, type WriteKind } from '../../src/catalog/documented-writes.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

interface Entry {
  type: ResourceType;
  resourcePage: { repo: string; path: string; commit: string };
  methodsRows: string[];
  create: { documented: boolean | null };
  update: { documented: boolean | null };
  delete: { documented: boolean | null };
}
const vendored = JSON.parse(readFileSync(new URL('../../vendor/graph-docs/resource-methods.json', import.meta.url), 'utf8')) as Entry[];
const KINDS: WriteKind[] = ['create', 'update', 'delete'];
type Obj = Record<string, unknown>;

describe('emulator: writes the reference does not document', () => {
  it('the table is the vendored Methods tables: every catalog type has its page, and exactly its undocumented writes are refused', () => {
    expect(vendored.map((e) => e.type).sort()).toEqual(catalog.map((d) => d.type).sort());
    for (const e of vendored) {
      expect(e.resourcePage.repo).toBe('microsoftgraph/microsoft-graph-docs-contrib');
      expect(e.resourcePage.commit, e.type).toMatch(/^[0-9a-f]{40}$/);
      expect(e.resourcePage.path, e.type).toMatch(/^api-reference\/v1\.0\/resources\/.+\.md$/);
      const singleton = catalog.find((d) => d.type === e.type)!.shape === 'singleton';
      // a singleton is never created or deleted: the generic handler refuses both already
      const undocumented = KINDS.filter((k) => e[k].documented === false && !(singleton && k !== 'update'));
      expect([...(UNDOCUMENTED_WRITES[e.type] ?? [])].sort(), e.type).toEqual(undocumented.sort());
    }
  });

  describe('probes on a seeded tenant', () => {
    let L: Lab;
    const first = async (path: string): Promise<Obj> => {
      const r = await L.reader('GET', path);
      expect(r.status, path).toBe(200);
      const v = (r.json.value as Obj[])[0];
      if (!v) throw new Error(`nothing at ${path}`);
      return v;
    };
    beforeAll(async () => {
      L = await lab(seedTenant({ seed: 71, users: 12 }));
    });
    afterAll(async () => {
      await L.emu.close();
    });

    /** The path of the first `nav` object under any object of `collection` (one must exist). */
    async function firstChild(collection: string, nav: string): Promise<string> {
      for (const p of (await L.reader('GET', `${collection}?$select=id`)).json.value as Obj[]) {
        const list = (await L.reader('GET', `${collection}/${String(p.id)}/${nav}`)).json.value as Obj[];
        if (list[0]) return `${collection}/${String(p.id)}/${nav}/${String(list[0].id)}`;
      }
      throw new Error(`no ${nav} under any of ${collection}`);
    }

    async function refused(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, readBack: string): Promise<void> {
      const before = (await L.reader('GET', readBack)).json;
      const r = await L.writer(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(errorCode(r)).toBe('Request_BadRequest');
      expect(r.json.error.message).toBe('Specified HTTP method is not allowed for the request target.');
      expect((await L.reader('GET', readBack)).json, readBack).toEqual(before);
    }

    it('PATCH of a role assignment, an app role assignment, an extension property, a scoped role member, a classification, a role scope, a user flow', async () => {
      const ra = await first('/roleManagement/directory/roleAssignments');
      await refused('PATCH', `/roleManagement/directory/roleAssignments/${String(ra.id)}`, { directoryScopeId: '/' }, `/roleManagement/directory/roleAssignments/${String(ra.id)}`);

      const graphSp = await first(`/servicePrincipals?$filter=${encodeURIComponent("appId eq '00000003-0000-0000-c000-000000000000'")}`);
      const ara = await first(`/servicePrincipals/${String(graphSp.id)}/appRoleAssignedTo`);
      const araPath = `/servicePrincipals/${String(graphSp.id)}/appRoleAssignedTo/${String(ara.id)}`;
      await refused('PATCH', araPath, { appRoleId: ara.appRoleId }, `/servicePrincipals/${String(graphSp.id)}/appRoleAssignedTo`);

      const ext = await firstChild('/applications', 'extensionProperties');
      await refused('PATCH', ext, { isMultiValued: true }, ext);
      const scoped = await firstChild('/directory/administrativeUnits', 'scopedRoleMembers');
      await refused('PATCH', scoped, { roleId: 'x' }, scoped.replace(/\/[^/]+$/, ''));
      const cls = await firstChild('/servicePrincipals', 'delegatedPermissionClassifications');
      await refused('PATCH', cls, { classification: 'high' }, cls.replace(/\/[^/]+$/, ''));

      const flow = await first('/identity/b2xUserFlows');
      await refused('PATCH', `/identity/b2xUserFlows/${String(flow.id)}`, { userFlowTypeVersion: 1 }, `/identity/b2xUserFlows/${String(flow.id)}`);
    });

    it('DELETE of an attribute set, an attribute definition, the organization; POST of an organization and of an authentication method configuration', async () => {
      const set = await first('/directory/attributeSets');
      await refused('DELETE', `/directory/attributeSets/${String(set.id)}`, undefined, `/directory/attributeSets/${String(set.id)}`);
      const def = await first('/directory/customSecurityAttributeDefinitions');
      await refused('DELETE', `/directory/customSecurityAttributeDefinitions/${String(def.id)}`, undefined, `/directory/customSecurityAttributeDefinitions/${String(def.id)}`);
      const org = await first('/organization');
      await refused('DELETE', `/organization/${String(org.id)}`, undefined, '/organization');
      await refused('POST', '/organization', { displayName: 'Second' }, '/organization');
      await refused('POST', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations', { '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: 'enabled' }, '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations');
    });

    it('a documented write of the same types is still served (DELETE of a role assignment)', async () => {
      const ra = await first('/roleManagement/directory/roleAssignments');
      expect((await L.writer('DELETE', `/roleManagement/directory/roleAssignments/${String(ra.id)}`)).status).toBe(204);
    });
  });
});
