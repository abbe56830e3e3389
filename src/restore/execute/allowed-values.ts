/**
 * A custom security attribute definition's predefined values on update (issue 15 item 10).
 * A definition created by the restore carries them inline in its POST; an existing one is never
 * PATCHed with them: each archived value the live definition lacks is added with
 * `POST …/{id}/allowedValues`, and a value whose `isActive` differs is PATCHed (values cannot be
 * deleted, only deactivated; docs/graph-facts.md S196, S197). A repeated run writes nothing.
 */
import type { Json, JsonObject } from '../../model.js';
import { lag, type Ctx, type Done } from './context.js';

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Adds or (de)activates each archived value that differs from the live definition's.
 * @throws VaultError from Graph (the run records the op as failed)
 */
export async function writeAllowedValues(ctx: Ctx, definitionPath: string, values: Json | undefined): Promise<Done> {
  const want = Array.isArray(values) ? values.filter(isObject) : [];
  if (want.length === 0) return { outcome: 'alreadyPresent' };
  const path = `${definitionPath}/allowedValues`;
  const live = await lag(ctx, path, () => ctx.graph.get<{ value?: Json[] }>(path));
  const liveById = new Map<string, JsonObject>();
  for (const v of live?.value ?? []) if (isObject(v) && typeof v['id'] === 'string') liveById.set(v['id'], v);
  let written = 0;
  for (const v of want) {
    const id = v['id'];
    if (typeof id !== 'string') continue;
    const isActive = v['isActive'] !== false;
    const have = liveById.get(id);
    if (!have) {
      await lag(ctx, path, () => ctx.graph.post(path, { id, isActive }));
      written += 1;
    } else if ((have['isActive'] !== false) !== isActive) {
      const item = `${path}/${encodeURIComponent(id)}`;
      await lag(ctx, item, () => ctx.graph.patch(item, { isActive }));
      written += 1;
    }
  }
  return { outcome: written > 0 ? 'updated' : 'alreadyPresent' };
}
