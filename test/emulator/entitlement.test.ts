/**
 * Entitlement management in the emulator (issue 15 item 8), each behaviour with its Graph page
 * (docs/graph-facts.md §3 "Entitlement management"):
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-catalogs (catalogType userManaged)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackages (`catalog: { id }` in the body, not in the response)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentpolicies (the access package "must already exist"; subject sets)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignmentpolicies ($expand)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments ($expand=target; assignments come from requests)
 * - https://learn.microsoft.com/graph/api/accesspackage-delete (not while it has assignments)
 * - https://learn.microsoft.com/graph/api/entitlementmanagement-post-connectedorganizations (identitySources) and
 *   https://learn.microsoft.com/graph/api/connectedorganization-post-internalsponsors (`$ref`)
 * - https://learn.microsoft.com/graph/api/entitlementmanagementsettings-update (PATCH of the singleton)
 * - https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-get ($expand of relationships: `questions`, S240),
 *   https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentpolicies (example 4: questions inline, S241),
 *   https://learn.microsoft.com/graph/api/accesspackageassignmentpolicy-update (PUT of the whole policy, S242)
 * - https://learn.microsoft.com/graph/api/accesspackage-post-incompatibleaccesspackage, accesspackage-list-incompatibleaccesspackages,
 *   accesspackage-delete-incompatibleaccesspackage (S243) and the incompatibleGroups counterparts (S244)
 * - https://learn.microsoft.com/graph/api/accesspackagecatalog-post-accesspackagecustomworkflowextensions (S245) and
 *   https://learn.microsoft.com/graph/api/resources/customextensionstagesetting (a policy's stages, S246)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

const EM = '/identityGovernance/entitlementManagement';

describe('emulator: entitlement management', () => {
  let L: Lab;
  let userId: string;
  let groupId: string;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 95, users: 12 }));
    userId = ((await L.writer('GET', '/users?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
    groupId = ((await L.writer('GET', '/groups?$top=1&$select=id')).json.value as { id: string }[])[0]!.id;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('creates a catalog, then an access package in it; the catalog is read only through $expand', async () => {
    const cat = await L.writer('POST', `${EM}/catalogs`, { displayName: 'Marketing', description: 'Marketing resources' });
    expect(cat.status).toBe(201);
    expect(cat.json).toMatchObject({ catalogType: 'userManaged', state: 'published', isExternallyVisible: false });
    expect((await L.writer('POST', `${EM}/catalogs`, { displayName: 'x', catalogType: 'serviceDefault' })).status).toBe(400);
    // no catalog, or a catalog that does not exist: refused
    expect((await L.writer('POST', `${EM}/accessPackages`, { displayName: 'Campaigns' })).status).toBe(400);
    expect((await L.writer('POST', `${EM}/accessPackages`, { displayName: 'Campaigns', catalog: { id: '00000000-0000-0000-0000-00000000beef' } })).status).toBe(404);
    const pkg = await L.writer('POST', `${EM}/accessPackages`, { displayName: 'Campaigns', description: 'Campaign tools', isHidden: false, catalog: { id: cat.json.id } });
    expect(pkg.status).toBe(201);
    expect(pkg.json.catalog).toBeUndefined();
    expect((await L.writer('GET', `${EM}/accessPackages/${String(pkg.json.id)}`)).json.catalog).toBeUndefined();
    const expanded = await L.writer('GET', `${EM}/accessPackages/${String(pkg.json.id)}?$expand=catalog($select=id,displayName)`);
    expect(expanded.json.catalog).toMatchObject({ id: cat.json.id, displayName: 'Marketing' });
    expect((await L.writer('PATCH', `${EM}/accessPackages/${String(pkg.json.id)}`, { catalog: { id: cat.json.id } })).status).toBe(400);
  });

  it('creates a policy on an existing access package; its approvers must exist', async () => {
    const pkg = ((await L.writer('GET', `${EM}/accessPackages`)).json.value as { id: string }[])[0]!;
    const policy = (approver: Record<string, string>): Record<string, unknown> => ({
      displayName: 'Requests', description: 'With approval', allowedTargetScope: 'allMemberUsers', accessPackage: { id: pkg.id },
      requestApprovalSettings: { isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: false,
        stages: [{ durationBeforeAutomaticDenial: 'P7D', isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [approver], fallbackPrimaryApprovers: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId }] }] },
    });
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, { displayName: 'No package' })).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, policy({ '@odata.type': '#microsoft.graph.singleUser', userId: '00000000-0000-0000-0000-00000000dead' }))).status).toBe(400);
    const ok = await L.writer('POST', `${EM}/assignmentPolicies`, policy({ '@odata.type': '#microsoft.graph.singleUser', userId }));
    expect(ok.status).toBe(201);
    const list = await L.writer('GET', `${EM}/assignmentPolicies?$expand=accessPackage($select=id)&$filter=displayName eq 'Requests'`);
    expect(list.json.value.map((p: { accessPackage: { id: string } }) => p.accessPackage.id)).toEqual([pkg.id]);
  });

  it('a policy takes its questions inline on create, serves them only with $expand=questions, replaces them by PUT', async () => {
    const pkg = ((await L.writer('GET', `${EM}/accessPackages`)).json.value as { id: string }[])[0]!;
    const text = { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', sequence: 1, isRequired: true, isAnswerEditable: true, text: 'What do you do for work?',
      localizations: [{ languageCode: 'fr-CA', text: 'Que fais-tu comme travail?' }], isSingleLineQuestion: false, regexPattern: '[a-zA-Z]+[a-zA-Z\\s]*' };
    const choice = { '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion', sequence: 2, isRequired: true, isAnswerEditable: true, text: 'What country are you working from?',
      isMultipleSelectionAllowed: false, choices: [{ actualValue: 'KE', text: 'Kenya' }, { actualValue: 'JP', text: 'Japan' }] };
    const body = (questions: unknown[]): Record<string, unknown> => ({ displayName: 'A Policy With Questions', allowedTargetScope: 'allMemberUsers', accessPackage: { id: pkg.id }, questions });
    // malformed: no text, no choices, no derived type, an id of Graph's own on create
    for (const bad of [{ ...text, text: undefined }, { ...choice, choices: [] }, { ...text, '@odata.type': undefined }, { ...text, id: 'q1' }, { ...text, bogus: 1 }]) {
      expect((await L.writer('POST', `${EM}/assignmentPolicies`, body([JSON.parse(JSON.stringify(bad))]))).status, JSON.stringify(bad)).toBe(400);
    }
    const made = await L.writer('POST', `${EM}/assignmentPolicies`, body([choice, text]));
    expect(made.status).toBe(201);
    const id = String(made.json.id);
    expect(made.json.questions).toBeUndefined();
    expect((await L.writer('GET', `${EM}/assignmentPolicies/${id}`)).json.questions).toBeUndefined();
    const got = (await L.writer('GET', `${EM}/assignmentPolicies/${id}?$expand=questions`)).json.questions as Record<string, unknown>[];
    expect(got).toEqual([expect.objectContaining({ ...choice, id: expect.any(String) }), expect.objectContaining({ ...text, id: expect.any(String) })]);
    const listed = (await L.writer('GET', `${EM}/assignmentPolicies?$expand=accessPackage($select=id),questions&$filter=displayName eq 'A Policy With Questions'`)).json.value as Record<string, unknown>[];
    expect(listed[0]!['questions']).toEqual(got);
    // PATCH does not write questions; PUT of the whole policy does, keeping a question named by its id
    expect((await L.writer('PATCH', `${EM}/assignmentPolicies/${id}`, { questions: [text] })).status).toBe(400);
    expect((await L.writer('PUT', `${EM}/assignmentPolicies/${id}`, { id, displayName: 'A Policy With Questions', accessPackage: { id: 'other' }, questions: [] })).status).toBe(400);
    expect((await L.writer('PUT', `${EM}/assignmentPolicies/${id}`, { displayName: 'x', questions: [{ ...text, id: 'not-a-question-of-this-policy' }] })).status).toBe(400);
    const put = await L.writer('PUT', `${EM}/assignmentPolicies/${id}`, { id, displayName: 'A Policy With Questions', accessPackage: { id: pkg.id }, questions: [got[1]] });
    expect(put.status).toBe(200);
    expect((await L.writer('GET', `${EM}/assignmentPolicies/${id}?$expand=questions`)).json.questions).toEqual([got[1]]);
  });

  it('an access package names incompatible packages and groups with $ref: listed, added, removed', async () => {
    const [a, b] = (await L.writer('GET', `${EM}/accessPackages`)).json.value as { id: string }[];
    const pkgUrl = (id: string): string => `https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/${id}`;
    const base = `${EM}/accessPackages/${a!.id}`;
    // what the drill seed already made incompatible (src/emulator/seed), kept alongside
    const ids = async (nav: string): Promise<string[]> => ((await L.writer('GET', `${base}/${nav}`)).json.value as { id: string }[]).map((x) => x.id).sort();
    const [seededPkgs, seededGroups] = [await ids('incompatibleAccessPackages'), await ids('incompatibleGroups')];
    expect(seededPkgs).not.toContain(b!.id);
    expect(seededGroups).not.toContain(groupId);
    expect((await L.writer('POST', `${base}/incompatibleAccessPackages/$ref`, { '@odata.id': pkgUrl(b!.id) })).status).toBe(204);
    expect((await L.writer('POST', `${base}/incompatibleGroups/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/groups/${groupId}` })).status).toBe(204);
    // a group is not an access package, and the reverse; a missing object is 404
    expect((await L.writer('POST', `${base}/incompatibleAccessPackages/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/groups/${groupId}` })).status).toBe(400);
    expect((await L.writer('POST', `${base}/incompatibleGroups/$ref`, { '@odata.id': pkgUrl(b!.id) })).status).toBe(400);
    expect((await L.writer('POST', `${base}/incompatibleGroups/$ref`, { '@odata.id': 'https://graph.microsoft.com/v1.0/groups/00000000-0000-0000-0000-00000000dead' })).status).toBe(404);
    expect(await ids('incompatibleAccessPackages')).toEqual([...seededPkgs, b!.id].sort());
    expect(await ids('incompatibleGroups')).toEqual([...seededGroups, groupId].sort());
    expect((await L.writer('DELETE', `${base}/incompatibleAccessPackages/${b!.id}/$ref`)).status).toBe(204);
    expect(await ids('incompatibleAccessPackages')).toEqual(seededPkgs);
  });

  it('a catalog takes custom workflow extensions with their @odata.type; a policy runs one at a stage, read with the nested $expand', async () => {
    const cat = ((await L.writer('GET', `${EM}/catalogs`)).json.value as { id: string }[])[0]!;
    const pkg = await L.writer('POST', `${EM}/accessPackages`, { displayName: 'Callouts', catalog: { id: cat.id } });
    const ext = {
      '@odata.type': '#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension', displayName: 'test_action_0124_email', description: 'this is for graph testing only',
      endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration', subscriptionId: '38ab2ccc-3747-4567-b36b-9478f5602f0d', resourceGroupName: 'test', logicAppWorkflowName: 'elm-extension-email' },
      authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdPopTokenAuthentication' },
    };
    const coll = `${EM}/catalogs/${cat.id}/customWorkflowExtensions`;
    expect((await L.writer('POST', coll, { ...ext, '@odata.type': undefined })).status).toBe(400);
    expect((await L.writer('POST', coll, { ...ext, authenticationConfiguration: undefined })).status).toBe(400);
    const made = await L.writer('POST', coll, ext);
    expect(made.status).toBe(201);
    expect(made.json['@odata.type']).toBe(ext['@odata.type']);
    expect(((await L.writer('GET', coll)).json.value as { id: string }[]).map((x) => x.id)).toContain(made.json.id);
    const policy = (stages: unknown[]): Record<string, unknown> => ({ displayName: 'customExtensionStageSettings policy', allowedTargetScope: 'notSpecified', accessPackage: { id: pkg.json.id }, customExtensionStageSettings: stages });
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, policy([{ stage: 'whenever', customExtension: { id: made.json.id } }]))).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, policy([{ stage: 'assignmentRequestCreated', customExtension: { id: '00000000-0000-0000-0000-00000000dead' } }]))).status).toBe(400);
    const p = await L.writer('POST', `${EM}/assignmentPolicies`, policy([{ stage: 'assignmentRequestCreated', customExtension: { '@odata.type': ext['@odata.type'], id: made.json.id } }]));
    expect(p.status).toBe(201);
    const read = await L.writer('GET', `${EM}/assignmentPolicies/${String(p.json.id)}?$expand=customExtensionStageSettings($expand=customExtension)`);
    expect(read.json.customExtensionStageSettings).toEqual([{ id: expect.any(String), stage: 'assignmentRequestCreated', customExtension: expect.objectContaining({ id: made.json.id, displayName: ext.displayName }) }]);
    expect((await L.writer('GET', `${EM}/assignmentPolicies/${String(p.json.id)}?$expand=customExtensionStageSettings($select=stage)`)).status).toBe(400);
    // removed by updating the policy with an empty collection (S246)
    expect((await L.writer('PUT', `${EM}/assignmentPolicies/${String(p.json.id)}`, { displayName: 'customExtensionStageSettings policy', customExtensionStageSettings: [] })).status).toBe(200);
    expect((await L.writer('GET', `${EM}/assignmentPolicies/${String(p.json.id)}?$expand=customExtensionStageSettings`)).json.customExtensionStageSettings).toEqual([]);
  });

  it('creates a connected organization with its identity sources; sponsors are added with $ref; settings are patched', async () => {
    expect((await L.writer('POST', `${EM}/connectedOrganizations`, { displayName: 'Contoso' })).status).toBe(400);
    const org = await L.writer('POST', `${EM}/connectedOrganizations`, {
      displayName: 'Contoso', description: 'partner', identitySources: [{ '@odata.type': '#microsoft.graph.domainIdentitySource', domainName: 'contoso.example', displayName: 'Contoso' }],
    });
    expect(org.status).toBe(201);
    expect(org.json.state).toBe('configured');
    const ref = await L.writer('POST', `${EM}/connectedOrganizations/${String(org.json.id)}/internalSponsors/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${userId}` });
    expect(ref.status).toBe(204);
    expect((await L.writer('GET', `${EM}/connectedOrganizations/${String(org.json.id)}/internalSponsors`)).json.value.map((x: { id: string }) => x.id)).toEqual([userId]);
    expect((await L.writer('GET', `${EM}/settings`)).json).toMatchObject({ externalUserLifecycleAction: 'blockSignIn' });
    expect((await L.writer('PATCH', `${EM}/settings`, { externalUserLifecycleAction: 'none' })).status).toBe(204);
    expect((await L.writer('GET', `${EM}/settings`)).json.externalUserLifecycleAction).toBe('none');
    expect((await L.writer('PATCH', `${EM}/settings`, { externalUserLifecycleAction: 'bogus' })).status).toBe(400);
    // a policy may name a connected organization only when it exists
    const pkg = ((await L.writer('GET', `${EM}/accessPackages`)).json.value as { id: string }[])[0]!;
    const target = (id: string): Record<string, unknown> => ({ displayName: 'Partners', accessPackage: { id: pkg.id }, allowedTargetScope: 'specificConnectedOrganizationUsers',
      specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.connectedOrganizationMembers', connectedOrganizationId: id }] });
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, target('00000000-0000-0000-0000-0000000000aa'))).status).toBe(400);
    expect((await L.writer('POST', `${EM}/assignmentPolicies`, target(String(org.json.id)))).status).toBe(201);
  });

  it('lists assignments with their target; they are never POSTed, and their package cannot be deleted', async () => {
    const list = await L.writer('GET', `${EM}/assignments?$expand=target,accessPackage($select=id,displayName)`);
    expect(list.status).toBe(200);
    const a = list.json.value[0] as { target: { principalName: string; objectId: string }; accessPackage: { id: string }; schedule: unknown; state: string };
    expect(a.target.principalName).toContain('@');
    expect(a.state).toBe('delivered');
    expect((await L.writer('GET', `${EM}/assignments`)).json.value[0].target).toBeUndefined();
    expect((await L.writer('POST', `${EM}/assignments`, {})).status).toBe(405);
    expect((await L.writer('DELETE', `${EM}/accessPackages/${a.accessPackage.id}`)).status).toBe(400);
  });
});
