/**
 * Steps of the real wizard (`node bin/entra-vault.js wizard` in tmux at 80×24) shared by the
 * end-to-end journeys: e2e-real.test.ts (a tenant-loss restore) and e2e-real-resume.test.ts
 * (a restore killed during Execute and resumed).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ResultPromise } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, drillVault, ensureBuilt, type DrillVault } from './real-vault.js';
import { spawnPty, type Pty } from './pty.js';

/** A journey's temp directory, its drill-made vault, and the terminals and processes it opened. */
export interface RealWizardFixture {
  dir: string;
  v: DrillVault;
  open: Pty[];
  procs: ResultPromise[];
}

/**
 * Registers the hooks of a journey file: the CLI built and a vault made by a small drill
 * before its tests; the terminals and processes a test opened closed after it; the
 * directory removed at the end. The fixture's fields are set once beforeAll has run.
 */
export function useRealWizard(prefix: string): RealWizardFixture {
  const f: RealWizardFixture = { dir: '', v: undefined as unknown as DrillVault, open: [], procs: [] };
  beforeAll(async () => {
    f.dir = await mkdtemp(join(tmpdir(), prefix));
    await ensureBuilt();
    f.v = await drillVault(join(f.dir, 'drill'));
  }, 900_000);
  afterEach(async () => {
    for (const p of f.open.splice(0)) await p.close();
    for (const p of f.procs.splice(0)) {
      p.kill('SIGTERM');
      await p.catch(() => undefined);
    }
  });
  afterAll(async () => {
    if (f.dir) await rm(f.dir, { recursive: true, force: true });
  });
  return f;
}

/** The wizard as an operator starts it: no CI in its environment (Ink would draw only its last frame). */
export async function wizard(v: DrillVault, open: Pty[], cwd: string): Promise<Pty> {
  const pty = await spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd, env: { NO_COLOR: '1' } });
  open.push(pty);
  return pty;
}

// Upper bounds, not expectations: a wait ends as soon as the screen shows the text. A busy
// 2-core runner has needed several times the quiet-machine time (docs/engineering.md "Tests").
export const LONG = 180_000;

export function assertFits(screen: string): void {
  for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
}

/** Scenario → archive → unlock: the first three steps of every restore. */
export async function toConnect(v: DrillVault, pty: Pty): Promise<void> {
  // the keys work once the check for unfinished restores is over and the help line shows
  await pty.waitFor('enter choose', LONG);
  await pty.keys('Enter');
  const archive = await pty.waitFor((s) => s.includes('Archives in') && s.includes('✓ signed'), LONG);
  expect(archive).toContain(v.tenantId);
  await pty.keys('Enter');
  await pty.waitFor('Unlock the archive', LONG);
  await pty.type(v.identity);
  await pty.waitFor(v.identity.slice(-24), LONG);
  await pty.keys('Enter');
  await pty.waitFor('Connect to the target tenant', LONG);
}

export function tenantOf(screen: string): string {
  const m = /Tenant\s+([0-9a-f-]{36})/.exec(screen);
  if (!m) throw new Error(`no tenant id on screen:\n${screen}`);
  return m[1]!;
}

/** Preflight → plan → confirm (typing the tenant id) → start the live run. */
export async function confirmAndStart(pty: Pty): Promise<string> {
  const pre = await pty.waitFor('All needed permissions are held', LONG);
  expect(pre).toContain('State    empty tenant');
  const tenant = tenantOf(pre);
  await pty.keys('Enter');
  const plan = await pty.waitFor((s) => /Plan tenant-loss: [\d,]+ operations/.test(s) && s.includes('Tier 2'), LONG);
  assertFits(plan);
  await pty.keys('Enter');
  await pty.waitFor('Confirm the target', LONG);
  await pty.type(tenant);
  await pty.waitFor(tenant.slice(-24), LONG);
  await pty.keys('Enter');
  await pty.waitFor('LIVE RUN: changes will be written', LONG);
  await pty.keys('Enter');
  return tenant;
}

/** Scrolls the report's fidelity table down until a row matching `row` is on screen. */
export async function scrollTo(pty: Pty, row: RegExp): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const s = await pty.screen();
    if (row.test(s)) return s;
    await pty.keys('Down');
    // one row at a time: the window must not scroll past the row before it is seen
    await pty.waitFor((now) => now !== s, 3_000).catch(() => undefined);
  }
  return pty.waitFor((s) => row.test(s), 5_000);
}

/**
 * Tabs the Report to the view whose label starts with `label`, one Tab at a time, each waited
 * for: tmux sends keys one by one, but a loaded machine can deliver two tabs in one read, which
 * Ink takes as one input that is no Tab (the resume journey failed twice that way at load 4).
 */
export async function tabTo(pty: Pty, label: string): Promise<string> {
  for (let i = 0; i < 6; i++) {
    const s = await pty.screen();
    if (s.includes(`[${label}`)) return s;
    await pty.keys('Tab');
    await pty.waitFor((now) => now !== s, 10_000).catch(() => undefined);
  }
  return pty.waitFor(`[${label}`, 10_000);
}
