/**
 * The restore journal (docs/design.md "Restore", docs/reliability.md 12 and 14): an append-only
 * JSON-lines file, one line per operation state change, written at once (a unit of work's lines
 * in one write) and fsync'd before the next write to Graph (group commit), so a SIGKILL loses at
 * most the lines of the write under way (docs/journal-format.md "Write order"). Line 1 binds the journal to one plan
 * (archive manifest hash + target tenant + scenario + hash of the canonical plan JSON).
 * Every line carries `hash` = sha256(previous line's hash + this line without `hash`), so a
 * flipped byte anywhere is detected. The journal never holds secrets or request bodies:
 * only op ids, states, live ids/appIds and VaultError codes.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { VaultError, type ErrorCode } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { Plan, ScenarioName } from '../types.js';
import { canonicalJson } from '../../json.js';
import { canonicalSha256 } from '../../json-stream.js';

export type JournalState = 'started' | 'done' | 'failed' | 'skipped';

/** What the journal binds to: a restore may only resume the plan it started. */
export interface PlanIdentity {
  manifestSha256: string;
  targetTenantId: string;
  scenario: ScenarioName;
  /** sha256 of the canonical (sorted-key) JSON of the plan. */
  planSha256: string;
}

export interface JournalRecord {
  seq: number;
  opId: string;
  state: JournalState;
  /** Live object id the op created/restored/adopted. */
  liveId?: string;
  /** Live appId of an application (or SP) the op created. */
  liveAppId?: string;
  /** VaultError code of a failure (never a message body that could echo input). */
  error?: ErrorCode;
  /** True when the op found its effect already present and wrote nothing. */
  adopted?: boolean;
  at: string;
}

export type JournalEntry = Omit<JournalRecord, 'seq' | 'at'>;

/** What the journal knows of an op's latest state: a record's fields without its place and time. */
export type LatestState = Omit<JournalEntry, 'opId'>;

export interface Journal {
  readonly path: string;
  readonly identity: PlanIdentity;
  /**
   * Every valid record read at open, in order: an earlier run's history (a resume reads the
   * phase record a bootstrap-first restore left, src/ops/restore-bootstrap.ts). Records
   * appended since are in the file and in `latest`, not here: a 100k-user restore appends
   * about 700,000, all of which used to stay in memory (issue 17 item 1; their share was
   * estimated, not measured alone).
   */
  readonly records: readonly JournalRecord[];
  /** True when a torn last line was found at open and dropped (its op is re-checked). */
  readonly tornLastLine: boolean;
  /**
   * The latest state of an op, read at open or appended since, if any; undefined for every op
   * once the journal is closed (the file keeps them). Not the record itself: of the records this
   * process appends only what a resume decision reads is kept (see `append`).
   */
  latest(opId: string): LatestState | undefined;
  /**
   * Appends one record: written to the file at once (a killed process loses nothing),
   * made durable against power loss by the next `sync()` or `close()`. Throws on I/O
   * failure (the executor stops). Of the record, `latest` keeps the state alone when the entry
   * has nothing else (most of a large restore's records: each op's `started`, and every edge's
   * `done`), the entry otherwise: never its sequence number, time or hash, which only the file
   * needs (issue 17: about 350,000 records of a 100k-user restore stayed on the heap whole).
   */
  append(entry: JournalEntry): JournalRecord;
  /**
   * Appends records as `append` does, in order, with one write to the file for all of them: the
   * records of one unit of work (up to 20 edges sent as one PATCH). A process killed during the
   * write leaves a prefix of them, the last perhaps torn (dropped at the next open, its op
   * re-checked). At 100k users the relation tier made about 500,000 writes of one line each,
   * a seventh of the client's time there (issue 17 item 2).
   */
  appendAll(entries: readonly JournalEntry[]): JournalRecord[];
  /**
   * Resolves when every record appended so far is fsynced. Concurrent callers share one
   * fsync (group commit); the executor awaits it before each write to Graph.
   */
  sync?(): Promise<void>;
  close(): void;
}

const HEADER_KIND = 'entra-vault-restore-journal';
const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted recursively: one plan gives one byte sequence. */
export { canonicalJson };

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** The identity a journal for `plan` must carry. Pure. */
export function planIdentity(plan: Plan): PlanIdentity {
  return {
    manifestSha256: plan.archive.manifestSha256,
    targetTenantId: plan.target.tenantId,
    scenario: plan.scenario,
    // the same hash as sha256Hex(canonicalJson(plan)), without the whole plan as one string
    planSha256: canonicalSha256(plan),
  };
}

