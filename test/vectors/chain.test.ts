/**
 * Chain vectors (docs/archive-format.md §12.8): each incremental of test/vectors/chain/ is filed
 * with its parent `base.evault` into a fresh vault and must give its expected result — the
 * composed tenant for a valid link, the stable error code otherwise — through the vault listing,
 * the chain check and openArchiveForUse (what restore, plan and diff call).
 * Regenerate with `npx tsx scripts/gen-chain-vectors.ts`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrustedComment } from '../../src/archive/manifest.js';
import { parseSignature } from '../../src/crypto/minisign.js';
import { isVaultError } from '../../src/errors.js';
import { openArchiveForUse } from '../../src/ops/open-archive.js';
import { chainOf, initVault, listVault } from '../../src/vault/index.js';

const dir = join(import.meta.dirname, 'chain');
const keys = join(import.meta.dirname, 'keys');
interface ChainVector {
  kind: 'chain';
  file: string;
  parent: string;
  fileUnder: string;
  description: string;
  expect: { ok: true; composed: unknown } | { error: string };
}
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .sort()
  .map((f) => ({ name: f.slice(0, -'.expected.json'.length), v: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ChainVector }));

async function fileInto(v: ChainVector): Promise<string> {
  const vault = mkdtempSync(join(tmpdir(), 'ev-chainvec-'));
  await initVault(vault, { signerPublicKey: join(keys, 'test-signing.pub') });
  mkdirSync(join(vault, v.fileUnder));
  for (const f of [v.parent, v.file]) {
    copyFileSync(join(dir, f), join(vault, v.fileUnder, f));
    copyFileSync(join(dir, `${f}.minisig`), join(vault, v.fileUnder, `${f}.minisig`));
  }
  return join(vault, v.fileUnder, v.file);
}

/** The outcome as a vault sees it: the listing's custody verdict, then the chain, then the composed tenant. */
async function outcome(v: ChainVector): Promise<{ ok: true; composed: unknown } | { error: string }> {
  const point = await fileInto(v);
  const listing = await listVault(join(point, '..', '..'));
  const entry = listing.find((l) => l.file === point)!;
  try {
    if (entry.error) return { error: entry.error };
    chainOf(listing, point);
    const { data } = await openArchiveForUse({ archivePath: point, identityPath: join(keys, 'test-identity.txt'), expectedTenantId: v.fileUnder, via: 'cli', readOnly: true });
    return { ok: true, composed: { objects: data.objects, relations: data.relations } };
  } catch (e) {
    if (isVaultError(e)) return { error: e.code };
    throw e;
  }
}

describe('archive chain vectors', () => {
  it('holds a valid link and the three refusals', () => {
    expect(vectors.map((x) => x.name)).toEqual(['other-tenant', 'sequence-not-increasing', 'valid-link', 'wrong-parent']);
  });

  it('an incremental says so in its signed trusted comment, which a full-archive-only reader does not accept', () => {
    const tc = parseSignature(readFileSync(join(dir, 'valid-link.evault.minisig'), 'utf8')).trustedComment;
    expect(tc).toMatch(/^entra-vault-incremental v1 tenant=\S+ takenAt=\S+ sequence=\d+ manifest-sha256=[0-9a-f]{64} parent-sha256=[0-9a-f]{64} chain=1$/);
    // the v1 full-archive comment pattern of §4 does not match it: FORMAT_UNSUPPORTED there
    expect(/^entra-vault-archive v1 tenant=([^\s=]{1,256}) takenAt=(\S+) sequence=(\d{1,16}) manifest-sha256=([0-9a-f]{64})$/.test(tc)).toBe(false);
    expect(parseTrustedComment(tc).parent?.index).toBe(1);
  });

  for (const { name, v } of vectors) {
    it(`${name}: ${v.description} → ${'error' in v.expect ? v.expect.error : 'ok'}`, async () => {
      expect(await outcome(v)).toEqual(v.expect);
    });
  }
});
