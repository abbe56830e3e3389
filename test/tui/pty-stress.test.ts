/**
 * The REAL wizard under stress, in a real terminal (tmux, 80×24), over one vault that holds
 * what an incident vault holds: the drill's archive of tenant T, a newer archive of T that
 * was tampered with afterwards, and an archive of another tenant U (issue 12, items 1, 2, 3,
 * 5, 6 and 8; items 4, 7 and 9 are in the kill-and-resume journey of e2e-real.test.ts).
 * Each test is the operator's journey that went wrong before the fix, with the screen,
 * and where it ends the exit code, as the operator sees them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultPromise } from 'execa';
import { createServer, type Server, type Socket } from 'node:net';
import { chmod, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { SCENARIOS } from '../../tui/state.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { loadSigningKey } from '../../src/crypto/index.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { systemClock } from '../../src/clock.js';
import { BIN, drillVault, emulatorProcess, ensureBuilt, type DrillVault } from './real-vault.js';
import { spawnPty, type Pty } from './pty.js';

let dir: string;
let v: DrillVault;
/** T's live tenant (the drill's source, same seed), kept running as an all-admins-deleted target. */
let emuT: EmulatorHandle;
let tenantT: SeededTenant;
let tenantU: SeededTenant;
let writerT: string;
let tampered: string;
const open_: Pty[] = [];
const procs: ResultPromise[] = [];

// Upper bounds, not expectations (docs/engineering.md "Tests"): a wait ends as soon as the
// screen shows the text; a busy 2-core runner needs several times the quiet-machine time.
const LONG = 180_000;
const NO_STACK = /\n\s+at (?:\S+ \()?(?:file:|node:|\/)/;

/** Backs the tenant up into the drill's vault with the drill's keys; returns the archive path. */
async function backupInto(emu: EmulatorHandle, tenant: SeededTenant, name: string): Promise<string> {
  const readerPath = join(dir, `${name}-reader.json`);
  const writerPath = join(dir, `${name}-writer.json`);
  await emu.writeProfiles(tenant.tenantId, { readerPath, writerPath });
  const keys = join(v.vault, '..', 'keys');
  const recipient = (await readFile(join(keys, 'recipient.txt'), 'utf8')).trim();
  const reader = await createGraphClient(await loadProfile(readerPath), {});
  const b = await runBackup({
    graph: reader, vaultDir: v.vault, recipients: [recipient], signingKey: await loadSigningKey(join(keys, 'signing.key')),
    reporter: { report: () => undefined }, clock: systemClock, toolVersion: 'test',
  });
  return b.archivePath;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-stress-'));
  await ensureBuilt();
  v = await drillVault(join(dir, 'drill'));
  // the drill's source tenant, again: same seed and size, same tenant id
  tenantT = seedTenant({ seed: 11, users: 40 });
  expect(tenantT.tenantId).toBe(v.tenantId);
  emuT = await startEmulator({ port: 0, tenants: [tenantT] });
  tampered = await backupInto(emuT, tenantT, 'T');
  writerT = join(dir, 'T-writer.json');
  // tampered after it was signed: one byte of ciphertext flipped in the middle
  const fh = await open(tampered, 'r+');
  try {
    const at = Math.floor((await fh.stat()).size / 2);
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0] = b[0]! ^ 0x01;
    await fh.write(b, 0, 1, at);
  } finally {
    await fh.close();
  }
  tenantU = seedTenant({ seed: 12, users: 10 });
  const emuU = await startEmulator({ port: 0, tenants: [tenantU] });
  try {
    await backupInto(emuU, tenantU, 'U');
  } finally {
    await emuU.close();
  }
}, 900_000);

afterEach(async () => {
  for (const p of open_.splice(0)) await p.close();
  for (const p of procs.splice(0)) {
    p.kill('SIGTERM');
    await p.catch(() => undefined);
  }
});

afterAll(async () => {
  await emuT?.close();
  await rm(dir, { recursive: true, force: true });
});

async function wizard(size: { cols: number; rows: number } = { cols: 80, rows: 24 }): Promise<Pty> {
  const cwd = join(dir, `cwd-${randomUUID().slice(0, 8)}`);
  await mkdir(cwd);
  const pty = await spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd, env: { NO_COLOR: '1' }, ...size });
  open_.push(pty);
  return pty;
}

/** The row the cursor is on (a list's selected row starts with `› `), or '' when none is. */
function cursorLine(screen: string): string {
  return screen.split('\n').find((l) => l.startsWith('› ')) ?? '';
}

