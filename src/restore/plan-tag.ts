/**
 * The stored plan's tag (docs/journal-format.md "The stored plan"): an HMAC-SHA-256 of the plan's
 * hash, keyed from the operator's age identity. A stored plan is encrypted to the operator's
 * recipient, which is public, and the journal's hash chain has no key: without a tag, whoever can
 * write the journal's directory could replace both and make `--resume` run a plan of their own.
 * With it, a plan is resumed only if it was stored by a run holding the same identity.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** HKDF's info: names what the key is for, so it is never the key of anything else. */
const KEY_INFO = 'entra-vault stored plan tag v1';

/**
 * The tag of the plan whose planSha256 is `planSha256`, keyed from `identity` (an age identity's
 * text: `AGE-SECRET-KEY-1…`, compared case-insensitively as Bech32 is). Pure; never logs.
 */
export function planTag(identity: string, planSha256: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(identity.trim().toUpperCase(), 'utf8'), Buffer.alloc(0), KEY_INFO, 32));
  return createHmac('sha256', key).update(`entra-vault-stored-plan\n${planSha256}`).digest('hex');
}

/** Whether `tag` (read from a stored plan: untrusted) is the tag of `planSha256` under `identity`, in constant time. */
export function planTagMatches(identity: string, planSha256: string, tag: unknown): boolean {
  if (typeof tag !== 'string' || !/^[0-9a-f]{64}$/.test(tag)) return false;
  return timingSafeEqual(Buffer.from(planTag(identity, planSha256), 'hex'), Buffer.from(tag, 'hex'));
}
