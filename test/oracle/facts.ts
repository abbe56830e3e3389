/**
 * The oracle's view of a tenant: every fact about the generated objects, by natural key, read
 * with plain GETs. Shares nothing with src/restore/fidelity.ts or test/ops/natural-keys.ts.
 * A fact is `key attribute=value` or `key relation→other key`.
 */
import { GA_TEMPLATE } from './tenant-spec.js';
import type { Io } from './graph-io.js';

export interface TenantFacts {
  /** oracle key → live id */
  ids: Map<string, string>;
  facts: Set<string>;
}

const ours = (name: unknown) => typeof name === 'string' && (name.startsWith('OV ') || name.startsWith('ov-'));
const sorted = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort().join(',') : String(v ?? ''));

export async function readFacts(io: Io): Promise<TenantFacts> {
  const ids = new Map<string, string>();
  const keyOf = new Map<string, string>();
  const facts = new Set<string>();
  const add = (key: string, fact: string) => facts.add(`${key} ${fact}`);
  const own = (key: string, id: string) => {
    ids.set(key, id);
    keyOf.set(id, key);
  };
  const users = (await io.list('/users?$select=id,userPrincipalName,displayName,givenName,surname,jobTitle,department,accountEnabled')).filter((u) => ours(u.userPrincipalName));
  for (const u of users) {
    const key = `user:${String(u.userPrincipalName).split('@')[0]}`;
    own(key, String(u.id));
    for (const a of ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'accountEnabled']) add(key, `${a}=${String(u[a] ?? '')}`);
  }
  const groups = (await io.list('/groups?$select=id,displayName,mailNickname,description,securityEnabled,mailEnabled,groupTypes')).filter((g) => ours(g.displayName));
  for (const g of groups) {
    const key = `group:${String(g.displayName)}`;
    own(key, String(g.id));
    for (const a of ['mailNickname', 'description', 'securityEnabled', 'mailEnabled']) add(key, `${a}=${String(g[a] ?? '')}`);
    add(key, `groupTypes=${sorted(g.groupTypes)}`);
  }
  const aus = (await io.list('/directory/administrativeUnits?$select=id,displayName,description')).filter((a) => ours(a.displayName));
  for (const a of aus) {
    own(`au:${String(a.displayName)}`, String(a.id));
    add(`au:${String(a.displayName)}`, `description=${String(a.description ?? '')}`);
  }
  const apps = (await io.list('/applications?$select=id,appId,displayName,appRoles')).filter((a) => ours(a.displayName));
  const roleValue = new Map<string, string>();
  for (const a of apps) {
    own(`app:${String(a.displayName)}`, String(a.id));
    const roles = (a.appRoles as { id: string; value: string }[] | undefined) ?? [];
    for (const r of roles) roleValue.set(r.id, r.value);
    add(`app:${String(a.displayName)}`, `appRoles=${roles.map((r) => r.value).sort().join(',')}`);
  }
  const sps = (await io.list('/servicePrincipals?$select=id,appId,displayName,appRoleAssignmentRequired')).filter((s) => ours(s.displayName));
  for (const s of sps) {
    own(`sp:${String(s.displayName)}`, String(s.id));
    add(`sp:${String(s.displayName)}`, `appRoleAssignmentRequired=${String(s.appRoleAssignmentRequired)}`);
  }
  // relations, once every generated object has its key
  for (const g of groups) {
    for (const m of await io.list(`/groups/${g.id}/members?$select=id`)) if (keyOf.has(String(m.id))) add(`group:${String(g.displayName)}`, `member→${keyOf.get(String(m.id))}`);
    for (const o of await io.list(`/groups/${g.id}/owners?$select=id`)) if (keyOf.has(String(o.id))) add(`group:${String(g.displayName)}`, `owner→${keyOf.get(String(o.id))}`);
  }
  for (const a of aus) {
    for (const m of await io.list(`/directory/administrativeUnits/${a.id}/members?$select=id`)) if (keyOf.has(String(m.id))) add(`au:${String(a.displayName)}`, `member→${keyOf.get(String(m.id))}`);
  }
  for (const s of sps) {
    for (const r of await io.list(`/servicePrincipals/${s.id}/appRoleAssignedTo`)) {
      const who = keyOf.get(String(r.principalId));
      if (who) add(`sp:${String(s.displayName)}`, `assigned ${roleValue.get(String(r.appRoleId)) ?? String(r.appRoleId)}→${who}`);
    }
  }
  add('tenant', `securityDefaults=${String((await io.get('/policies/identitySecurityDefaultsEnforcementPolicy')).isEnabled)}`);
  for (const p of (await io.list('/identity/conditionalAccess/policies')).filter((x) => ours(x.displayName))) {
    const key = `ca:${String(p.displayName)}`;
    own(key, String(p.id));
    add(key, `state=${String(p.state)}`);
    const users = ((p.conditions as Record<string, unknown>)?.users ?? {}) as Record<string, string[]>;
    for (const id of users.includeGroups ?? []) add(key, `includeGroup→${keyOf.get(id) ?? `unknown ${id}`}`);
    for (const id of users.excludeUsers ?? []) add(key, `excludeUser→${keyOf.get(id) ?? `unknown ${id}`}`);
    add(key, `includeUsers=${sorted(users.includeUsers)}`);
  }
  for (const l of (await io.list('/identity/conditionalAccess/namedLocations')).filter((x) => ours(x.displayName))) {
    const key = `nl:${String(l.displayName)}`;
    own(key, String(l.id));
    add(key, `isTrusted=${String(l.isTrusted)}`);
    add(key, `ipRanges=${((l.ipRanges as { cidrAddress: string }[] | undefined) ?? []).map((r) => r.cidrAddress).sort().join(',')}`);
  }
  for (const r of await io.list(`/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GA_TEMPLATE}'`)) {
    const who = keyOf.get(String(r.principalId));
    if (who) add(who, 'holds Global Administrator');
  }
  // a lifecycle workflow's tasks name users and groups by id in their arguments (a welcome mail's
  // cc, the groups new hires join): a GET of one workflow shows its tasks (docs/graph-facts.md S179)
  for (const w of (await io.list('/identityGovernance/lifecycleWorkflows/workflows')).filter((x) => ours(x.displayName))) {
    const key = `workflow:${String(w.displayName)}`;
    own(key, String(w.id));
    const full = await io.get(`/identityGovernance/lifecycleWorkflows/workflows/${String(w.id)}`);
    for (const t of (full.tasks as { displayName?: string; arguments?: { name: string; value: string }[] }[] | undefined) ?? []) {
      for (const a of t.arguments ?? []) {
        const named = keyOf.get(a.value);
        if (named || /^[0-9a-f-]{36}$/i.test(a.value)) add(key, `tasks=${String(t.displayName)} ${a.name}→${named ?? `unknown ${a.value}`}`);
      }
    }
  }
  // an access review names the group it reviews and its reviewers by id inside queries
  // (`/groups/{id}/transitiveMembers`, `/users/{id}`)
  for (const r of (await io.list('/identityGovernance/accessReviews/definitions')).filter((x) => ours(x.displayName))) {
    const key = `review:${String(r.displayName)}`;
    own(key, String(r.id));
    const queryIds = (q: unknown): string[] => (typeof q === 'string' ? q.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [] : []);
    for (const id of queryIds((r.scope as { query?: string } | undefined)?.query)) add(key, `scope→${keyOf.get(id) ?? `unknown ${id}`}`);
    for (const rv of (r.reviewers as { query?: string }[] | undefined) ?? []) for (const id of queryIds(rv.query)) add(key, `reviewers→${keyOf.get(id) ?? `unknown ${id}`}`);
  }
  await pimFacts(io, keyOf, add);
  await consentFacts(io, keyOf, apps, own, add);
  return { ids, facts };
}

