/**
 * The `objects` scenario's re-linking (issue 11 item 5): a selected object that comes back
 * with a new id (recreated, not restored from the recycle bin) leaves every live Conditional
 * Access policy (and PIM role setting, admin consent reviewer) that named it pointing at the old id. The policies are not in the selection,
 * so their archived values must not be written back; only the reference is: the live value
 * of the property that held it, with the recreated object's id added where the archive had
 * the old one. Each such policy is listed in the plan's `included` list with the object that
 * brought it, and keeps its live state (no report-only step, no enable op: nothing else in it
 * changes). Pure.
 */
import type { Json, JsonObject } from '../../model.js';
import { mapToLive } from '../diff.js';
import type { JsonPath } from '../json.js';
import { cmp } from '../json.js';
import { opIdFor, parentOf, type ArchivedEntry, type Candidate, type PlanContext } from './context.js';
import { resolveBody, type RefContext } from './refs.js';
import type { PlanScope } from './scope.js';

/**
 * Types whose live objects are re-linked to recreated selected objects: CA policies, and PIM
 * role settings whose approval rule names a recreated user or group as approver (its rules
 * are then patched one at a time, execute/pim-rules.ts), for directory roles and groups.
 */
const RELINKED = new Set(['conditionalAccessPolicy', 'roleManagementPolicy', 'adminConsentRequestPolicy', 'pimGroupPolicy']);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Puts `target` where the slot `at` points, creating objects on the way: into the array when
 * the slot is an array element (once), else as the value.
 */
function placeAt(root: JsonObject, at: JsonPath, target: string): void {
  const indexed = typeof at[at.length - 1] === 'number';
  const keyPath = indexed ? at.slice(0, -1) : at;
  const key = keyPath[keyPath.length - 1];
  if (typeof key !== 'string') return;
  let node: JsonObject = root;
  for (const seg of keyPath.slice(0, -1)) {
    if (typeof seg !== 'string') return;
    const next = node[seg];
    if (isObject(next)) node = next;
    else if (next === undefined || next === null) node = node[seg] = {};
    else return;
  }
  if (!indexed) {
    node[key] = target;
    return;
  }
  const arr = node[key];
  if (Array.isArray(arr)) {
    if (!arr.includes(target)) arr.push(target);
  } else node[key] = [target];
}

/**
 * An id inside a string of an array entry (an admin consent reviewer's `query`): the live
 * list keeps its entries (one still naming the old id resolves to the recreated object); the
 * archived entry is added when the live list lacks it.
 */
function placeEntry(root: JsonObject, archived: JsonObject, at: JsonPath): void {
  const [top, index] = at;
  if (typeof top !== 'string' || typeof index !== 'number') return;
  const entry = (archived[top] as Json[] | undefined)?.[index];
  const list = root[top];
  if (entry === undefined || !Array.isArray(list)) return;
  if (!list.some((x) => JSON.stringify(x) === JSON.stringify(entry))) list.push(JSON.parse(JSON.stringify(entry)) as Json);
}

/**
 * Update candidates (with `relink` set) for live out-of-scope policies that referenced a
 * selected object this plan recreates with a new id. Adds each to `scope.included`; a policy
 * whose live value holds a reference nothing resolves is left alone with a plan warning.
 */
export function relinkCandidates(ctx: PlanContext, scope: PlanScope, rc: RefContext, createdIds: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  if (!scope.included) return out;
  // in id order: the plan must not depend on the order of the input arrays
  for (const id of [...ctx.archivedById.keys()].sort(cmp)) {
    const entry = ctx.archivedById.get(id) as ArchivedEntry;
    if (scope.ids.has(id) || !RELINKED.has(entry.type)) continue;
    const e = ctx.match.entries.get(id);
    if (e?.state !== 'live' || !e.live) continue;
    const desc = ctx.catalog.descriptor(entry.type);
    const slots = resolveBody(desc, mapToLive(desc, entry.obj, ctx.match), rc).refs.filter((s) => createdIds.has(s.archivedTargetId));
    if (slots.length === 0) continue;
    const body: JsonObject = {};
    const mapped = mapToLive(desc, entry.obj, ctx.match);
    for (const s of slots) {
      const top = s.at[0];
      if (typeof top !== 'string') continue;
      if (!(top in body)) body[top] = JSON.parse(JSON.stringify(e.live[top] ?? {})) as Json;
      if (s.by === 'idInText') placeEntry(body, mapped, s.at);
      else placeAt(body, s.at, s.archivedTargetId);
    }
    const check = resolveBody(desc, body, rc);
    if (check.unresolved.length > 0) {
      ctx.warnings.push(`${desc.title} ${ctx.nameOf(id)}: not re-linked to ${slots.map((s) => ctx.nameOf(s.archivedTargetId)).join(', ')} because it also holds reference(s) nothing resolves (${check.unresolved.map((u) => `${u.path}=${u.value}`).join(', ')}); add the restored object(s) to it by hand`);
      continue;
    }
    const props = Object.keys(body).sort();
    out.push({
      opId: opIdFor('update', entry.type, id), kind: 'update', type: entry.type, archivedId: id, tier: desc.tier, body,
      changes: props.map((p) => ({ property: p, archived: body[p] ?? null, live: e.live?.[p] ?? null })), after: [], relink: true,
      // a group's PIM settings live under their group (catalog/pim-group-policies.ts)
      ...(parentOf(ctx, desc, entry.obj) ? { parent: parentOf(ctx, desc, entry.obj) as string } : {}),
    });
    for (const s of slots) {
      if (!scope.included.some((x) => x.archivedId === id)) scope.included.push({ archivedId: id, type: entry.type, displayName: ctx.nameOf(id), requiredBy: s.archivedTargetId });
    }
  }
  return out;
}