/** Chooses the scenario (its row), then waits for the archive list. */
async function toArchive(pty: Pty, scenarioRow: number): Promise<string> {
  await pty.waitFor('enter choose', LONG);
  // Enter only once the cursor is on the scenario: on a loaded machine a key sent right after the
  // first paint, before the menu reads keys, was lost, and Enter then chose the first scenario
  const want = (SCENARIOS[scenarioRow] as { title: string }).title;
  for (let i = 0; i < 8 && !cursorLine(await pty.screen()).includes(want); i++) {
    const before = cursorLine(await pty.screen());
    const at = SCENARIOS.findIndex((x) => before.includes(x.title));
    await pty.keys(at > scenarioRow ? 'Up' : 'Down');
    await pty.waitFor((now) => cursorLine(now) !== before, 5_000).catch(() => undefined);
  }
  expect(cursorLine(await pty.screen())).toContain(want);
  await pty.keys('Enter');
  return pty.waitFor((s) => s.includes('Archives in') && s.includes('✓ signed'), LONG);
}

/** Moves the cursor onto the archive row of `tenantId` that matches `row` (the list is newest first). */
async function pick(pty: Pty, tenantId: string, row: (line: string) => boolean): Promise<string> {
  for (let i = 0; i < 6; i++) {
    const before = cursorLine(await pty.screen());
    await pty.keys('Down');
    // one row per key: read the screen only once the cursor has left the row it was on (a
    // loaded machine redraws late, and a stale screen would send one Down too many)
    const s = await pty.waitFor((now) => cursorLine(now) !== '' && cursorLine(now) !== before, 10_000).catch(() => pty.screen());
    const cur = cursorLine(s);
    if (cur.includes(tenantId.slice(0, 8)) && row(cur)) return s;
  }
  throw new Error(`no archive row of ${tenantId} found:\n${await pty.screen()}`);
}

async function unlockAndConnect(pty: Pty): Promise<void> {
  await pty.waitFor('Unlock the archive', LONG);
  await pty.type(v.identity);
  await pty.waitFor(v.identity.slice(-24), LONG);
  await pty.keys('Enter');
  await pty.waitFor('Connect to the target tenant', LONG);
}

/** Connect: the built-in emulator as the target, then on from the preflight to Plan. */
async function planOnBuiltInEmulator(pty: Pty): Promise<void> {
  await pty.keys('Tab');
  await pty.waitFor('Press enter to start it', LONG);
  await pty.keys('Enter');
  await pty.waitFor('All needed permissions are held', LONG);
  await pty.keys('Enter');
}

async function overrideWith(pty: Pty, reason: string): Promise<void> {
  await pty.keys('o');
  await pty.waitFor('Reason:', LONG);
  await pty.type(reason);
  await pty.waitFor(reason, LONG);
  await pty.keys('Enter');
}

describe('the real wizard on a small and a large terminal (issue 12 items 10, 11)', () => {
  it('at 60×20 the step bar and the key line stay on screen, a detail view shows a long path whole, and a resize to 160×50 is followed', async () => {
    const pty = await wizard({ cols: 60, rows: 20 });
    let s = await pty.waitFor('enter choose', LONG);
    let rows = s.split('\n');
    expect(rows[0]).toMatch(/^entra-vault recovery wizard/);
    expect(rows[1]).toContain('[Scenario]');
    expect(rows[2]).toBe('─'.repeat(60));
    await pty.keys('Enter');
    await pty.waitFor('Archives in', LONG);
    // T's newer archive, tampered after signing: listed as damaged (issue 12 item 14b)
    s = await pick(pty, tenantT.tenantId, (line) => line.includes('DAMAGED'));
    // the path is cut on the list's detail lines, whole in the detail view
    expect(s.replace(/\s+/g, '')).not.toContain(tampered);
    await pty.keys('Right');
    s = await pty.waitFor('Archive of', LONG);
    rows = s.split('\n');
    expect(rows[1]).toContain('[Archive]');
    expect(s.replace(/\s+/g, '')).toContain(tampered.replace(/\s+/g, ''));
    expect(s).toContain('Signature');
    expect(rows.slice(-2).join(' ')).toContain('esc/← back to the list');
    await pty.keys('Escape');
    s = await pty.waitFor('Archives in', LONG);
    expect(s.split('\n').find((l) => l.startsWith('› '))).toContain('DAMAGED');
    await pty.resize(160, 50);
    s = await pty.waitFor((now) => now.split('\n')[2] === '─'.repeat(160), LONG);
    expect(s.split('\n')[1]).toBe('Scenario › [Archive] › Unlock › Connect › Plan › Confirm › Execute › Report');
    expect(s).toContain('size       signature');
    await pty.keys('C-c');
    expect(await pty.exitCode(LONG)).toBe(130);
  }, 120_000);
});

