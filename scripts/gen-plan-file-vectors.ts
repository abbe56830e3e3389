/**
 * Regenerates the stored-plan vectors in test/vectors/plan-file/ (one file per case, with
 * <case>.expected.json; docs/journal-format.md "The stored plan"). Run:
 * npx tsx scripts/gen-plan-file-vectors.ts. Encrypted to the test identity
 * (test/vectors/keys/test-identity.txt): the bytes change at each run (age is randomised), the
 * expected results do not.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { encryptAgeBytes, loadIdentity } from '../src/crypto/age.js';
import { planSha256, storePlan } from '../src/ops/restore-pipeline.js';
import { PLAN_FILE_HEADER, planFileLines } from '../src/restore/plan-file.js';
import { planTag } from '../src/restore/plan-tag.js';
import type { Plan } from '../src/restore/types.js';

const dir = join(import.meta.dirname, '..', 'test', 'vectors', 'plan-file');
mkdirSync(dir, { recursive: true });
const identity = (await loadIdentity(join(import.meta.dirname, '..', 'test', 'vectors', 'keys', 'test-identity.txt')))[0]!;
const recipient = await identityToRecipient(identity);

const plan = {
  formatVersion: 1,
  scenario: 'tenant-loss',
  archive: { tenantId: '11111111-2222-3333-4444-555555555555', takenAt: '2026-12-01T00:00:00.000Z', manifestSha256: 'a'.repeat(64) },
  target: { tenantId: '66666666-7777-8888-9999-000000000000', initialDomain: 'fresh.onmicrosoft.com' },
  operations: [
    { opId: 'create:user:u1', kind: 'create', tier: 2, dependsOn: [], label: 'Create user Adele Vance', type: 'user', archivedId: 'u1', body: { displayName: 'Adele Vance', accountEnabled: true }, refs: [], needsPassword: true },
    { opId: 'add:groupMembers:g1:u1', kind: 'addRelation', tier: 3, dependsOn: ['create:user:u1'], label: 'Add groupMembers Sales → Adele Vance', relation: 'groupMembers', from: 'g1', to: 'u1', toType: 'user' },
  ],
  idMap: { g1: 'live-g1' },
  appIdMap: {},
  domainMap: { 'contoso.com': 'fresh.onmicrosoft.com' },
  unresolved: [],
  manualSteps: [],
  reportOnly: [],
  warnings: ['a warning with "quotes", é€😀 and a\nnewline'],
} as unknown as Plan;
const sha = planSha256(plan);

const write = (name: string, bytes: Uint8Array, description: string, expect: object) => {
  writeFileSync(join(dir, `${name}.plan.age`), bytes);
  writeFileSync(join(dir, `${name}.expected.json`), `${JSON.stringify({ description, expect }, null, 2)}\n`);
};
const encrypted = (plain: Uint8Array) => encryptAgeBytes(plain, { recipients: [recipient] });
const gz = (ls: string[]) => gzipSync(Buffer.from(ls.join('')));
const lines = [...planFileLines(plan, planTag(identity, sha))];
/** The plan's lines under another header line. */
const headed = (header: object, p: Plan = plan) => [`${JSON.stringify(header)}\n`, ...[...planFileLines(p, 'x')].slice(1)];
const ok = { ok: true, operations: 2, planSha256: sha };

for (const f of readdirSync(dir)) rmSync(join(dir, f));
await storePlan(join(dir, 'v3-valid.plan.age'), plan, recipient, identity);
writeFileSync(join(dir, 'v3-valid.expected.json'), `${JSON.stringify({ description: 'version 3 as storePlan writes it', expect: ok }, null, 2)}\n`);
const v3 = readFileSync(join(dir, 'v3-valid.plan.age'));
write('v3-two-members', await encrypted(Buffer.concat([gz(lines.slice(0, 4)), gz(lines.slice(4))])), 'version 3 in two gzip members', ok);
write('v3-cut', v3.subarray(0, v3.length - 20), 'version 3 cut inside its last age chunk', { error: 'JOURNAL_CORRUPT' });
write('v3-no-header', await encrypted(gz(lines.slice(1))), 'version 3 without its header line', { error: 'JOURNAL_CORRUPT' });
write('v3-list-short', await encrypted(gz(lines.slice(0, 5))), 'version 3 whose operations list ends before its count', { error: 'JOURNAL_CORRUPT' });
write('v3-gzip-cut', await encrypted(gz(lines).subarray(0, 60)), 'version 3 whose gzip stream is cut (the age layer intact)', { error: 'JOURNAL_CORRUPT' });
write('v3-untagged', await encrypted(gz(headed(PLAN_FILE_HEADER))), 'version 3 whose header has no tag', { error: 'SIGNATURE_MISSING' });
write('v3-another-identity', await encrypted(gz(headed({ ...PLAN_FILE_HEADER, tag: planTag(await generateX25519Identity(), sha) }))), 'version 3 tagged with another identity (encrypted to the operator\'s public recipient)', { error: 'SIGNATURE_INVALID' });
const planted = { ...plan, operations: [...plan.operations, { ...plan.operations[0]!, opId: 'create:user:planted', label: 'Create user Planted' }] } as Plan;
write('v3-changed', await encrypted(gz(headed({ ...PLAN_FILE_HEADER, tag: planTag(identity, sha) }, planted))), 'version 3 with an operation added under the tag of the plan as stored', { error: 'SIGNATURE_INVALID' });
write('v2-valid', await encrypted(gz(headed({ ...PLAN_FILE_HEADER, version: 2 }))), 'version 2 (no tag), as an earlier entra-vault wrote it', { error: 'SIGNATURE_MISSING' });
write('v1-valid', await encrypted(Buffer.from(JSON.stringify(plan))), 'version 1: the plan as one JSON document, as an earlier entra-vault wrote it (no tag)', { error: 'SIGNATURE_MISSING' });