function chain(prev: string, body: string): string {
  return sha256Hex(prev + body);
}

/** Serialises `rec` with its chained hash; returns the line (with '\n') and the new hash. */
function seal(prev: string, rec: object): { line: string; hash: string } {
  const body = JSON.stringify(rec);
  const hash = chain(prev, body);
  // the same bytes as JSON.stringify({ ...rec, hash }) (no record has a `hash` key of its own,
  // and none is empty), without serialising the record twice
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}\n`, hash };
}

/** Parses one line; returns its record and hash when the chain holds, undefined otherwise. */
function unseal(prev: string, line: string): { rec: Record<string, unknown>; hash: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { hash, ...rest } = parsed as Record<string, unknown>;
  if (typeof hash !== 'string') return undefined;
  if (chain(prev, JSON.stringify(rest)) !== hash) return undefined;
  return { rec: rest, hash };
}

const STATES: readonly string[] = ['started', 'done', 'failed', 'skipped'];

function asRecord(r: Record<string, unknown>): JournalRecord | undefined {
  if (typeof r.seq !== 'number' || typeof r.opId !== 'string' || typeof r.state !== 'string' || !STATES.includes(r.state)) return undefined;
  if (typeof r.at !== 'string') return undefined;
  return r as unknown as JournalRecord;
}

/** What an existing journal file holds, verified: its records and where valid data ends. */
interface Replay {
  records: JournalRecord[];
  /** Hash of the last valid line (the chain continues from it). */
  prevHash: string;
  /** The last line was torn (incomplete or bad hash) and is to be truncated away. */
  torn: boolean;
  /** Bytes of valid, newline-terminated lines (header included). */
  validBytes: number;
}

/** @throws VaultError JOURNAL_MISMATCH when the header names another plan */
function checkHeader(path: string, h: Record<string, unknown>, identity: PlanIdentity): void {
  if (h.manifestSha256 !== identity.manifestSha256 || h.targetTenantId !== identity.targetTenantId || h.scenario !== identity.scenario || h.planSha256 !== identity.planSha256) {
    throw new VaultError('JOURNAL_MISMATCH', `restore journal ${path} belongs to another plan (archive, target, scenario or plan differ)`, 'resume with the same archive, target and scenario, or use a new --journal path');
  }
}

/**
 * Reads and verifies an existing journal line by line along its hash chain.
 * @throws VaultError JOURNAL_CORRUPT (a bad line before the last) | JOURNAL_MISMATCH
 */
function replay(path: string, identity: PlanIdentity): Replay {
  const out: Replay = { records: [], prevHash: GENESIS, torn: false, validBytes: 0 };
  const text = readFileSync(path, 'utf8');
  const parts = text.split('\n');
  // A file that ends with '\n' splits into a trailing ''; anything else after the last '\n' is a partial line.
  const lines = parts.slice(0, -1);
  const tail = parts[parts.length - 1] ?? '';
  const allLines = tail.length > 0 ? [...lines, tail] : lines;
  for (let i = 0; i < allLines.length; i++) {
    const line = allLines[i] as string;
    const isLast = i === allLines.length - 1;
    const complete = i < lines.length; // had its terminating newline
    const ok = complete ? unseal(out.prevHash, line) : undefined;
    const header = i === 0;
    const rec = ok && !header ? asRecord(ok.rec) : undefined;
    const valid = ok !== undefined && (header ? ok.rec.kind === HEADER_KIND : rec !== undefined);
    if (!ok || !valid) {
      if (isLast) {
        out.torn = true;
        break;
      }
      if (header) throw new VaultError('JOURNAL_CORRUPT', `restore journal ${path}: line 1 is not a valid journal header`, 'move the file aside and re-plan; the target is unchanged by reading it');
      throw new VaultError('JOURNAL_CORRUPT', `restore journal ${path}: line ${i + 1} is corrupt (hash chain broken)`, 'the journal was modified; re-plan against the live tenant with a new journal (re-planning finds what is already done)');
    }
    if (header) checkHeader(path, ok.rec, identity);
    out.prevHash = ok.hash;
    out.validBytes += Buffer.byteLength(line, 'utf8') + 1;
    if (rec) out.records.push(rec);
  }
  return out;
}

/** The open journal file: positional appends and group-committed fsyncs. */
class JournalFile {
  private dirty = false;
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly fd: number,
    private offset: number,
  ) {}

  write(line: string): void {
    if (line.length === 0) return;
    const buf = Buffer.from(line, 'utf8');
    let written = 0;
    while (written < buf.length) written += writeSync(this.fd, buf, written, buf.length - written, this.offset + written);
    this.offset += buf.length;
    this.dirty = true;
  }

  /** Group commit: at most one fsync in flight and one queued behind it, shared by every caller. */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.syncing) {
      this.queued = this.syncing.then(() => {
        this.queued = undefined;
        return this.sync();
      });
      return this.queued;
    }
    if (!this.dirty) return Promise.resolve();
    this.syncing = this.fsyncOnce().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** fsyncs now, blocking (the header before anything else; the tail on close). */
  syncNow(): void {
    fsyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    if (this.dirty) fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private async fsyncOnce(): Promise<void> {
    this.dirty = false;
    await new Promise<void>((res, rej) => fsync(this.fd, (e) => (e ? rej(e) : res())));
  }
}

/**
 * Opens (or creates) the journal at `path` for the plan with `identity`.
 * - A torn LAST line (incomplete JSON, bad hash) is dropped and truncated away; the op it
 *   described keeps its previous state and is re-checked by the executor (docs/reliability.md 14).
 * - A bad line followed by valid data is corruption: the journal cannot be trusted.
 * @throws VaultError JOURNAL_CORRUPT (naming the line number) | JOURNAL_MISMATCH (journal of another plan)
 * Never writes anything but journal lines; never stores secrets.
 */
export function openJournal(path: string, identity: PlanIdentity, opts: { clock?: Clock } = {}): Journal {
  const clock = opts.clock ?? systemClock;
  const fresh = !existsSync(path) || readFileSync(path).length === 0;
  const found: Replay = fresh ? { records: [], prevHash: GENESIS, torn: false, validBytes: 0 } : replay(path, identity);
  const { records, torn, validBytes } = found;
  let prevHash = found.prevHash;
  const latestByOp = new Map<string, JournalRecord | LatestState | JournalState>(records.map((r) => [r.opId, r]));
  const fd = openSync(path, fresh ? 'w' : 'r+', 0o600);
  // Drop a torn tail so the next append starts on a clean line.
  if (!fresh) ftruncateSync(fd, validBytes);
  const file = new JournalFile(fd, validBytes);
  if (fresh || validBytes === 0) {
    const { line, hash } = seal(GENESIS, { kind: HEADER_KIND, version: 1, ...identity, at: clock.now().toISOString() });
    file.write(line);
    file.syncNow();
    prevHash = hash;
  }
  let seq = records.length > 0 ? (records[records.length - 1] as JournalRecord).seq : 0;
  let closed = false;

  const appendAll = (entries: readonly JournalEntry[]): JournalRecord[] => {
    if (closed) throw new Error('journal is closed');
    const out: JournalRecord[] = [];
    let lines = '';
    let hashAfter = prevHash;
    for (const entry of entries) {
      const rec: JournalRecord = { seq: seq + out.length + 1, opId: entry.opId, state: entry.state, at: clock.now().toISOString() };
      if (entry.liveId !== undefined) rec.liveId = entry.liveId;
      if (entry.liveAppId !== undefined) rec.liveAppId = entry.liveAppId;
      if (entry.error !== undefined) rec.error = entry.error;
      if (entry.adopted) rec.adopted = true;
      const { line, hash } = seal(hashAfter, rec);
      lines += line;
      hashAfter = hash;
      out.push(rec);
    }
    // written before anything is remembered: a failed write leaves the chain where it was
    file.write(lines);
    seq += out.length;
    prevHash = hashAfter;
    entries.forEach((entry, i) => {
      const rec = out[i] as JournalRecord;
      // only the latest state of each op is kept (see `records` and `latest`)
      const { opId, ...state } = entry;
      latestByOp.set(opId, rec.liveId === undefined && rec.liveAppId === undefined && rec.error === undefined && !rec.adopted ? entry.state : state);
    });
    return out;
  };

  return {
    path,
    identity,
    records,
    tornLastLine: torn,
    latest: (opId) => {
      const v = latestByOp.get(opId);
      return typeof v === 'string' ? { state: v } : v;
    },
    append: (entry) => appendAll([entry])[0] as JournalRecord,
    appendAll,
    sync: () => file.sync(),
    close() {
      if (closed) return;
      closed = true;
      file.close();
      // A closed journal is read by nobody: its records are in the file. At 100k users the map
      // held about 350,000 records through the final verify (issue 17 item 1).
      latestByOp.clear();
    },
  };
}
