/**
 * The plan stored beside a journal (src/restore/plan-file.ts, docs/journal-format.md "The stored
 * plan"): written and read back piece by piece (issue 17 item 1: a 100k-user plan was 340 MB on
 * disk and 2.2 GB of peak memory to load whole), equal as JSON, and a damaged file is named as such.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, test } from 'vitest';
import { encryptAgeBytes } from '../../src/crypto/age.js';
import { isVaultError } from '../../src/errors.js';
import { loadPlan, planSha256, storePlan } from '../../src/ops/restore-pipeline.js';
import { PLAN_FILE_HEADER, planFileLines } from '../../src/restore/plan-file.js';
import { planTag } from '../../src/restore/plan-tag.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation, Plan } from '../../src/restore/types.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

let identity: string;
let recipient: string;
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
});

const dir = () => mkdtempSync(join(tmpdir(), 'ev-planfile-'));

/** A plan with maps, lists, a long list, an undefined member and text that needs escaping. */
function samplePlan(): Plan {
  const a = sampleArchive();
  const plan = buildPlan({ archive: a, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
  return {
    ...plan,
    idMap: Object.fromEntries((liveCopy(a).objects.user ?? []).map((u, i) => [u.id, `live-${i}`])),
    // a key JSON.parse makes an own member of, and an assignment would not
    appIdMap: JSON.parse('{"app-1":"app-2","__proto__":"x"}') as Record<string, string>,
    domainMap: {},
    included: undefined,
    // more than one gzip member of text: members join into one stream
    warnings: Array.from({ length: 30_000 }, (_, i) => `warning ${i}: a → "quoted"\nline é€😀`),
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (!isVaultError(e)) throw e;
    return e.code;
  }
}

describe('the stored plan (src/restore/plan-file.ts)', () => {
  test('comes back equal as JSON with the same planSha256, compressed, the plaintext never on disk', async () => {
    const plan = samplePlan();
    const file = join(dir(), 'j.plan.age');
    await storePlan(file, plan, recipient, identity);
    const { plan: back, planSha256: sha } = await loadPlan(file, identity);
    expect(JSON.stringify(back)).toBe(JSON.stringify(plan));
    expect(planSha256(back)).toBe(planSha256(plan));
    // the hash it was checked with comes with it: the caller binds the journal to it without hashing again
    expect(sha).toBe(planSha256(plan));
    expect('included' in back).toBe(false);
    // its short strings are shared as read (src/intern.ts shareStrings), but no node is frozen:
    // the executor writes into a loaded plan's operations as into a planned one's
    const nested = back.operations.flatMap<object>((o) => ('body' in o ? [o, o.refs, o.dependsOn] : [o, o.dependsOn]));
    expect(nested.length).toBeGreaterThan(10);
    expect(nested.filter((n) => Object.isFrozen(n))).toEqual([]);
    // its bodies are held as the planner holds them (src/restore/held-bodies.ts): each read a frozen
    // copy, and the executor's assignment (run.ts spend) replaces one
    const withBody = back.operations.filter((o) => o.kind === 'create' || o.kind === 'update');
    expect(withBody.length).toBeGreaterThan(0);
    for (const o of withBody) {
      expect(Object.getOwnPropertyDescriptor(o, 'body')?.get).toBeTypeOf('function');
      expect(Object.isFrozen(o.body)).toBe(true);
    }
    const spent = withBody[0] as Extract<Operation, { kind: 'create' | 'update' }>;
    spent.body = {};
    expect(spent.body).toEqual({});
    expect(statSync(file).size).toBeLessThan(JSON.stringify(plan).length / 3);
    // the plaintext never reaches the disk
    expect(readFileSync(file).toString('latin1')).not.toContain('warning 1');
  });

  test('a plan is resumed only with the tag of the identity that stored it (src/restore/plan-tag.ts)', async () => {
    const plan = samplePlan();
    const sha = planSha256(plan);
    const d = dir();
    // what someone who can write the journal's directory can make: a plan encrypted to the
    // operator's (public) recipient, in the format storePlan writes
    const put = async (name: string, lines: string[]) => {
      const f = join(d, `${name}.plan.age`);
      writeFileSync(f, await encryptAgeBytes(gzipSync(Buffer.from(lines.join(''))), { recipients: [recipient] }));
      return `${name}: ${await code(loadPlan(f, identity))}`;
    };
    const withHeader = (header: object, p: Plan = plan) => [`${JSON.stringify(header)}\n`, ...[...planFileLines(p, 'x')].slice(1)];
    expect(await put('tagged', withHeader({ ...PLAN_FILE_HEADER, tag: planTag(identity, sha) }))).toBe('tagged: OK');
    // the same identity in lower case (Bech32 is case-insensitive) keys the same tag
    expect(await put('lower', withHeader({ ...PLAN_FILE_HEADER, tag: planTag(identity.toLowerCase(), sha) }))).toBe('lower: OK');
    const other = await generateX25519Identity();
    expect(await put('another identity', withHeader({ ...PLAN_FILE_HEADER, tag: planTag(other, sha) }))).toBe('another identity: SIGNATURE_INVALID');
    // a plan changed under its tag: one more operation, the tag of the plan as it was
    const more = { ...plan, operations: [...plan.operations, { ...plan.operations[0]!, opId: 'create:user:planted', label: 'planted' }] } as Plan;
    expect(await put('changed', withHeader({ ...PLAN_FILE_HEADER, tag: planTag(identity, sha) }, more))).toBe('changed: SIGNATURE_INVALID');
    expect(await put('not hex', withHeader({ ...PLAN_FILE_HEADER, tag: 'zz'.repeat(32) }))).toBe('not hex: SIGNATURE_INVALID');
    expect(await put('a number', withHeader({ ...PLAN_FILE_HEADER, tag: 7 }))).toBe('a number: SIGNATURE_INVALID');
    expect(await put('no tag', withHeader(PLAN_FILE_HEADER))).toBe('no tag: SIGNATURE_MISSING');
    // version 2 (no tag) and version 1 (one JSON document) were written by earlier versions: refused, never run
    expect(await put('version 2', withHeader({ ...PLAN_FILE_HEADER, version: 2 }))).toBe('version 2: SIGNATURE_MISSING');
    const v1 = join(d, 'v1.plan.age');
    writeFileSync(v1, await encryptAgeBytes(Buffer.from(JSON.stringify(plan)), { recipients: [recipient] }));
    expect(await code(loadPlan(v1, identity))).toBe('SIGNATURE_MISSING');
  });

  test('a writing run needs the identity that tags its plan', async () => {
    await expect(storePlan(join(dir(), 'j.plan.age'), samplePlan(), recipient, undefined)).rejects.toMatchObject({ code: 'USAGE' });
  });

  test('another identity is DECRYPT_FAILED; a cut, altered or foreign file is JOURNAL_CORRUPT, an untagged one SIGNATURE_MISSING', async () => {
    const plan = samplePlan();
    const d = dir();
    const file = join(d, 'j.plan.age');
    await storePlan(file, plan, recipient, identity);
    expect(await code(loadPlan(file, await generateX25519Identity()))).toBe('DECRYPT_FAILED');
    const bytes = readFileSync(file);
    const cut = join(d, 'cut.plan.age');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
    expect(await code(loadPlan(cut, identity))).toBe('JOURNAL_CORRUPT');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5000]! ^= 1;
    const altered = join(d, 'altered.plan.age');
    writeFileSync(altered, flipped);
    expect(await code(loadPlan(altered, identity))).toBe('JOURNAL_CORRUPT');
    // validly encrypted, but not what storePlan writes
    const lines = [...planFileLines(plan, planTag(identity, planSha256(plan)))];
    const cases: Record<string, string[]> = {
      'no header': lines.slice(1),
      'a list cut short': lines.slice(0, 10),
      'a line that is not JSON': [...lines.slice(0, 3), '{"member":\n'],
      'a repeated member': [...lines, lines[1]!],
      'a line cut without its newline': [...lines.slice(0, -1), lines.at(-1)!.slice(0, -1)],
    };
    for (const [name, ls] of Object.entries(cases)) {
      const f = join(d, `${name}.plan.age`);
      writeFileSync(f, await encryptAgeBytes(gzipSync(Buffer.from(ls.join(''))), { recipients: [recipient] }));
      expect(`${name}: ${await code(loadPlan(f, identity))}`).toBe(`${name}: JOURNAL_CORRUPT`);
    }
    // not gzip inside: version 1 or not a stored plan, refused as untagged either way
    const notGzip = join(d, 'garbage.plan.age');
    writeFileSync(notGzip, await encryptAgeBytes(Buffer.from('not a plan'), { recipients: [recipient] }));
    expect(await code(loadPlan(notGzip, identity))).toBe('SIGNATURE_MISSING');
  });
});
