/**
 * A scoped role member's `roleId` is the tenant's directoryRole object id, which means
 * nothing in another tenant (docs/graph-facts.md §3 "Directory roles"). The walker notes
 * the role's template id beside it as `@roleTemplateId`, read once from `/directoryRoles`,
 * so a restore can activate the same role in the target and use that role's id.
 */
import { isVaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject } from '../model.js';

/**
 * Returns a function that annotates a scopedRoleMembership with `@roleTemplateId`.
 * @throws what Graph throws, except a missing permission or endpoint (then the member is
 *   left unannotated and the restore reports it); never changes `roleId`
 */
export function directoryRoleAnnotator(graph: GraphClient): (obj: DirObject) => Promise<void> {
  let templates: Promise<Map<string, string>> | undefined;
  const load = async (): Promise<Map<string, string>> => {
    const m = new Map<string, string>();
    try {
      for await (const r of graph.list<{ id?: string; roleTemplateId?: string }>('/directoryRoles?$select=id,roleTemplateId')) {
        if (typeof r.id === 'string' && typeof r.roleTemplateId === 'string') m.set(r.id, r.roleTemplateId);
      }
    } catch (e) {
      if (!isVaultError(e) || (e.code !== 'GRAPH_FORBIDDEN' && e.code !== 'GRAPH_NOT_FOUND')) throw e;
    }
    return m;
  };
  return async (obj) => {
    templates ??= load();
    const t = (await templates).get(String(obj['roleId']));
    if (t !== undefined) obj['@roleTemplateId'] = t;
  };
}
