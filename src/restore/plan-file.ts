/**
 * The plan stored beside a restore journal (`<journal>.plan.age`, `<journal>.rest.plan.age`),
 * which `--resume` continues (docs/journal-format.md "The stored plan"). Inside its age
 * encryption: gzip (members of about 1 MiB, one after the other) of JSON lines, one line per
 * element of the plan's lists and per entry of its maps, so it is written and read back piece by
 * piece. Version 1 of this file was the plan as one JSON document, not compressed: at 100k users
 * 340 MB, and loading it held the file, its plaintext, that as one string and the parsed plan at
 * once (1,860–2,170 MiB peak RSS in two runs, issue 17 item 1). Version 3 adds the plan's tag to the
 * header (./plan-tag.ts); files of versions 1 and 2 carry none, and are refused.
 */
import { gzipSync } from 'node:zlib';
import { VaultError } from '../errors.js';
import { utf8Batches } from '../json-stream.js';
import { Interner, shareStrings } from '../intern.js';
import { LineSplitter } from '../line-splitter.js';
import { planMembers } from './plan-aside.js';
import type { Operation, Plan } from './types.js';
import { BodyStore } from './held-bodies.js';

/** The format and version of the file's first line (version 3: the header carries the plan's tag). */
export const PLAN_FILE_HEADER = { format: 'entra-vault-plan-lines', version: 3 } as const;

/** Plain text gathered per gzip member. */
const MEMBER_BYTES = 1024 * 1024;

/** The longest line a stored plan may hold (a manual step naming 100,000 objects is a few MB of it). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The lines of `plan` (each ending in '\n'): the header with the plan's `tag` (./plan-tag.ts), then
 * each member of the plan in its order (./plan-aside.ts `planMembers`): `{"member":K,"list":N}` and
 * N lines of elements, `{"member":K,"map":N}` and N lines of `[key, value]`, or
 * `{"member":K,"value":V}`. The plan read back equals the plan as JSON (the same planSha256).
 */
export function* planFileLines(plan: Plan, tag: string): Generator<string> {
  yield `${JSON.stringify({ ...PLAN_FILE_HEADER, tag })}\n`;
  for (const m of planMembers(plan)) {
    if (m.kind === 'list') {
      yield `${JSON.stringify({ member: m.key, list: m.items.length })}\n`;
      for (const e of m.items) yield `${JSON.stringify(e) ?? 'null'}\n`;
    } else if (m.kind === 'map') {
      yield `${JSON.stringify({ member: m.key, map: m.entries.length })}\n`;
      for (const e of m.entries) yield `${JSON.stringify(e)}\n`;
    } else yield `${JSON.stringify({ member: m.key, value: m.value })}\n`;
  }
}

/** The stored file's plaintext: `lines` as UTF-8, gzip-compressed in members of about 1 MiB. */
export function* gzipMembers(lines: Iterable<string>): Generator<Buffer> {
  for (const batch of utf8Batches(lines, MEMBER_BYTES)) yield gzipSync(batch, { level: 1 });
}

/** Whether decrypted plaintext starting with `first` is gzip (versions 2 and 3), not a version 1 file (a JSON document). */
export function isGzip(first: Uint8Array): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

/** What the reader holds while it reads members: the member being read, and how many lines it still expects. */
type Reading = { key: string; kind: 'list'; out: unknown[]; left: number } | { key: string; kind: 'map'; out: Record<string, unknown>; left: number };

/** A stored plan as read: the plan, and its tag as written (version 3; absent in version 2; untrusted until checked). */
export interface PlanRead {
  plan: Plan;
  tag?: unknown;
}

/** What to do about a stored plan that cannot be resumed: a new plan is always safe. */
export const REPLAN_STEP = 'move the journal and its plan files aside and re-plan with a new --journal path; re-planning finds what is already done';

/** The error of a stored plan that is damaged (`why`), naming the file. */
export function damagedPlan(path: string, why: string): VaultError {
  return new VaultError('JOURNAL_CORRUPT', `the stored plan ${path} is damaged: ${why}`, REPLAN_STEP);
}

