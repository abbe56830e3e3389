/**
 * The vault's hash-chained audit log (docs/audit-log.md): V/audit.log, its head and the signed
 * checkpoint. `appendAudit` is the only writer; it accepts only the typed events of
 * audit-events.ts.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError } from '../errors.js';
import { signFile, verifySignature, type MinisignSecretKey } from '../crypto/minisign.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { canonicalJson } from '../json.js';
import { AUDIT_RECORD_VERSION, type AuditEvent } from './audit-events.js';
import { trustedKeys } from './config.js';

export const AUDIT_LOG = 'audit.log';
/** The audit log's head (line count, SHA-256 of the newest line), rewritten after every append. */
export const AUDIT_HEAD = 'audit.head';
/** A head signed by the collector's key (written when an append is given the signing key). */
export const AUDIT_CHECKPOINT = 'audit.checkpoint';
const GENESIS = '0'.repeat(64);

/**
 * A record as read back: any version's fields (docs/audit-log.md). Writers go through the
 * typed `AuditEvent` union; readers stay loose so logs written by older versions verify.
 */
export interface AuditRecord {
  action: string;
  /** Includes `v`, the record version (absent in version 1 records). */
  [field: string]: string | number | boolean | null;
  at: string;
  /** SHA-256 of the previous line (bytes, without its newline); genesis: 64 zeros. */
  prev: string;
}

interface AuditHead {
  format: 'entra-vault-audit-head';
  /** Lines in audit.log when this head was written. */
  lines: number;
  /** SHA-256 of the newest line (bytes, without its newline). */
  sha256: string;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

function headText(lines: number, newest: string): string {
  const head: AuditHead = { format: 'entra-vault-audit-head', lines, sha256: sha256Hex(newest) };
  return `${canonicalJson(head)}\n`;
}

/** The audit log's records, parsed (unparseable lines skipped: verifyAuditLog reports them). */
export async function readAuditRecords(vault: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const l of (await readLogLines(vault)) ?? []) {
    try {
      const r: unknown = JSON.parse(l);
      if (r !== null && typeof r === 'object' && !Array.isArray(r)) out.push(r as Record<string, unknown>);
    } catch {
      // a torn or corrupt line: the chain check names it
    }
  }
  return out;
}