/** Admin consent reviewers by oracle key, the default user role's consent policies, the oracle's consent and app management policies. */
async function consentFacts(io: Io, keyOf: Map<string, string>, apps: Record<string, unknown>[], own: (key: string, id: string) => void, add: (key: string, fact: string) => void): Promise<void> {
  const acr = await io.get('/policies/adminConsentRequestPolicy');
  add('consent', `enabled=${String(acr.isEnabled)}`);
  for (const r of (acr.reviewers ?? []) as { query: string }[]) {
    const id = /^\/(?:users|groups)\/([^/]+)/.exec(r.query)?.[1] ?? r.query;
    add('consent', `reviewer→${keyOf.get(id) ?? `unknown ${id}`}`);
  }
  add('consent', `userConsentPolicies=${sorted(((await io.get('/policies/authorizationPolicy')).defaultUserRolePermissions as Record<string, unknown>).permissionGrantPoliciesAssigned)}`);
  for (const p of (await io.list('/policies/permissionGrantPolicies')).filter((x) => String(x.id).startsWith('ov-'))) {
    for (const c of await io.list(`/policies/permissionGrantPolicies/${String(p.id)}/includes`)) add(`grant:${String(p.id)}`, `include=${String(c.permissionType)}/${String(c.permissionClassification)}`);
  }
  for (const p of (await io.list('/policies/appManagementPolicies')).filter((x) => ours(x.displayName))) {
    own(`amp:${String(p.displayName)}`, String(p.id));
    add(`amp:${String(p.displayName)}`, `isEnabled=${String(p.isEnabled)}`);
  }
  for (const a of apps) {
    for (const p of await io.list(`/applications/${String(a.id)}/appManagementPolicies`)) add(`app:${String(a.displayName)}`, `appManagementPolicy→${keyOf.get(String(p.id)) ?? `unknown ${String(p.id)}`}`);
  }
}

/** Global Administrator's PIM role settings: activation length, approval, approvers by oracle key. */
async function pimFacts(io: Io, keyOf: Map<string, string>, add: (key: string, fact: string) => void): Promise<void> {
  const f = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GA_TEMPLATE}'`;
  const [a] = await io.list(`/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(f)}&$expand=policy($expand=rules)`);
  const rules = (((a?.policy ?? {}) as Record<string, unknown>).rules ?? []) as Record<string, unknown>[];
  const rule = (id: string) => rules.find((r) => r.id === id) ?? {};
  add('pim:Global Administrator', `maximumDuration=${String(rule('Expiration_EndUser_Assignment').maximumDuration)}`);
  const setting = (rule('Approval_EndUser_Assignment').setting ?? {}) as Record<string, unknown>;
  add('pim:Global Administrator', `approvalRequired=${String(setting.isApprovalRequired)}`);
  for (const stage of (setting.approvalStages ?? []) as Record<string, unknown>[]) {
    for (const ap of (stage.primaryApprovers ?? []) as Record<string, unknown>[]) {
      const id = String(ap.groupId ?? ap.userId);
      add('pim:Global Administrator', `approver→${keyOf.get(id) ?? `unknown ${id}`}`);
    }
  }
}