/**
 * The plan whose version 2 or 3 lines are the decompressed chunks `text`, with the header's tag
 * (not checked here: ../ops/plan-store.ts loadPlan). An operation's `dependsOn` entries share
 * the strings of the opIds they name, as in the plan that was stored, instead of a string each as
 * parsed (about 500,000 at 100k users).
 * @throws VaultError JOURNAL_CORRUPT naming the file, when the lines are not a stored plan
 */
export async function planFromFile(text: AsyncIterable<Buffer>, path: string): Promise<PlanRead> {
  const bad = (why: string) => damagedPlan(path, why);
  const split = new LineSplitter(MAX_LINE_BYTES, () => bad('a line is too long'));
  const plan: Record<string, unknown> = {};
  const strings = new Interner();
  const bodies = new BodyStore();
  let header: { tag?: unknown } | undefined;
  let reading: Reading | undefined;
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw bad('a line is not JSON');
    }
  };
  const take = (line: string): void => {
    const v = parse(line);
    if (!header) {
      const h = v as { format?: unknown; version?: unknown; tag?: unknown } | null;
      // version 2 (no tag) is read so that it is refused as untagged, not as damaged
      if (h?.format !== PLAN_FILE_HEADER.format || (h.version !== 2 && h.version !== 3)) throw bad('it does not start with the stored plan header');
      header = h.version === 3 ? { tag: h.tag } : {};
      return;
    }
    if (reading) {
      // an operation's body is held compressed as the planner holds it (./held-bodies.ts), once its strings are shared
      if (reading.kind === 'list') reading.out.push(reading.key === 'operations' ? bodies.hold(shareStrings(shareOpIds(v, strings, bad), strings) as Operation) : shareStrings(v, strings));
      else {
        if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') throw bad(`an entry of ${reading.key} is not a [key, value] pair`);
        // an own member, as JSON.parse makes it, even when the key is `__proto__`
        Object.defineProperty(reading.out, strings.str(v[0]), { value: shareStrings(v[1], strings), enumerable: true, writable: true, configurable: true });
      }
      if (--reading.left === 0) reading = undefined;
      return;
    }
    reading = startMember(v, plan, bad);
  };
  for await (const chunk of text) for (const l of split.push(chunk)) take(l.text);
  const rest = split.rest();
  if (rest !== undefined) throw bad('it ends inside a line');
  if (!header) throw bad('it is empty');
  if (reading) throw bad(`it ends inside ${reading.key}`);
  if (!Array.isArray(plan['operations'])) throw bad('it has no operations');
  return { plan: plan as unknown as Plan, ...header };
}

/** A member's first line: the member set in `plan`, and what to read into next (nothing for a value). */
function startMember(v: unknown, plan: Record<string, unknown>, bad: (why: string) => VaultError): Reading | undefined {
  const m = v as { member?: unknown; list?: unknown; map?: unknown; value?: unknown } | null;
  if (m === null || typeof m !== 'object' || typeof m.member !== 'string' || m.member in plan) throw bad('a member line is malformed or repeated');
  const key = m.member;
  const count = m.list ?? m.map;
  if (count === undefined) {
    if (!('value' in m)) throw bad(`${key} has no value`);
    plan[key] = m.value;
    return undefined;
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw bad(`${key} has no count`);
  const reading: Reading = m.list !== undefined ? { key, kind: 'list', out: [], left: count } : { key, kind: 'map', out: {}, left: count };
  plan[key] = reading.out;
  return count === 0 ? undefined : reading;
}

/**
 * `op` with its opId and `dependsOn` held once in `strings`, whatever their length: an op's
 * `dependsOn` then names the opId strings read before it (a plan lists an op after those it
 * depends on). Shorter strings are shared by `shareStrings` (../intern.ts); opIds are mostly longer (an edge's
 * names both its ends).
 */
function shareOpIds(op: unknown, strings: Interner, bad: (why: string) => VaultError): unknown {
  const o = op as { opId?: unknown; dependsOn?: unknown } | null;
  if (o === null || typeof o !== 'object' || typeof o.opId !== 'string' || !Array.isArray(o.dependsOn)) throw bad('an operation has no opId or dependsOn');
  const deps = o.dependsOn as unknown[];
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i];
    if (typeof d === 'string') deps[i] = strings.str(d);
  }
  o.opId = strings.str(o.opId);
  return o;
}

