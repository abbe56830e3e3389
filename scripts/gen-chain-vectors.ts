/**
 * Regenerates test/vectors/chain/ (docs/archive-format.md §12.8): a full archive and incremental
 * archives linked to it, with their expected results, signed and encrypted with the TEST-ONLY
 * keys of test/vectors/keys/. Run: npx tsx scripts/gen-chain-vectors.ts
 * Ciphertexts change on every run (age is randomised); expected results do not.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { createArchiveWriter, type ArchiveWriter, type ChainLink } from '../src/archive/index.js';
import { secretKeyFromSeed } from '../src/crypto/minisign.js';

const root = join(import.meta.dirname, '..', 'test', 'vectors');
const out = join(root, 'chain');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const idLine = readFileSync(join(root, 'keys', 'test-identity.txt'), 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
const recipient = await identityToRecipient(idLine);
// the same derivation as scripts/gen-vectors.ts: test-signing.key
const sk = secretKeyFromSeed(
  createHash('sha256').update('entra-vault TEST-ONLY signing key collector').digest(),
  createHash('sha256').update('key id collector').digest().subarray(0, 8),
);
const A = '11111111-2222-3333-4444-555555555555';
const B = '99999999-8888-7777-6666-555555555555';

async function write(name: string, tenantId: string, takenAt: string, fill: (w: ArchiveWriter) => Promise<void>, chain?: ChainLink, sequence?: number): Promise<string> {
  const tmp = join(out, '.gen');
  const w = await createArchiveWriter({
    outDir: tmp, tenantId, initialDomain: 'contoso.onmicrosoft.com', takenAt: new Date(takenAt), recipients: [recipient], signingKey: sk,
    toolVersion: 'vectors', catalogHash: 'vectors', ...(chain ? { chain: () => chain } : {}), ...(sequence !== undefined ? { sequence } : {}),
  });
  await fill(w);
  const f = await w.finish();
  renameSync(f.archivePath, join(out, `${name}.evault`));
  renameSync(f.signaturePath, join(out, `${name}.evault.minisig`));
  rmSync(tmp, { recursive: true, force: true });
  return f.manifestSha256;
}

const base = await write('base', A, '2026-01-26T11:15:00.000Z', async (w) => {
  await w.addObject('user', { id: 'u1', displayName: 'Alice' });
  await w.addObject('user', { id: 'u2', displayName: 'Bob' });
  await w.addObject('group', { id: 'g1', displayName: 'Admins' });
  await w.addRelation({ kind: 'groupMembers', from: 'g1', to: 'u1', toType: 'user' });
  await w.addRelation({ kind: 'userManager', from: 'u2', to: 'u1', toType: 'user' });
});
const modes = { objects: { user: 'delta', group: 'delta' }, relations: { groupMembers: 'delta', userManager: 'delta' } } as const;
const changes = async (w: ArchiveWriter) => {
  await w.addObject('user', { id: 'u2', displayName: 'Bob', jobTitle: 'Changed' });
  await w.addObject('user', { id: 'u3', displayName: 'Carol' });
  await w.addChange('removed', 'user', 'u1', { id: 'u1', reason: 'deleted' });
  await w.addRelation({ kind: 'groupMembers', from: 'g1', to: 'u3', toType: 'user' });
  await w.addChange('resets', 'userManager', 'u2', { from: 'u2' });
  await w.addRelation({ kind: 'userManager', from: 'u2', to: 'u3', toType: 'user' });
};
const link = (parent: string) => ({ parentManifestSha256: parent, index: 1, ...modes });

type Expect = { ok: true; composed: unknown } | { error: string };
const expected = (name: string, description: string, fileUnder: string, expect: Expect) =>
  writeFileSync(join(out, `${name}.expected.json`), `${JSON.stringify({ kind: 'chain', file: `${name}.evault`, parent: 'base.evault', fileUnder, description, expect }, null, 2)}\n`);

await write('valid-link', A, '2026-01-26T12:15:00.000Z', changes, link(base));
expected('valid-link', 'an incremental after the full archive: u1 removed, u2 changed, u3 added with its edges', A, {
  ok: true,
  composed: {
    objects: { group: [{ id: 'g1', displayName: 'Admins' }], user: [{ id: 'u2', displayName: 'Bob', jobTitle: 'Changed' }, { id: 'u3', displayName: 'Carol' }] },
    relations: { groupMembers: [{ from: 'g1', kind: 'groupMembers', to: 'u3', toType: 'user' }], userManager: [{ from: 'u2', kind: 'userManager', to: 'u3', toType: 'user' }] },
  },
});
await write('wrong-parent', A, '2026-01-26T12:16:00.000Z', changes, link(createHash('sha256').update('not the parent').digest('hex')));
expected('wrong-parent', 'names a parent manifest hash no archive of the vault has', A, { error: 'CHAIN_BROKEN' });
await write('other-tenant', B, '2026-01-26T12:17:00.000Z', changes, link(base));
expected('other-tenant', 'signed for another tenant, naming this tenant\'s full archive as parent, filed beside it', A, { error: 'WRONG_TENANT' });
await write('sequence-not-increasing', A, '2026-01-26T12:18:00.000Z', changes, link(base), Date.parse('2026-01-26T11:15:00.000Z'));
expected('sequence-not-increasing', 'its signed sequence equals its parent\'s', A, { error: 'CHAIN_BROKEN' });
