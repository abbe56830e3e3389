/**
 * Archive chains in the vault (docs/archive-format.md §12): an incremental archive names its
 * parent by manifest hash in its signed trusted comment, so a chain is followed and checked
 * from the vault listing alone, with public keys only (custody), before anything is decrypted.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ARCHIVE_EXTENSION, parseTrustedComment } from '../archive/manifest.js';
import { MAX_SIGNATURE_FILE_BYTES, parseSignature } from '../crypto/minisign.js';
import { VaultError, isVaultError } from '../errors.js';
import { archiveCustody, type VaultListing } from './vault.js';

/** Why `link` cannot follow `parent` (undefined: the link holds). */
function linkProblem(link: VaultListing, parent: VaultListing | undefined): string | undefined {
  const want = link.parent!;
  if (parent === undefined) {
    return `parent ${want.manifestSha256.slice(0, 12)} of ${basename(link.file)} is missing from the vault, or its signature fails`;
  }
  if (parent.tenantId !== link.tenantId) return `parent ${basename(parent.file)} of ${basename(link.file)} is of tenant ${parent.tenantId}, not ${link.tenantId}`;
  if (!(link.sequence! > parent.sequence!)) return `${basename(link.file)} has sequence ${link.sequence}, not above its parent's ${parent.sequence}`;
  const parentIndex = parent.parent?.index ?? 0;
  if (want.index !== parentIndex + 1) return `${basename(link.file)} is chain link ${want.index}, but its parent is link ${parentIndex}`;
  return undefined;
}

/** The signed archive of `tenantId` whose manifest hash is `sha256`, if the listing has one. */
function findByManifest(listing: readonly VaultListing[], tenantId: string, sha256: string): VaultListing | undefined {
  return listing.find((l) => l.signature === 'valid' && l.error === undefined && l.manifestSha256 === sha256 && l.tenantId === tenantId);
}

/**
 * The chain that ends at `file`: its full archive first, `file` last (a full archive alone
 * is a chain of one).
 * @throws VaultError CHAIN_BROKEN (a parent missing, badly signed, of another tenant, not
 *   older, or a loop) | FILE_NOT_FOUND (`file` is not a signed archive of the listing)
 */
export function chainOf(listing: readonly VaultListing[], file: string): VaultListing[] {
  const point = listing.find((l) => l.file === file);
  if (!point || point.signature !== 'valid' || point.error !== undefined) {
    throw new VaultError('FILE_NOT_FOUND', `${basename(file)} is not a signed archive of this vault`);
  }
  const chain = [point];
  const seen = new Set([point.file]);
  for (let cur = point; cur.parent; ) {
    const parent = findByManifest(listing, cur.tenantId, cur.parent.manifestSha256);
    const problem = linkProblem(cur, parent);
    if (problem) throw chainBroken(problem);
    if (seen.has(parent!.file)) throw chainBroken(`${basename(cur.file)}'s chain loops`);
    seen.add(parent!.file);
    chain.unshift(parent!);
    cur = parent!;
  }
  return chain;
}

/** CHAIN_BROKEN with the operator's next step. */
export function chainBroken(problem: string): VaultError {
  return new VaultError('CHAIN_BROKEN', `archive chain broken: ${problem}`, 'restore from an earlier point whose chain verifies (`vault verify` lists them), or from a full archive');
}

/**
 * Every incremental archive's chain problem, by file (`vault verify`): parent present and
 * signed, same tenant, sequence increasing, link index = parent's + 1 — up to the full archive.
 */
export function chainProblems(listing: readonly VaultListing[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of listing) {
    if (!l.parent || l.signature !== 'valid' || l.error !== undefined) continue;
    try {
      chainOf(listing, l.file);
    } catch (e) {
      out.set(l.file, e instanceof VaultError ? e.message : String(e));
    }
  }
  return out;
}

/** The files `kept` depend on: each kept archive and all its ancestors (prune never orphans an incremental). */
export function withAncestors(listing: readonly VaultListing[], kept: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const f of kept) {
    out.add(f);
    const walked = new Set([f]);
    let cur = listing.find((l) => l.file === f);
    while (cur?.parent) {
      const parent = findByManifest(listing, cur.tenantId, cur.parent.manifestSha256);
      if (!parent || walked.has(parent.file)) break;
      walked.add(parent.file);
      out.add(parent.file);
      cur = parent;
    }
  }
  return out;
}

/**
 * One tenant's archives as their signatures *claim* (trusted comments parsed, not verified):
 * cheap, so a backup or a restore does not hash every archive of the vault to find one chain.
 * Only the chain found in it is then verified (verifiedChain).
 */
async function claimedListing(vault: string, tenantId: string): Promise<VaultListing[]> {
  const dir = join(vault, tenantId);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(ARCHIVE_EXTENSION) && !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: VaultListing[] = [];
  for (const n of names) {
    const file = join(dir, n);
    try {
      const st = await stat(`${file}.minisig`);
      if (st.size > MAX_SIGNATURE_FILE_BYTES) continue;
      const tc = parseTrustedComment(parseSignature(await readFile(`${file}.minisig`, 'utf8')).trustedComment);
      if (tc.tenantId !== tenantId) continue;
      out.push({ tenantId, takenAt: tc.takenAt, sequence: tc.sequence, file, bytes: (await stat(file)).size, signature: 'valid', manifestSha256: tc.manifestSha256, ...(tc.parent ? { parent: tc.parent } : {}) });
    } catch (e) {
      if (!isVaultError(e) && (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}

/**
 * The verified chain ending at `file` (or, without `file`, at the tenant's newest archive by
 * signed sequence): found from the claimed trusted comments, then every link's custody checked
 * (signature over the ciphertext by a trusted key, same tenant, same manifest hash and parent).
 * @throws VaultError CHAIN_BROKEN (a link missing, unsigned, tampered, of another tenant, not
 *   older) | FILE_NOT_FOUND (no such archive / none of this tenant)
 */
export async function verifiedChain(vault: string, tenantId: string, file?: string): Promise<VaultListing[]> {
  const claimed = await claimedListing(vault, tenantId);
  const point = file ?? [...claimed].sort((a, b) => b.sequence! - a.sequence!)[0]?.file;
  if (point === undefined) throw new VaultError('FILE_NOT_FOUND', `the vault holds no archive of tenant ${tenantId}`);
  const chain = chainOf(claimed, point);
  for (const link of chain) {
    let tc;
    try {
      tc = await archiveCustody(vault, link.file, tenantId);
    } catch (e) {
      if (!isVaultError(e)) throw e;
      throw chainBroken(`${basename(link.file)} of the chain fails its custody check: ${e.code}`);
    }
    if (tc.manifestSha256 !== link.manifestSha256 || tc.parent?.manifestSha256 !== link.parent?.manifestSha256) {
      throw chainBroken(`${basename(link.file)} changed while its chain was checked`);
    }
  }
  return chain;
}
