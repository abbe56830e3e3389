/**
 * Regenerates the stored-plan vectors in test/vectors/plan-file/ (one file per case, with
 * <case>.expected.json; docs/journal-format.md "The stored plan"). Run:
 * npx tsx scripts/gen-plan-file-vectors.ts. Encrypted to the test identity
 * (test/vectors/keys/test-identity.txt): the bytes change at each run (age is randomised), the
 * expected results do not.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { identityToRecipient } from 'age-encryption';
import { encryptAgeBytes, loadIdentity } from '../src/crypto/age.js';
import { planSha256, storePlan } from '../src/ops/restore-pipeline.js';
import { planFileLines } from '../src/restore/plan-file.js';
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
const lines = [...planFileLines(plan)];

await storePlan(join(dir, 'v2-valid.plan.age'), plan, recipient);
writeFileSync(join(dir, 'v2-valid.expected.json'), `${JSON.stringify({ description: 'version 2 as storePlan writes it', expect: { ok: true, operations: 2, planSha256: sha } }, null, 2)}\n`);
const v2 = readFileSync(join(dir, 'v2-valid.plan.age'));
write('v1-valid', await encrypted(Buffer.from(JSON.stringify(plan))), 'version 1: the plan as one JSON document', { ok: true, operations: 2, planSha256: sha });
write('v2-two-members', await encrypted(Buffer.concat([gzipSync(Buffer.from(lines.slice(0, 4).join(''))), gzipSync(Buffer.from(lines.slice(4).join('')))])), 'version 2 in two gzip members', { ok: true, operations: 2, planSha256: sha });
write('v2-cut', v2.subarray(0, v2.length - 20), 'version 2 cut inside its last age chunk', { error: 'JOURNAL_CORRUPT' });
write('v2-no-header', await encrypted(gzipSync(Buffer.from(lines.slice(1).join('')))), 'version 2 without its header line', { error: 'JOURNAL_CORRUPT' });
write('v2-list-short', await encrypted(gzipSync(Buffer.from(lines.slice(0, 5).join('')))), 'version 2 whose operations list ends before its count', { error: 'JOURNAL_CORRUPT' });
write('v2-gzip-cut', await encrypted(gzipSync(Buffer.from(lines.join(''))).subarray(0, 60)), 'version 2 whose gzip stream is cut (the age layer intact)', { error: 'JOURNAL_CORRUPT' });