async function readLogLines(vault: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(join(vault, AUDIT_LOG), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Append one event to the audit log (hash chain, fsync'd), then rewrite `audit.head`
 * (line count and hash of the newest line) so that removing or editing the newest
 * line — which no later line hashes — is detected. With `signingKey` (a backup run
 * holds the collector's key) the head is also written as a signed `audit.checkpoint`,
 * which an attacker who can write the vault but lacks the key cannot forge.
 * Events must not carry secrets.
 */
export async function appendAudit(vault: string, event: AuditEvent, opts: { signingKey?: MinisignSecretKey } = {}): Promise<AuditRecord> {
  const lines = (await readLogLines(vault)) ?? [];
  await catchUpHead(vault, lines);
  const prevLine = lines.length > 0 ? lines[lines.length - 1]! : null;
  const prev = prevLine === null ? GENESIS : sha256Hex(prevLine);
  // optional fields left undefined are omitted, not written as null
  const fields = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as AuditRecord;
  const record: AuditRecord = { ...fields, v: AUDIT_RECORD_VERSION, at: new Date().toISOString(), prev };
  const line = canonicalJson(record);
  const fh = await open(join(vault, AUDIT_LOG), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
  try {
    await fh.write(`${line}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  const head = headText(lines.length + 1, line);
  await writeFileAtomic(join(vault, AUDIT_HEAD), head, 0o644, true);
  if (opts.signingKey) {
    const minisig = await signFile(opts.signingKey, Buffer.from(head), `entra-vault audit checkpoint ${lines.length + 1}`);
    // head and signature in one file, replaced atomically: a crash leaves the old pair or the new
    await writeFileAtomic(join(vault, AUDIT_CHECKPOINT), `${canonicalJson({ head, minisig })}\n`, 0o644, true);
  }
  return record;
}

/**
 * A crash between appending a line and rewriting the head leaves the head one line behind,
 * which verifyAuditLog accepts (docs/audit-log.md "Write order"). Before the next append the
 * head is brought up to that line, so a second such crash again leaves only one line of
 * slack instead of two (which verification would rightly call tampering). Only a lag of
 * exactly one line is repaired: anything else is left for verifyAuditLog to report.
 */
export async function catchUpHead(vault: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  let recorded: number;
  try {
    recorded = parseHead(await readFile(join(vault, AUDIT_HEAD), 'utf8'), AUDIT_HEAD).lines;
  } catch {
    return;
  }
  if (recorded === lines.length - 1) await writeFileAtomic(join(vault, AUDIT_HEAD), headText(lines.length, lines[lines.length - 1]!), 0o644, true);
}

const broken = (msg: string) =>
  new VaultError('AUDIT_CHAIN_BROKEN', msg, 'the log was edited or truncated; keep this copy as evidence and investigate');

function parseHead(text: string, what: string): AuditHead {
  let h: Partial<AuditHead>;
  try {
    h = JSON.parse(text) as Partial<AuditHead>;
  } catch {
    throw broken(`${what} is not valid JSON`);
  }
  if (h.format !== 'entra-vault-audit-head' || !Number.isInteger(h.lines) || (h.lines ?? 0) < 1 || typeof h.sha256 !== 'string') {
    throw broken(`${what} is not an audit head`);
  }
  return h as AuditHead;
}

/** The log must still hold the line a head names, unchanged; `slack` more lines may follow. */
function checkHead(lines: string[], h: AuditHead, what: string, slack: number): void {
  if (lines.length < h.lines) {
    throw broken(`audit.log has ${lines.length} lines but ${what} recorded ${h.lines}: the newest lines were removed`);
  }
  if (sha256Hex(lines[h.lines - 1]!) !== h.sha256) {
    throw broken(`audit.log line ${h.lines} differs from the one ${what} recorded`);
  }
  if (lines.length - h.lines > slack) {
    throw broken(`audit.log has ${lines.length - h.lines} lines after the one ${what} recorded`);
  }
}

/**
 * Check the audit log's hash chain, its head (`audit.head`, which makes an edited or
 * removed newest line detectable) and, when present, the signed checkpoint.
 * A log one line ahead of its head is accepted: that is a crash between the append and
 * the head's rewrite; the chain still covers that line's predecessor.
 * @throws VaultError AUDIT_CHAIN_BROKEN naming the first bad line (1-based) or the head problem
 */
export async function verifyAuditLog(vault: string): Promise<{ lines: number; checkpoint: number | null }> {
  const lines = await readLogLines(vault);
  if (lines === null) throw new VaultError('AUDIT_CHAIN_BROKEN', 'audit.log is missing');
  let prev = GENESIS;
  lines.forEach((l, i) => {
    let rec: Partial<AuditRecord> | null = null;
    try {
      rec = JSON.parse(l) as Partial<AuditRecord>;
    } catch {
      rec = null;
    }
    if (rec === null || typeof rec !== 'object' || rec.prev !== prev || typeof rec.action !== 'string' || canonicalJson(rec) !== l) {
      throw broken(`audit.log line ${i + 1} breaks the hash chain`);
    }
    prev = sha256Hex(l);
  });
  let headText: string;
  try {
    headText = await readFile(join(vault, AUDIT_HEAD), 'utf8');
  } catch {
    if (lines.length === 0) return { lines: 0, checkpoint: null };
    throw broken(`${AUDIT_HEAD} is missing: the newest audit lines cannot be checked`);
  }
  checkHead(lines, parseHead(headText, AUDIT_HEAD), AUDIT_HEAD, 1);
  let checkpoint: number | null = null;
  let cpText: string | null = null;
  try {
    cpText = await readFile(join(vault, AUDIT_CHECKPOINT), 'utf8');
  } catch {
    cpText = null;
  }
  if (cpText !== null) {
    let signed: { head?: unknown; minisig?: unknown };
    try {
      signed = JSON.parse(cpText) as { head?: unknown; minisig?: unknown };
    } catch {
      throw broken(`${AUDIT_CHECKPOINT} is not valid JSON`);
    }
    if (typeof signed.head !== 'string' || typeof signed.minisig !== 'string') throw broken(`${AUDIT_CHECKPOINT} is not a signed checkpoint`);
    let ok = false;
    for (const k of await trustedKeys(vault)) {
      try {
        await verifySignature(k, Buffer.from(signed.head), signed.minisig);
        ok = true;
        break;
      } catch {
        // another trusted key may have signed it
      }
    }
    if (!ok) throw broken(`${AUDIT_CHECKPOINT} is not signed by a key the vault trusts`);
    const cp = parseHead(signed.head, AUDIT_CHECKPOINT);
    checkHead(lines, cp, 'the signed checkpoint', Number.MAX_SAFE_INTEGER);
    checkpoint = cp.lines;
  }
  return { lines: lines.length, checkpoint };
}
