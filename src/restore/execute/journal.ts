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
import { closeSync, existsSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { VaultError, type ErrorCode } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { Plan, ScenarioName } from '../types.js';
import { canonicalJson } from '../../json.js';
import { canonicalSha256 } from '../../json-stream.js';
import { LineSplitter } from '../../line-splitter.js';
import { DigestIndex } from '../../digest-index.js';

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
   * The valid records read at open that `openJournal`'s `keep` accepted, in order (none without
   * it): an earlier run's history that a caller asks for (a resume reads the phase record a
   * bootstrap-first restore left, src/ops/restore-bootstrap.ts). Records appended since are in the
   * file and in `latest`, not here. The journal of a 100k-user restore holds about 700,000: all of
   * them, read at open and held, took 164 MiB of heap after the open (issue 17 item 1).
   */
  readonly records: readonly JournalRecord[];
  /** How many valid records the file held at open (the header not counted). */
  readonly recordsRead: number;
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

/**
 * The plan's canonical hash: SHA-256 of its canonical JSON (src/json.ts), the same value
 * the journal binds to (`planIdentity`). The planner uses no clock and no randomness, so two
 * plannings of the same archive against the same target state hash alike.
 */
export function planSha256(plan: Plan): string {
  return planIdentity(plan).planSha256;
}

/**
 * The identity a journal for `plan` must carry. Pure. `planSha256`: the plan's hash when the
 * caller has it already (a stored plan is hashed as it is loaded, src/ops/plan-store.ts).
 */
export function planIdentity(plan: Plan, planSha256?: string): PlanIdentity {
  return {
    manifestSha256: plan.archive.manifestSha256,
    targetTenantId: plan.target.tenantId,
    scenario: plan.scenario,
    // the same hash as sha256Hex(canonicalJson(plan)), without the whole plan as one string
    planSha256: planSha256 ?? canonicalSha256(plan),
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

/** What an existing journal file holds, verified: each op's latest state and where valid data ends. */
interface Replay {
  /** The latest state of each op, as `Journal.latest` keeps it. */
  latest: LatestStates;
  /** The records `keep` accepted. */
  kept: JournalRecord[];
  /** Valid records read (the header not counted), and the last one's sequence number. */
  count: number;
  lastSeq: number;
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

/** What a file without records holds: a new journal, and where `replay` starts. */
function emptyReplay(): Replay {
  return { latest: new LatestStates(), kept: [], count: 0, lastSeq: 0, prevHash: GENESIS, torn: false, validBytes: 0 };
}

/** Bytes read from the journal file per call when it is opened. */
const READ_BYTES = 1024 * 1024;

/** One line of the file: its text and its length in bytes, `complete` when a '\n' ended it (counted in `bytes`). */
interface FileLine {
  text: string;
  bytes: number;
  complete: boolean;
}

/**
 * The file's lines in order, read READ_BYTES at a time (src/line-splitter.ts): each '\n'-terminated
 * line, then the bytes after the last '\n' (a partial line), if any. Never the whole file as one
 * string, nor all its lines at once (issue 17 item 1: a 100k-user journal is about 160 MB in
 * 685,000 lines).
 */
function* fileLines(path: string): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    const lines = new LineSplitter();
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) {
      for (const l of lines.push(buf.subarray(0, n))) yield { text: l.text, bytes: l.bytes + 1, complete: true };
    }
    const rest = lines.rest();
    if (rest) yield { ...rest, complete: false };
  } finally {
    closeSync(fd);
  }
}

/** The file's lines, each with whether it is the last (one line read ahead). */
function* withLast(lines: Iterable<FileLine>): Generator<[FileLine, boolean]> {
  let held: FileLine | undefined;
  for (const l of lines) {
    if (held !== undefined) yield [held, false];
    held = l;
  }
  if (held !== undefined) yield [held, true];
}

/**
 * Each op's latest state by op id, holding a digest of each op id rather than the string
 * (src/digest-index.ts): at 100k users a restore journals about 350,000 ops, whose op ids as the
 * keys of a map were 33 MiB of strings and a 14 MiB table, kept to the journal's close (issue 17
 * item 1, docs/design.md "Session 42").
 */
class LatestStates {
  private index = new DigestIndex();
  /** By the index's entry. */
  private states: Array<LatestState | JournalState> = [];

  set(opId: string, v: LatestState | JournalState): void {
    this.states[this.index.add(opId)] = v;
  }

  get(opId: string): LatestState | JournalState | undefined {
    const e = this.index.get(opId);
    return e === undefined ? undefined : this.states[e];
  }

  clear(): void {
    this.index = new DigestIndex();
    this.states = [];
  }
}

/** The latest state of an op as `Journal.latest` keeps it: the state alone when the record has nothing else. */
function latestOf(r: JournalEntry): LatestState | JournalState {
  if (r.liveId === undefined && r.liveAppId === undefined && r.error === undefined && !r.adopted) return r.state;
  // never a record's sequence number, time or hash, which only the file needs
  const state: LatestState = { state: r.state };
  if (r.liveId !== undefined) state.liveId = r.liveId;
  if (r.liveAppId !== undefined) state.liveAppId = r.liveAppId;
  if (r.error !== undefined) state.error = r.error;
  if (r.adopted) state.adopted = true;
  return state;
}

/**
 * Reads and verifies an existing journal line by line along its hash chain, keeping each op's
 * latest state and the records `keep` accepts.
 * @throws VaultError JOURNAL_CORRUPT (a bad line before the last) | JOURNAL_MISMATCH
 */
function replay(path: string, identity: PlanIdentity, keep: ((r: JournalRecord) => boolean) | undefined): Replay {
  const out = emptyReplay();
  let i = 0;
  for (const [line, isLast] of withLast(fileLines(path))) {
    const ok = line.complete ? unseal(out.prevHash, line.text) : undefined;
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
    out.validBytes += line.bytes;
    if (rec) {
      out.count++;
      out.lastSeq = rec.seq;
      out.latest.set(rec.opId, latestOf(rec));
      if (keep?.(rec)) out.kept.push(rec);
    }
    i++;
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
export function openJournal(path: string, identity: PlanIdentity, opts: { clock?: Clock; keep?: (r: JournalRecord) => boolean } = {}): Journal {
  const clock = opts.clock ?? systemClock;
  const fresh = !existsSync(path) || statSync(path).size === 0;
  const found: Replay = fresh ? emptyReplay() : replay(path, identity, opts.keep);
  const { kept: records, torn, validBytes } = found;
  let prevHash = found.prevHash;
  const latestByOp = found.latest;
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
  let seq = found.lastSeq;
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
    // only the latest state of each op is kept (see `records` and `latest`)
    for (const entry of entries) latestByOp.set(entry.opId, latestOf(entry));
    return out;
  };

  return {
    path,
    identity,
    records,
    recordsRead: found.count,
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
