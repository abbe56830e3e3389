/**
 * A PIM for Groups rule update onboards a group not yet onboarded, and "After PIM onboards a
 * group, the IDs of the PIM policies and policy assignments for the specific group change"
 * (https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview,
 * "Onboarding groups to PIM for Groups"; docs/graph-facts.md S231). The executor patches a
 * policy's rules one at a time (https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update):
 * after each PATCH it looks the policy up again, so the next rule goes to the policy's new id.
 * The emulator does not model a never-onboarded group's policies (the pages do not say which ids
 * they have), so this is a fake Graph that moves the policy on its first rule PATCH.
 */
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../src/errors.js';
import type { Json, JsonObject } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { systemClock } from '../../src/clock.js';
import type { Ctx } from '../../src/restore/execute/context.js';
import { patchPolicyRules } from '../../src/restore/execute/pim-rules.js';

const BASE = '/policies/roleManagementPolicies';
const rule = (id: string, v: string): JsonObject => ({ '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id, maximumDuration: v });

/** A group's member policy: `pre` until the first rule PATCH onboards the group, then `post`. */
function fakeGraph() {
  const state = { policy: 'pre', rules: [rule('Expiration_EndUser_Assignment', 'PT8H'), rule('Expiration_Admin_Eligibility', 'P365D')], patched: [] as string[] };
  const notFound = (path: string) => Object.assign(new VaultError('GRAPH_NOT_FOUND', `${path}: not found`, 're-plan'), { status: 404 });
  const policyOf = (path: string): string => path.slice(BASE.length + 1).split('/')[0]!;
  const graph = {
    get: async (path: string): Promise<{ value: Json[] }> => {
      if (policyOf(path) !== state.policy) throw notFound(path);
      return { value: state.rules };
    },
    patch: async (path: string, body: JsonObject): Promise<void> => {
      if (policyOf(path) !== state.policy) throw notFound(path);
      state.patched.push(path);
      state.rules = state.rules.map((r) => (r['id'] === body['id'] ? body : r));
      state.policy = 'post'; // onboarded: the policy has another id now
    },
  };
  const ctx = { graph, opts: { clock: systemClock, reporter: silentReporter, lagDelaysMs: [] }, idMap: new Map(), recheck: false } as unknown as Ctx;
  return { ctx, state };
}

describe('PIM for Groups rules of a group the first rule update onboards', () => {
  const body = { rules: [rule('Expiration_EndUser_Assignment', 'PT2H'), rule('Expiration_Admin_Eligibility', 'P180D')] };

  it('sends the second rule to the policy id the group has after onboarding', async () => {
    const { ctx, state } = fakeGraph();
    const r = await patchPolicyRules(ctx, `${BASE}/pre`, body, async () => `${BASE}/${state.policy}`);
    expect(r.outcome).toBe('updated');
    expect(state.patched).toEqual([`${BASE}/pre/rules/Expiration_EndUser_Assignment`, `${BASE}/post/rules/Expiration_Admin_Eligibility`]);
    expect(state.rules.map((x) => x['maximumDuration'])).toEqual(['PT2H', 'P180D']);
  });

  it('without the lookup the second rule goes to the old id and fails (what the lookup prevents)', async () => {
    const { ctx } = fakeGraph();
    await expect(patchPolicyRules(ctx, `${BASE}/pre`, body)).rejects.toThrow(/not found/);
  });
});