describe('the real wizard under stress (issue 12)', () => {
  it('item 2: with two tenants in the vault nothing is preselected, and another tenant\'s archive is refused for all-admins-deleted before any write', async () => {
    const writesBefore = emuT.tenant(tenantT.tenantId).stats().mutating;
    const pty = await wizard();
    const list = await toArchive(pty, 1);
    expect(list).toContain('none is preselected');
    expect(list).not.toMatch(/\n› /);
    // the newest archive in the vault is U's: picked on purpose, restored into T
    await pick(pty, tenantU.tenantId, () => true);
    await pty.keys('Enter');
    await unlockAndConnect(pty);
    await pty.type(writerT);
    await pty.waitFor(writerT.slice(-24), LONG);
    await pty.keys('Enter');
    await pty.waitFor('All needed permissions are held', LONG);
    await pty.keys('Enter');
    const refused = await pty.waitFor('WRONG_TENANT', LONG);
    expect(refused).toContain(tenantU.tenantId.slice(0, 8));
    expect(refused).not.toMatch(NO_STACK);
    expect(refused).not.toContain('Confirm the target');
    expect(emuT.tenant(tenantT.tenantId).stats().mutating).toBe(writesBefore);
  }, 600_000);

  it('item 3: a tampered archive taken with the signature override fails at Plan with a coded one-line error, no stack trace', async () => {
    const pty = await wizard();
    await toArchive(pty, 0);
    const row = await pick(pty, tenantT.tenantId, (l) => l.includes('DAMAGED'));
    expect(row).toContain('✗ Damaged: its signature does not verify');
    // its time from the file name, never blank, and it is not called older (issue 12 item 14b)
    expect(row.split('\n').find((l) => l.startsWith('› '))).toMatch(/^› \d{4}-\d\d-\d\d \d\d:\d\dZ/);
    expect(row.split('\n').find((l) => l.startsWith('› '))).not.toContain('older');
    await overrideWith(pty, 'stress test: tampered archive');
    await unlockAndConnect(pty);
    await planOnBuiltInEmulator(pty);
    const failed = await pty.waitFor((s) => /✗ [A-Z_]+: /.test(s), LONG);
    expect(failed).not.toMatch(NO_STACK);
    expect(failed).not.toContain('internal error');
    expect(failed).toMatch(/✗ (ARCHIVE_CORRUPT|INTEGRITY|ARCHIVE_MALFORMED|DECRYPT_FAILED|ARCHIVE_TRUNCATED)[A-Z_]*: /);
    // still the wizard: the step is there to go back from, and quitting is an ordinary exit
    expect(failed).toContain('[Plan]');
    await pty.keys('C-c');
    const code = await pty.exitCode(LONG);
    expect(code).not.toBe(70);
    expect(await pty.screen()).not.toMatch(NO_STACK);
  }, 600_000);

  it('item 5: the last good archive of a tenant whose newest archive is damaged is restorable through the wizard with a reason', async () => {
    const pty = await wizard();
    await toArchive(pty, 0);
    const s = await pick(pty, tenantT.tenantId, (l) => l.includes('✓ signed'));
    expect(s).toContain('a rollback, needs a reason (press o)');
    await overrideWith(pty, 'stress test: newest archive damaged');
    // the reason taken, the archive is chosen and the wizard moves on to Unlock
    await unlockAndConnect(pty);
    await planOnBuiltInEmulator(pty);
    const plan = await pty.waitFor((x) => /Plan tenant-loss: [\d,]+ operations/.test(x) || /✗ [A-Z_]+: /.test(x), LONG);
    expect(plan).not.toContain('ROLLBACK');
    expect(plan).toMatch(/Plan tenant-loss: [\d,]+ operations/);
    const audit = await readFile(join(v.vault, 'audit.log'), 'utf8');
    expect(audit).toContain('stress test: newest archive damaged');
  }, 600_000);

  it('item 6: a target that accepts connections and never answers shows the time waited, and Esc returns to Connect', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((sock) => {
      sockets.push(sock); // accepted, never answered
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const profile = join(dir, 'stalled.json');
      await writeFile(profile, JSON.stringify({
        tenantId: randomUUID(), authorityHost: `http://127.0.0.1:${port}`, graphBaseUrl: `http://127.0.0.1:${port}/v1.0`,
        clientId: randomUUID(), auth: { kind: 'clientSecret', secret: 'stalled-lab-secret' }, name: 'stalled target', emulator: true,
      }), { mode: 0o600 });
      await chmod(profile, 0o600);
      const pty = await wizard();
      await toArchive(pty, 0);
      await pick(pty, tenantU.tenantId, () => true);
      await pty.keys('Enter');
      await unlockAndConnect(pty);
      await pty.type(profile);
      await pty.waitFor(profile.slice(-24), LONG);
      await pty.keys('Enter');
      // the wait counts up and offers a way back
      const waiting = await pty.waitFor((s) => /signing in and running the preflight · (?:[^·\n]+ · )?([2-9]|\d{2,}) s/.test(s), LONG);
      expect(waiting).toMatch(/esc/);
      expect(sockets.length).toBeGreaterThan(0);
      await pty.keys('Escape');
      const back = await pty.waitFor('CANCELLED', LONG);
      expect(back).toContain('nothing was written');
      expect(back).toContain('Connect to the target tenant');
      expect(back).not.toContain('stalled-lab-secret');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 600_000);

  it('items 1 and 8: a typo at Confirm asks again; a restore with refused writes ends "✗ Restore INCOMPLETE", with its failures and exit 1', async () => {
    const cwd = join(dir, 'target-faulty');
    await mkdir(cwd);
    const writer = join(cwd, 'writer.json');
    // every 10th write (seeded) is refused with 400: failures no retry cures
    const { emu, ready } = emulatorProcess(['--empty', '--port', '0', '--writer-profile-out', writer, '--profile-out', join(cwd, 'reader.json'), '--faults', 'rejectWrites=0.1,seed=5'], { cwd, env: { CI: 'true' } });
    procs.push(emu);
    await ready;
    const pty = await wizard();
    await toArchive(pty, 0);
    await pick(pty, tenantU.tenantId, () => true);
    await pty.keys('Enter');
    await unlockAndConnect(pty);
    await pty.type(writer);
    await pty.waitFor(writer.slice(-24), LONG);
    await pty.keys('Enter');
    const pre = await pty.waitFor('All needed permissions are held', LONG);
    const tenant = /Tenant\s+([0-9a-f-]{36})/.exec(pre)![1]!;
    await pty.keys('Enter');
    await pty.waitFor((s) => /Plan tenant-loss: [\d,]+ operations/.test(s), LONG);
    await pty.keys('Enter');
    await pty.waitFor('Confirm the target', LONG);
    // item 8: a typo asks again, with the field cleared; no dry run is started
    await pty.type(`${tenant.slice(0, -1)}x`);
    await pty.waitFor(`${tenant.slice(-23, -1)}x`, LONG);
    await pty.keys('Enter');
    const again = await pty.waitFor('does not match the target', LONG);
    expect(again).toContain('Confirm the target');
    expect(again).not.toContain('Dry run');
    await pty.type(tenant);
    await pty.waitFor(tenant.slice(-24), LONG);
    await pty.keys('Enter');
    await pty.waitFor('LIVE RUN: changes will be written', LONG);
    await pty.keys('Enter');
    // item 1: the headline follows the real outcome
    const report = await pty.waitFor((s) => /Restore (INCOMPLETE|completed|finished)/.test(s), LONG);
    expect(report).not.toContain('✓ Restore completed');
    const m = /✗ Restore INCOMPLETE: ([\d,]+) failed, ([\d,]+) skipped/.exec(report);
    expect(m, report).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(report).toMatch(/\[Failures \([\d,]+\)\]/);
    // each failure is listed with its code, cut at the frame; → opens its whole text (item 11)
    expect(report).toContain('[GRAPH_REQUEST_FAILED]');
    expect(report).not.toMatch(NO_STACK);
    await pty.keys('Right');
    const detail = await pty.waitFor('esc/← back to the list', LONG);
    const flat = detail.replace(/\s+/g, ' ');
    // the emulator's refusal, whole: status, Graph's code and its message to the end
    expect(flat).toContain('400 Request_BadRequest: The request was refused (an injected fault: rejectWrites).');
    expect(report.replace(/\s+/g, ' ')).not.toContain('(an injected fault: rejectWrites)');
    await pty.keys('Escape');
    await pty.waitFor((s) => /\[Failures \([\d,]+\)\]/.test(s), LONG);
    await pty.keys('q');
    expect(await pty.exitCode(LONG)).toBe(1);
    // the record of the run is not "finished": the next wizard offers to resume it
    const next = await wizard();
    await next.waitFor('An unfinished restore was found', LONG);
  }, 600_000);
});

