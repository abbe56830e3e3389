/**
 * The plan a writing restore stores beside its journal, and that `--resume` continues
 * (docs/journal-format.md "The stored plan"): age-encrypted to the operator, gzip-compressed JSON
 * lines (src/restore/plan-file.ts), tagged with a key derived from the operator's identity
 * (src/restore/plan-tag.ts).
 */
import { createWriteStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Encrypter } from 'age-encryption';
import { encryptAgeStream, openAgeDecryption } from '../crypto/age.js';
import { VaultError, isVaultError } from '../errors.js';
import { planSha256 } from '../restore/execute/journal.js';
import { damagedPlan, gzipMembers, isGzip, planFileLines, planFromFile, REPLAN_STEP, type PlanRead } from '../restore/plan-file.js';
import { planTag, planTagMatches } from '../restore/plan-tag.js';
import type { Plan } from '../restore/types.js';

/**
 * Stores a plan next to its journal, age-encrypted to the operator (directory data never in
 * plaintext), as gzip-compressed JSON lines written piece by piece (src/restore/plan-file.ts): the
 * plan of a 100k-user restore was 340 MB on disk as one JSON document, and read back whole it set
 * the resume's peak memory (issue 17 item 1). Its header carries the plan's tag, keyed from the
 * operator's identity (src/restore/plan-tag.ts), which a resume checks. Returns the plan's sha256
 * (`sha`, when the caller has it already: the plan's `planSha256`).
 * @throws VaultError KEY_INVALID (not a valid recipient) | USAGE (no identity) | file write errors
 */
export async function storePlan(path: string, plan: Plan, recipient: string, identity: string | undefined, sha = planSha256(plan)): Promise<string> {
  try {
    new Encrypter().addRecipient(recipient);
  } catch {
    throw new VaultError('KEY_INVALID', 'the operator recipient is not a valid age recipient');
  }
  if (!identity) throw new VaultError('USAGE', 'a restore that writes needs the operator identity: the plan it stores for --resume is tagged with it', 'pass --identity');
  const cipher = await encryptAgeStream(gzipMembers(planFileLines(plan, planTag(identity, sha))), { recipients: [recipient] });
  await pipeline(Readable.from(cipher), createWriteStream(path, { mode: 0o600 }));
  return sha;
}

/** A stored plan as `loadPlan` gives it: the plan, and its sha256 (hashed once, for its tag). */
export interface StoredPlan {
  plan: Plan;
  planSha256: string;
}

/**
 * The plan stored next to a journal, read piece by piece: decrypted, decompressed and parsed a
 * line at a time, and resumed only when its tag matches the identity (src/restore/plan-tag.ts).
 * Its sha256 comes with it: a 100k-user plan takes seconds to hash, and the caller binds the
 * journal to it.
 * @throws VaultError FILE_NOT_FOUND | USAGE | DECRYPT_FAILED (not the operator's identity) |
 *   JOURNAL_CORRUPT (the file is damaged: altered, cut, or not a stored plan) | SIGNATURE_MISSING
 *   (no tag: a file of an earlier version) | SIGNATURE_INVALID (the tag is not this identity's for
 *   this plan: the plan was replaced or stored with another identity)
 */
export async function loadPlan(path: string, identity: string | undefined): Promise<StoredPlan> {
  if (!existsSync(path)) throw new VaultError('FILE_NOT_FOUND', `the plan of the journal to resume is missing: ${path}`, 'resume needs the journal and its .plan.age next to it');
  if (!identity) throw new VaultError('USAGE', 'resuming a restore needs the operator identity to decrypt the stored plan', 'pass --identity');
  const read = await readPlanFile(path, identity);
  if (read === 'untagged' || read.tag === undefined) {
    throw new VaultError('SIGNATURE_MISSING', `the stored plan ${path} carries no tag (a file of an earlier version of entra-vault, or not a stored plan), so it cannot be told from a plan put in its place; nothing was written`, REPLAN_STEP);
  }
  const sha = planSha256(read.plan);
  if (!planTagMatches(identity, sha, read.tag)) {
    throw new VaultError('SIGNATURE_INVALID', `the stored plan ${path} was not stored by a restore holding this identity (its tag does not match): it was replaced or altered; nothing was written`, `check who could write next to the journal, then ${REPLAN_STEP}`);
  }
  return { plan: read.plan, planSha256: sha };
}

/**
 * A stored plan's file decrypted and parsed (a file that is not gzip inside is version 1, or
 * not a stored plan: 'untagged' either way, never parsed).
 * @throws VaultError FILE_ACCESS | DECRYPT_FAILED | JOURNAL_CORRUPT (see loadPlan)
 */
async function readPlanFile(path: string, identity: string): Promise<PlanRead | 'untagged'> {
  const damaged = (why: string) => damagedPlan(path, why);
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new VaultError('FILE_ACCESS', `cannot read the stored plan ${path} (${e.code ?? 'error'})`);
  });
  try {
    let payload: AsyncIterable<Buffer>;
    try {
      // the payload on node:crypto (src/crypto/age.ts), as for archives
      ({ payload } = await openAgeDecryption(fh.createReadStream({ start: 0, autoClose: false, highWaterMark: 1024 * 1024 }), { identities: [identity] }));
    } catch (e) {
      if (!isVaultError(e)) throw e;
      throw new VaultError('DECRYPT_FAILED', `cannot decrypt the stored plan ${path} with the given identity`);
    }
    const it = payload[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw damaged('it is empty');
    if (!isGzip(first.value)) return 'untagged';
    let read: PlanRead | undefined;
    await pipeline(prepended(first.value, it), createGunzip(), async (text: AsyncIterable<Buffer>) => {
      read = await planFromFile(text, path);
    });
    return read as PlanRead;
  } catch (e) {
    if (isVaultError(e, 'DECRYPT_FAILED') || isVaultError(e, 'JOURNAL_CORRUPT')) throw e;
    // an altered or cut age chunk (INTEGRITY, TRUNCATED), a corrupt gzip member; anything else is
    // a bug and goes on as it is
    if (isVaultError(e)) throw damaged(e.message);
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw damaged(`its compressed text is corrupt (${code})`);
    throw e;
  } finally {
    await fh.close();
  }
}

async function* prepended(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}
