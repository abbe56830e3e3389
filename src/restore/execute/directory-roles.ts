/**
 * A scoped role member is written with the target tenant's directoryRole object id, not
 * a template id (docs/graph-facts.md §3 "Directory roles"): the role is activated from its
 * template first when the target has not activated it yet (Graph "Activate directoryRole").
 */
import { VaultError } from '../../errors.js';
import type { GraphClient } from '../../graph/types.js';

interface DirectoryRole {
  id?: string;
  roleTemplateId?: string;
}

async function findActive(graph: GraphClient, value: string): Promise<string | undefined> {
  for await (const r of graph.list<DirectoryRole>('/directoryRoles?$select=id,roleTemplateId')) {
    if (r.id === value) return value;
    if (typeof r.id === 'string' && r.roleTemplateId?.toLowerCase() === value.toLowerCase()) return r.id;
  }
  return undefined;
}

async function resolve(graph: GraphClient, value: string, label: string): Promise<string> {
  const found = await findActive(graph, value);
  if (found) return found;
  try {
    const created = await graph.post<DirectoryRole>('/directoryRoles', { roleTemplateId: value });
    if (typeof created.id !== 'string') throw new VaultError('GRAPH_BAD_RESPONSE', `${label}: activating directory role ${value} returned no id`);
    return created.id;
  } catch (e) {
    // Activated meanwhile (another writer, or a run interrupted after the POST): use it.
    const now = await findActive(graph, value);
    if (now) return now;
    throw e;
  }
}

/** In-flight lookups per client and value: concurrent members of one role activate it once. */
const inFlight = new WeakMap<GraphClient, Map<string, Promise<string>>>();

/**
 * The live directoryRole id for `value`: `value` itself when it already is one, else the
 * activated role of template `value`, activating it when needed.
 * @throws VaultError from Graph (a value that is neither a directoryRole nor a built-in
 *   role template is refused by Graph); never returns a template id
 */
export function liveDirectoryRoleId(graph: GraphClient, value: string, label: string): Promise<string> {
  let m = inFlight.get(graph);
  if (!m) inFlight.set(graph, (m = new Map()));
  let p = m.get(value);
  if (!p) {
    p = resolve(graph, value, label);
    // a failure is not remembered: a retry of the op asks Graph again
    p.catch(() => m.delete(value));
    m.set(value, p);
  }
  return p;
}
