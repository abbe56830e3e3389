/**
 * Navigations Graph returns inline on a plain read of their parent (no `$select`), as the v1.0
 * reference's examples show, and the emulator stores as objects of their own catalog type:
 * - a permission grant policy's `includes` and `excludes` condition sets (./consent-policies.ts);
 * - an authentication strength's `combinationConfigurations` (the examples of Get
 *   authenticationStrengthPolicy, List policies and Create authenticationStrengthPolicy,
 *   https://learn.microsoft.com/graph/api/authenticationstrengthpolicy-get; the create answers `[]`);
 * - the authentication methods policy's `authenticationMethodConfigurations`
 *   (https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get).
 * Replayed by test/emulator/conformance/examples/ (authenticationstrengthpolicy-get-1,
 * authenticationstrengthroot-list-policies-1, authenticationstrengthroot-post-policies-1,
 * authenticationmethodspolicy-get-1). A `$select` read (the product's backup) never gets them.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { conditionSetsOf } from './consent-policies.js';

type Project = (ctx: Ctx, type: ResourceType, o: DirObject) => Record<string, Json>;

const byId = (a: DirObject, b: DirObject): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The inline navigations of `o` (undefined: its type has none), each item as its own GET shows it. */
export function inlineChildren(ctx: Ctx, type: ResourceType, o: DirObject, project: Project): Record<string, Json> | undefined {
  const store = ctx.rt.store;
  const live = (t: ResourceType): DirObject[] => [...(store.live.get(t)?.values() ?? [])].sort(byId);
  if (type === 'permissionGrantPolicy') return conditionSetsOf(ctx, o.id);
  if (type === 'authenticationStrengthPolicy') {
    const kids = live('authenticationCombinationConfiguration').filter((c) => store.parentOf.get(c.id) === o.id);
    return { combinationConfigurations: kids.map((c) => project(ctx, 'authenticationCombinationConfiguration', c)) };
  }
  if (type === 'authenticationMethodsPolicy') {
    return { authenticationMethodConfigurations: live('authenticationMethodConfiguration').map((c) => project(ctx, 'authenticationMethodConfiguration', c)) };
  }
  return undefined;
}
