/**
 * Reference substitution for operation bodies: every RefSlot's archived value becomes
 * the live one (object ids, appIds, directory scopes, extension property names). This
 * is where a CA policy's group reference, an appRoleAssignment's principal or an
 * extension attribute name is remapped at execution time (the planner remapped what it
 * already knew; ids created during the run are known only here).
 */
import { VaultError } from '../../errors.js';
import type { JsonObject, Json } from '../../model.js';
import type { RefSlot } from '../types.js';
import { cloneJson } from '../json.js';

export interface LiveIds {
  /** archived object id → live object id */
  id(archivedId: string): string | undefined;
  /** live appId for a reference slot (value = archived appId, target = archived app/SP object id) */
  appId(archivedTargetId: string, archivedAppId: string): string | undefined;
}


/** Reads the value at `at` inside `body`. */
function getAt(body: JsonObject, at: (string | number)[]): Json | undefined {
  let cur: Json | undefined = body;
  for (const k of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, Json>)[k as string];
  }
  return cur;
}

function setAt(body: JsonObject, at: (string | number)[], value: Json): void {
  let cur: Json = body;
  for (let i = 0; i < at.length - 1; i++) {
    cur = (cur as Record<string, Json>)[at[i] as string] as Json;
    if (cur === null || typeof cur !== 'object') return;
  }
  (cur as Record<string, Json>)[at[at.length - 1] as string] = value;
}

/** `s` with every case-insensitive occurrence of `token` replaced by `by`. */
function replaceToken(s: string, token: string, by: string): string {
  const lower = s.toLowerCase();
  const t = token.toLowerCase();
  let out = '';
  let i = 0;
  for (let j = lower.indexOf(t); j >= 0; j = lower.indexOf(t, i)) {
    out += s.slice(i, j) + by;
    i = j + t.length;
  }
  return out + s.slice(i);
}

const EXT_RE = /^extension_([0-9a-fA-F]{32})_(.+)$/;

/**
 * Returns a copy of `body` with every slot substituted.
 * @throws VaultError PLAN_BLOCKED when a slot's target has no live counterpart (never
 *   sends a body that still points at an archived id)
 */
export function substituteRefs(body: JsonObject, refs: readonly RefSlot[], ids: LiveIds, label: string): JsonObject {
  const out = cloneJson(body);
  const renames: { from: string; to: string }[] = [];
  for (const slot of refs) {
    const blocked = () =>
      new VaultError('PLAN_BLOCKED', `${label}: reference ${slot.at.join('.')} to archived ${slot.targetType} ${slot.archivedTargetId} has no live counterpart`, 're-plan: the referenced object was not restored');
    if (slot.by === 'extensionName') {
      const name = String(slot.at[1] ?? '');
      const m = EXT_RE.exec(name);
      if (!m) continue;
      const oldAppId = (m[1] as string).toLowerCase();
      const dashed = `${oldAppId.slice(0, 8)}-${oldAppId.slice(8, 12)}-${oldAppId.slice(12, 16)}-${oldAppId.slice(16, 20)}-${oldAppId.slice(20)}`;
      const live = ids.appId(slot.archivedTargetId, dashed);
      if (!live) throw blocked();
      renames.push({ from: name, to: `extension_${live.replace(/-/g, '').toLowerCase()}_${m[2] as string}` });
      continue;
    }
    const cur = getAt(out, slot.at);
    if (typeof cur !== 'string') continue;
    switch (slot.by) {
      case 'id': {
        const live = ids.id(slot.archivedTargetId);
        if (!live) throw blocked();
        setAt(out, slot.at, live);
        break;
      }
      case 'appId': {
        const live = ids.appId(slot.archivedTargetId, slot.embedded ?? cur);
        if (!live) throw blocked();
        setAt(out, slot.at, slot.embedded ? replaceToken(cur, slot.embedded, live) : live);
        break;
      }
      case 'directoryScope': {
        if (cur === '/') break;
        const live = ids.id(slot.archivedTargetId);
        if (!live) throw blocked();
        setAt(out, slot.at, cur.startsWith('/administrativeUnits/') ? `/administrativeUnits/${live}` : `/${live}`);
        break;
      }
      case 'idInText': {
        // the id inside a longer string (an admin consent reviewer's query)
        const live = ids.id(slot.archivedTargetId);
        if (!live) throw blocked();
        setAt(out, slot.at, cur.replace(slot.archivedTargetId, live));
        break;
      }
      case 'roleTemplateId':
        // Built-in role template ids are immutable across tenants, and a custom role is
        // recreated with its archived templateId (docs/graph-facts.md §3).
        break;
      case 'roleDefinitionId': {
        // A recreated custom role has a new id, which its templateId need not equal: the
        // archived id is never sent (issue 11 item 2).
        const live = ids.id(slot.archivedTargetId);
        if (!live) throw blocked();
        setAt(out, slot.at, live);
        break;
      }
    }
  }
  for (const r of renames) {
    if (!(r.from in out)) continue;
    const v = out[r.from] as Json;
    delete out[r.from];
    out[r.to] = v;
  }
  return out;
}
