/**
 * Writes one text frame per wizard step to docs/wizard/<nn>-<step>.txt (80×24 unless
 * --size says otherwise: the wizard lays out to the terminal), so reviewers can read every
 * screen without a terminal, and docs/wizard/README.md saying where each frame came from.
 *
 * Real frames: the built wizard (`node bin/entra-vault.js wizard`) in tmux, over a vault
 * made by a 40-user drill, restoring into the built-in emulator. Fake frames (the fake
 * services of test/tui/fake-services.ts, through ink-testing-library) only for the
 * screens a drill vault and the built-in emulator cannot reach.
 *
 *   npx tsx scripts/capture-wizard.ts [--size COLSxROWS] [--fake-only] [outDir]
 *     (needs tmux; builds dist/ if stale; --fake-only skips the real wizard, for a quick look)
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Clock } from '../src/clock.js';
import { KEY, mount as mountAt, type Driver } from '../test/tui/harness.js';
import { DOMAIN, FakeServices, IDENTITY, JOURNAL, PASSPHRASE } from '../test/tui/fake-services.js';
import { spawnPty, type Pty } from '../test/tui/pty.js';
import { SCENARIOS } from '../tui/state.js';
import { BIN, drillVault, emulatorProcess, ensureBuilt, type DrillVault } from '../test/tui/real-vault.js';

const USAGE = `usage: npx tsx scripts/capture-wizard.ts [--size COLSxROWS] [--fake-only] [outDir]
  --size COLSxROWS  the terminal size to capture at (default 80x24; at least 60x20)
  --fake-only       only the frames of the fake services (no drill, no tmux)
  outDir            where the frames and README.md go (default docs/wizard)
`;
const args = parseArgs({ options: { size: { type: 'string', default: '80x24' }, 'fake-only': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, allowPositionals: true });
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizeMatch = /^(\d+)x(\d+)$/.exec(args.values.size ?? '80x24');
if (!sizeMatch || Number(sizeMatch[1]) < 60 || Number(sizeMatch[2]) < 20) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const COLS = Number(sizeMatch[1]);
const ROWS = Number(sizeMatch[2]);
const outDir = args.positionals[0] ?? 'docs/wizard';
const mount = (services: Parameters<typeof mountAt>[0], opts: Parameters<typeof mountAt>[1] = {}): Driver => mountAt(services, { columns: COLS, rows: ROWS, ...opts });

/** A clock the capture moves (the stalled run). */
class ManualClock implements Clock {
  t = Date.parse('2026-12-04T03:00:00Z');
  now(): Date {
    return new Date(this.t);
  }
  async sleep(): Promise<void> {}
}
type Source = 'real' | 'fake';
const frames = new Map<string, { text: string; source: Source }>();
let source: Source = 'fake';

/** The order of the frames in docs/wizard (the wizard's own order, alternatives last). */
const ORDER: { name: string; what: string }[] = [
  { name: 'resume', what: 'offer to resume an unfinished restore' },
  { name: 'scenario', what: 'choose the procedure' },
  { name: 'archive', what: 'the vault\'s archives, newest valid preselected' },
  { name: 'archive-bad-signature-override', what: 'a bad signature needs a reason (audit-logged)' },
  { name: 'unlock-identity', what: 'unlock with the age identity file' },
  { name: 'unlock-passphrase-masked', what: 'unlock with a passphrase, drawn as asterisks' },
  { name: 'connect', what: 'a connection profile' },
  { name: 'connect-drill-emulator', what: 'the built-in emulator as the target' },
  { name: 'connect-preflight', what: 'tenant, state, permissions held vs needed' },
  { name: 'plan-tiers', what: 'the plan by tier' },
  { name: 'plan-tier-expanded', what: 'one tier\'s operations' },
  { name: 'plan-operation-detail', what: 'the detail view (→): one operation, whole' },
  { name: 'plan-warnings', what: 'what the restore cannot do (manual steps, skips)' },
  { name: 'confirm-mismatch', what: 'a typo asks again (a dry run is chosen with tab)' },
  { name: 'confirm-live', what: 'the tenant id typed: a live run' },
  { name: 'execute', what: 'the whole run (count, elapsed, ETA), phases, throttling, log' },
  { name: 'execute-stalled', what: 'a target that stopped answering: failures counted live, stalled since' },
  { name: 'report-fidelity', what: 'fidelity per type (objects, attributes, relations)' },
  { name: 'report-deviations', what: 'what differs after the restore, and why' },
  { name: 'report-manual-steps', what: 'the manual-steps checklist' },
  { name: 'report-files', what: 'report, runbook, encrypted credentials, time per tier' },
  { name: 'report-failed-restore', what: 'a restore with failures: ✗ headline, the failures first' },
  { name: 'report-failure-detail', what: 'the detail view of a failure: its whole reason' },
  { name: 'connect-device-code', what: 'a device-code sign-in waiting' },
  { name: 'connect-missing-permissions', what: 'missing permissions block the wizard' },
  { name: 'plan-diff-selection', what: 'restore objects: choose from the diff' },
  { name: 'verify-vault-report', what: 'verify the vault: the archive check' },
  // last, so the numbers of the frames above stay (issue 18 item 3)
  { name: 'archive-changes', what: 'what changed since an archive (w): grouped by risk, counts per group' },
  { name: 'archive-change-detail', what: 'one change whole: a CA policy switched off' },
];

function keep(name: string, frame: string): void {
  if (!ORDER.some((o) => o.name === name)) throw new Error(`${name}: not a known frame`);
  // a real frame wins over a fake one of the same step
  if (source === 'fake' && frames.get(name)?.source === 'real') return;
  const lines = frame.replace(/[ \t]+$/gm, '').split('\n');
  while (lines.length > ROWS && lines[lines.length - 1] === '') lines.pop();
  while (lines.length < ROWS) lines.push('');
  for (const l of lines) if ([...l].length > COLS) throw new Error(`${name}: line over ${COLS} columns: ${l}`);
  if (lines.length > ROWS) throw new Error(`${name}: ${lines.length} rows`);
  if (frame.includes(PASSPHRASE)) throw new Error(`${name}: shows the passphrase`);
  frames.set(name, { text: `${lines.join('\n')}\n`, source });
}

const DEMO = '/tmp/entra-vault-demo';
const LONG = 60_000;

/** The real wizard over a drill vault and the built-in emulator, in tmux at the capture's size. */
async function captureReal(): Promise<void> {
  source = 'real';
  await ensureBuilt();
  await rm(DEMO, { recursive: true, force: true });
  const v = await drillVault(join(DEMO, 'drill'));
  const start = async (): Promise<Pty> =>
    spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd: DEMO, env: { NO_COLOR: '1' }, cols: COLS, rows: ROWS });
  const pty = await start();
  try {
    keep('scenario', await pty.waitFor('enter choose', LONG));
    await pty.keys('Enter');
    keep('archive', await pty.waitFor((s) => s.includes('Archives in') && s.includes('✓ signed'), LONG));
    await pty.keys('Enter');
    await pty.waitFor('Unlock the archive', LONG);
    await pty.type(v.identity);
    keep('unlock-identity', await pty.waitFor(v.identity.slice(-20), LONG));
    await pty.keys('Enter');
    await pty.waitFor('Connect to the target tenant', LONG);
    const profile = '/etc/entra-vault/target.json';
    await pty.type(profile);
    keep('connect', await pty.waitFor(profile, LONG));
    for (let i = 0; i < profile.length; i++) await pty.keys('BSpace');
    await pty.waitFor((s) => !s.includes(profile), LONG);
    await pty.keys('Tab');
    keep('connect-drill-emulator', await pty.waitFor('Press enter to start it', LONG));
    await pty.keys('Enter');
    const pre = await pty.waitFor('All needed permissions are held', LONG);
    keep('connect-preflight', pre);
    const tenant = /Tenant\s+([0-9a-f-]{36})/.exec(pre)?.[1] ?? '';
    await pty.keys('Enter');
    keep('plan-tiers', await pty.waitFor((s) => /Plan tenant-loss: [\d,]+ operations/.test(s) && s.includes('Tier 5'), LONG));
    await pty.keys('Down', 'Down');
    await pty.waitFor('› ▸ Tier 2', LONG);
    await pty.keys('Right');
    keep('plan-tier-expanded', await pty.waitFor('▾ Tier 2', LONG));
    await pty.keys('Right');
    keep('plan-operation-detail', await pty.waitFor('esc/← back to the list', LONG));
    await pty.keys('Left');
    await pty.waitFor('▾ Tier 2', LONG);
    await pty.keys('Left');
    await pty.waitFor((s) => !s.includes('▾ Tier 2'), LONG);
    await pty.keys('Tab');
    keep('plan-warnings', await pty.waitFor('[Warnings', LONG));
    await pty.keys('Enter');
    await pty.waitFor('Confirm the target', LONG);
    await pty.type('contoso');
    await pty.waitFor('contoso', LONG);
    await pty.keys('Enter');
    keep('confirm-mismatch', await pty.waitFor('does not match the target', LONG));
    await pty.type(tenant);
    await pty.waitFor(tenant.slice(-24), LONG);
    await pty.keys('Enter');
    keep('confirm-live', await pty.waitFor('LIVE RUN: changes', LONG));
    await pty.keys('Enter');
    // the frame of the run in progress: tier 3 (relationships, the longest) under way if
    // the screen is caught there, else the last screen of the Execute step that was seen
    let running = '';
    const finished = (s: string): boolean => /Restore (completed|finished|INCOMPLETE)/.test(s);
    await pty.waitFor((s) => {
      if (s.includes('LIVE RUN on')) running = s;
      return /\nrestore tier 3\s+[\d,]+ \/ [\d,]+\s+\S+\/s/.test(s) || finished(s);
    }, LONG);
    if (!running) throw new Error('execute: the run was never seen in progress');
    keep('execute', running);
    keep('report-fidelity', await pty.waitFor(finished, LONG));
    await pty.keys('Tab');
    keep('report-deviations', await pty.waitFor('[Deviations', LONG));
    await pty.keys('Tab');
    await pty.waitFor('[Manual steps', LONG);
    await pty.keys('Space');
    keep('report-manual-steps', await pty.waitFor('[Manual steps (1/', LONG));
    await pty.keys('Tab');
    keep('report-files', await pty.waitFor('Time per tier', LONG));
    await pty.keys('q');
    await pty.exitCode(LONG);
  } finally {
    await pty.close();
  }
  const verify = await start();
  try {
    await verify.waitFor('enter choose', LONG);
    for (let i = 0; i < 5; i++) await verify.keys('Down');
    await verify.waitFor('› Verify the vault', LONG);
    await verify.keys('Enter');
    await verify.waitFor((s) => s.includes('Archives in') && s.includes('✓ signed'), LONG);
    await verify.keys('Enter');
    await verify.waitFor('Unlock the archive', LONG);
    await verify.type(v.identity);
    await verify.waitFor(v.identity.slice(-24), LONG);
    await verify.keys('Enter');
    keep('verify-vault-report', await verify.waitFor('The archive is intact', LONG));
    await verify.keys('q');
  } finally {
    await verify.close();
  }
  await captureRealResume(v);
}

/**
 * The resume offer, for real: a restore into a separate emulator process (it outlives
 * the wizard) killed with SIGKILL during Execute, then the wizard opened again.
 */
async function captureRealResume(v: DrillVault): Promise<void> {
  const cwd = join(DEMO, 'resume');
  await mkdir(cwd, { recursive: true });
  const writer = join(DEMO, 'target-writer.json');
  const { emu, ready } = emulatorProcess(['--empty', '--port', '0', '--writer-profile-out', writer, '--profile-out', join(DEMO, 'target-reader.json'), '--faults', 'latency=15'], { cwd });
  const start = async (): Promise<Pty> =>
    spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd, env: { NO_COLOR: '1' }, cols: COLS, rows: ROWS });
  try {
    await ready;
    const first = await start();
    try {
      await first.waitFor('enter choose', LONG);
      await first.keys('Enter');
      await first.waitFor('✓ signed', LONG);
      await first.keys('Enter');
      await first.waitFor('Unlock the archive', LONG);
      await first.type(v.identity);
      await first.waitFor(v.identity.slice(-24), LONG);
      await first.keys('Enter');
      await first.waitFor('Connect to the target tenant', LONG);
      await first.type(writer);
      await first.waitFor(writer.slice(-24), LONG);
      await first.keys('Enter');
      const pre = await first.waitFor('All needed permissions are held', LONG);
      const tenant = /Tenant\s+([0-9a-f-]{36})/.exec(pre)?.[1] ?? '';
      await first.keys('Enter');
      await first.waitFor('Tier 5', LONG);
      await first.keys('Enter');
      await first.waitFor('Confirm the target', LONG);
      await first.type(tenant);
      await first.waitFor(tenant.slice(-24), LONG);
      await first.keys('Enter');
      await first.waitFor('LIVE RUN: changes', LONG);
      await first.keys('Enter');
      const workDir = join(cwd, '.entra-vault');
      const until = Date.now() + LONG;
      for (;;) {
        // the recovery script keeps its journal in its --out directory under the work dir
        const run = (await readdir(workDir).catch(() => [] as string[])).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n));
        const text = run ? await readFile(join(workDir, run, 'restore.journal'), 'utf8').catch(() => '') : '';
        if (text.split('"state":"done"').length > 40) break;
        if (Date.now() > until) throw new Error('resume: the run never got going');
        await new Promise((r) => setTimeout(r, 20));
      }
      const pid = await first.programPid();
      if (pid === undefined) throw new Error('resume: no wizard process to kill');
      process.kill(pid, 'SIGKILL');
      await first.exitCode(LONG);
    } finally {
      await first.close();
    }
    const second = await start();
    try {
      keep('resume', await second.waitFor('An unfinished restore was found', LONG));
      await second.keys('C-c');
      await second.exitCode(LONG);
    } finally {
      await second.close();
    }
  } finally {
    emu.kill('SIGTERM');
    await emu.catch(() => undefined);
  }
}

async function toArchive(d: Driver, scenario: number): Promise<void> {
  await d.waitFor('enter choose');
  for (let i = 0; i < scenario; i++) await d.press(KEY.down);
  await d.waitFor(`› ${SCENARIOS[scenario]!.title}`);
  await d.press(KEY.enter);
  await d.waitFor('Archives in');
}

async function unlock(d: Driver): Promise<void> {
  await d.waitFor('Unlock the archive');
  await d.type(IDENTITY);
  await d.press(KEY.enter);
}

async function main(): Promise<void> {
  if (!args.values['fake-only']) await captureReal();
  source = 'fake';
  // Resume offer.
  {
    const d = mount(new FakeServices({ journal: JOURNAL }));
    keep('resume', await d.waitFor('An unfinished restore was found'));
    d.unmount();
  }
  // Tenant loss, end to end, with a held run for the progress frame.
  {
    const f = new FakeServices({ holdExecute: true });
    const d = mount(f);
    keep('scenario', await d.waitFor('enter choose'));
    await toArchive(d, 0);
    keep('archive', d.frame());
    await d.press(KEY.up, KEY.enter);
    await d.waitFor('SIGNATURE_INVALID');
    await d.press('o');
    await d.waitFor('Reason:');
    await d.type('only copy after the incident');
    keep('archive-bad-signature-override', d.frame());
    await d.press(KEY.esc, KEY.down, KEY.enter);
    await d.waitFor('Unlock the archive');
    await d.press(KEY.tab);
    await d.type(PASSPHRASE);
    keep('unlock-passphrase-masked', d.frame());
    await d.press(KEY.enter);
    await d.waitFor('Connect to the target');
    await d.type('target.json');
    keep('connect', d.frame());
    await d.press(KEY.enter);
    keep('connect-preflight', await d.waitFor('Preflight'));
    await d.press(KEY.enter);
    await d.waitFor('operations on');
    keep('plan-tiers', d.frame());
    await d.press(KEY.down, KEY.down, KEY.right);
    keep('plan-tier-expanded', await d.waitFor('▾ Tier 2'));
    await d.press(KEY.right);
    keep('plan-operation-detail', await d.waitFor('Operation op-u0'));
    await d.press(KEY.esc, KEY.left, KEY.tab);
    keep('plan-warnings', await d.waitFor('[Warnings'));
    await d.press(KEY.enter);
    await d.waitFor('Confirm the target');
    await d.type('contoso');
    await d.press(KEY.enter);
    keep('confirm-mismatch', await d.waitFor('does not match the target'));
    await d.type(DOMAIN);
    await d.press(KEY.enter);
    keep('confirm-live', await d.waitFor('LIVE RUN'));
    await d.press(KEY.enter);
    keep('execute', await d.waitFor('created 600 of 1,200 users'));
    f.release();
    keep('report-fidelity', await d.waitFor('Restore finished'));
    await d.press(KEY.tab);
    keep('report-deviations', await d.waitFor('[Deviations'));
    await d.press(KEY.tab, KEY.space);
    keep('report-manual-steps', await d.waitFor('Manual steps (1/2)'));
    await d.press(KEY.tab);
    keep('report-files', await d.waitFor('[Files]'));
    d.unmount();
  }
  // A restore that failed: the target stopped answering (failures counted live, stalled),
  // then the report's ✗ headline, its failures and the whole reason of one.
  {
    const clock = new ManualClock();
    const f = new FakeServices({
      holdExecute: true,
      failures: [
        { label: 'create user Alice Example', reason: '[GRAPH_THROTTLED] Graph POST /users throttled (429) after 6 retries over 5 minutes; the target kept answering Retry-After 30 s' },
        { label: 'create group Sales EMEA', reason: '[GRAPH_UNAVAILABLE] Graph POST /groups unavailable after retries (503): the service did not answer' },
      ],
      skipped: 182,
    });
    const d = mount(f, { clock });
    await toArchive(d, 0);
    await d.press(KEY.enter);
    await unlock(d);
    await d.waitFor('Connect to the target');
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor('operations on');
    await d.press(KEY.enter);
    await d.waitFor('Confirm the target');
    await d.type(DOMAIN);
    await d.press(KEY.enter);
    await d.waitFor('LIVE RUN');
    await d.press(KEY.enter);
    await d.waitFor('created 600 of 1,200 users');
    clock.t += 47_000;
    keep('execute-stalled', await d.waitFor('Stalled since', 5000));
    f.release();
    keep('report-failed-restore', await d.waitFor('Restore INCOMPLETE'));
    await d.press(KEY.enter);
    keep('report-failure-detail', await d.waitFor('Failed operation 1 of 2'));
    d.unmount();
  }
  // Refusals and alternatives on the Connect step.
  {
    const f = new FakeServices();
    const d = mount(f);
    await toArchive(d, 1);
    await d.press(KEY.enter);
    await unlock(d);
    await d.waitFor('Connect to the target');
    await d.type('device.json');
    await d.press(KEY.enter);
    keep('connect-device-code', await d.waitFor('F7KQ-2MWP'));
    f.completeSignIn();
    await d.waitFor('Preflight');
    await d.press('c');
    await d.waitFor('Connect to the target');
    await d.press(...Array.from({ length: 'device.json'.length }, () => KEY.backspace));
    await d.type('readonly.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    keep('connect-missing-permissions', await d.waitFor('GRAPH_FORBIDDEN'));
    d.unmount();
  }
  // Restore objects: the diff and selection.
  {
    const d = mount(new FakeServices());
    await toArchive(d, 2);
    await d.press(KEY.enter);
    await unlock(d);
    await d.waitFor('Connect to the target');
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor('[Diff');
    await d.press(KEY.down, KEY.space);
    keep('plan-diff-selection', await d.waitFor('selection changed'));
    d.unmount();
  }
  // Recovery drill: the emulator target.
  {
    const d = mount(new FakeServices());
    await toArchive(d, 4);
    await d.press(KEY.enter);
    await unlock(d);
    keep('connect-drill-emulator', await d.waitFor('Built-in emulator'));
    d.unmount();
  }
  // Verify the vault.
  {
    const d = mount(new FakeServices());
    await toArchive(d, 5);
    await d.press(KEY.enter);
    await unlock(d);
    keep('verify-vault-report', await d.waitFor('The archive is intact'));
    d.unmount();
  }
  await captureChanges();

  await mkdir(outDir, { recursive: true });
  for (const old of await readdir(outDir)) if (/^\d\d-.*\.txt$/.test(old)) await rm(join(outDir, old));
  const rows: string[] = [];
  let n = 0;
  for (const o of ORDER) {
    const fr = frames.get(o.name);
    if (!fr && args.values['fake-only']) {
      process.stderr.write(`${o.name}: only the real wizard shows it (left out with --fake-only)\n`);
      continue;
    }
    if (!fr) throw new Error(`${o.name}: no frame captured`);
    n++;
    const file = `${String(n).padStart(2, '0')}-${o.name}.txt`;
    await writeFile(join(outDir, file), fr.text);
    rows.push(`| [\`${file}\`](${file}) | ${o.what} | ${fr.source === 'real' ? 'real wizard' : 'fake services'} |`);
  }
  await writeFile(join(outDir, 'README.md'), README(rows));
  process.stdout.write(`wrote ${frames.size} frames to ${outDir} (${[...frames.values()].filter((f) => f.source === 'real').length} from the real wizard)\n`);
}

/** "What changed since this archive?" between two archives (the drill vault holds one): w marks, w compares. */
async function captureChanges(): Promise<void> {
  const d = mount(new FakeServices({ changes: true }));
  await toArchive(d, 0);
  await d.press('w', KEY.down, 'w');
  await d.waitFor('Identity file:');
  await d.type(IDENTITY);
  await d.press(KEY.enter);
  keep('archive-changes', await d.waitFor('Changes from'));
  await d.press(KEY.down, KEY.enter);
  keep('archive-change-detail', await d.waitFor('Properties'));
  d.unmount();
}

const README = (rows: string[]): string => `# The recovery wizard, step by step (${COLS}×${ROWS})

Each file is one screen of \`entra-vault wizard\` (or \`entra-vault\` with no arguments on
a terminal) as text, ${COLS} columns by ${ROWS} rows, without colour. The wizard lays out to the
terminal it runs in (at least 60×20): these are the screens of a ${COLS}×${ROWS} terminal. They are
written by \`npx tsx scripts/capture-wizard.ts --size ${COLS}x${ROWS}\` (needs tmux; rebuilds
\`dist/\` when stale).${COLS === 80 ? ' The same screens on a 120×40 terminal are in [`120x40/`](120x40/README.md)\n(`--size 120x40 docs/wizard/120x40`).' : ''}

**real wizard**: the built wizard (\`node bin/entra-vault.js wizard --vault …\`) running in
tmux over a vault made by a 40-user tenant-loss drill, restoring into the built-in emulator,
exactly as an operator would drive it. The wizard plans in-process (no write) but performs
the procedure by running its recovery script (\`recovery-scripts/40-recover-tenant-loss.sh\`
here, \`20-vault-custody-check.sh\` for the vault check) with the reviewed plan's hash, and
shows the script's progress and step lines live; the vault's audit log records each script
run with its SHA-256. Paths, tenant ids, times and counts are those of that
run. The same journey is an end-to-end test (\`test/tui/e2e-real.test.ts\`), with a second one
that kills the wizard during Execute and resumes the journal to completion.

On the Archive step, an archive older than the newest listed for its tenant is marked
\`· older\` ("Older than newest …"): restoring it is a rollback, which the vault's
anti-rollback check refuses, so it is taken only through \`o\` and a typed reason (one reason
also covers a bad signature), audit-logged as \`rollback.override\` and passed to the recovery
script as \`--allow-rollback <reason>\` (one literal argument, no shell), or as \`allowRollback\`
when the restore runs in-process.

"What changed since this archive?" (issue 18 item 3) is asked on the Archive step, before the
point to restore is chosen, with \`w\` (key line: \`w compare\`, or \`w changes since\` once a
target is connected). What it compares depends on where the operator is in the flow:

- **no target connected yet** (the usual first visit: Connect comes after Unlock): \`w\` marks
  the highlighted archive, \`w\` on another archive compares the two, the older as A (\`w\` on the
  marked one unmarks it). This answers "what changed between the last good backup and the
  newest one".
- **a target connected** (the operator went on to Connect and came back with Esc; the
  connection stays): \`w\` compares the highlighted archive with the tenant as it is now, read
  through a read-only client (progress on the status line, Esc cancels the read).

The archives are decrypted for it: when nothing was unlocked yet, an identity-file prompt
comes first (Enter alone uses the key the session already holds; an archive encrypted to a
passphrase only is compared after it was unlocked once). An archive with a bad signature is
compared only after its override. The report lists the risk groups of
[\`docs/archive-diff-format.md\`](../archive-diff-format.md) riskiest first (role assignments
and PIM, Conditional Access, app credentials, federation, authentication methods, consent,
entitlement management, then everything else) with the count of each; a change that switches a
protection off starts with \`!\`. → or Enter shows a change whole (properties before → after,
credentials as metadata only); Esc goes back to the list, with the cursor where it was, and
nothing has been chosen or unlocked. The plain wizard offers the same as the Archive step's
last choice ("What changed since an archive?"), prints the report with numbered changes and
prints a change whole by its number. (The 80×24 frame \`03-archive.txt\` and the 120×40 frames
were not recaptured: their key line predates \`w compare\`.)

Every list row cut to the width has a detail view (→, or Enter on the Report) with its whole
text wrapped; Esc or ← returns to the same row. Execute counts the whole run (operations done
of the plan, elapsed time, an ETA from the rate observed in this run), counts failures as they
happen, says "Stalled since …" when no operation completes for 15 s, and collapses throttling
into one line with a count.

**fake services**: the wizard's screens over the fake services of the tests
(\`test/tui/fake-services.ts\`), only where a drill vault and the built-in emulator cannot
show the screen: a bad
signature (the drill's archive is validly signed), a passphrase-encrypted archive (the drill
encrypts to an identity), a device-code sign-in and missing permissions (the emulator signs
in with a client secret and grants every permission), the diff of a \`Restore objects\`
run against a populated tenant (the built-in emulator starts empty), and a failed restore whose
target stops answering (on a clock the capture moves, so "stalled since" shows at once), and
"what changed since an archive?" between two archives (the drill vault holds one).

| Frame | What it shows | From |
|---|---|---|
${rows.join('\n')}

## Plain mode

\`entra-vault wizard --plain\` (and the wizard on a terminal with \`TERM=dumb\`) is the same
wizard as lines, for screen readers, braille displays, dumb and serial terminals and
transcripts, as the GitHub CLI's accessible prompter: every step and question is printed
once, choices are numbered, answers are read a line at a time, nothing redraws, moves the
cursor or colours. It drives the same services through the same steps with the same rules
(overrides need a reason, missing permissions block, another tenant's archive is refused or,
for a tenant loss into a new tenant, needs an explicit yes, a typo at the confirmation asks
again) and ends with the same headline and exit code (0 restored, verified or a dry run; 1
anything failed, was skipped or differs; 2 paused; 130 Ctrl-C or the end of the input before
the run). A passphrase is read with echo off on a terminal (from a pipe, as a line) and never
printed. During the run it prints a line per phase and per recovery-script step, each failure
as it happens, and at most one progress line every 5 s. \`--plain\` also reads its answers from
a pipe; it then echoes each answer after its question, so a transcript reads whole.

[\`plain-transcript.txt\`](plain-transcript.txt) is a whole session, written by
\`npx tsx scripts/capture-plain.ts\` from a real run: the built CLI over a 40-user drill's
vault, restoring into the built-in emulator, with one typo at the confirmation. Excerpts
(\`[…]\` marks lines left out here):

\`\`\`
Step 1 of 8: Scenario
What happened? Nothing is written to a tenant before you type its id on the Confirm step.
  1) Tenant loss: the tenant is gone or new: rebuild all of it
  2) All admins deleted: nobody can sign in as admin: bring admins back
  3) Restore objects: some users, groups or apps were deleted
  4) Restore attributes: objects exist but their settings were changed
  5) Recovery drill: rehearse a tenant-loss restore on the emulator
  6) Verify the vault: check an archive is intact and can be decrypted
Which procedure do you run? [1-6] 1
[…]
Step 6 of 8: Confirm
Confirm the target
  Target: af15ed04-d766-4075-ba33-fb90bbb10786
  Domain: treyresearch3729.onmicrosoft.com
  Run: tenant-loss: 306 operations
  Archive: of tenant c9d2c13a-3403-42fb-8d97-dce81b23f53e
! The archive is of ANOTHER tenant: c9d2c13a-3403-42fb-8d97-dce81b23f53e.
! The target is tenant af15ed04-d766-4075-ba33-fb90bbb10786 (treyresearch3729.onmicrosoft.com). A tenant-loss restore rebuilds the archive's users, groups, apps and policies there.
  1) Yes: the archive's tenant is lost, rebuild it in treyresearch3729.onmicrosoft.com
  2) No: go back
Rebuild tenant c9d2c13a-3403-42fb-8d97-dce81b23f53e in tenant af15ed04-d766-4075-ba33-fb90bbb10786? [1-2] 1
  1) Live run: write to it (you type its tenant id or initial domain next)
  2) Dry run: check the plan, write nothing
  3) Back
Do you write to this tenant? [1-3] 1
To write to this tenant, type its tenant id or initial domain (Enter alone goes back): treyresearch.onmicrosoft.com
✗ "treyresearch.onmicrosoft.com" does not match the target: type it again.
To write to this tenant, type its tenant id or initial domain (Enter alone goes back): treyresearch3729.onmicrosoft.com
LIVE RUN: changes will be written to treyresearch3729.onmicrosoft.com.
  1) Start the LIVE RUN on treyresearch3729.onmicrosoft.com
  2) Not yet: ask again
Start the run now? [1-2] 1

Step 7 of 8: Execute
LIVE RUN on treyresearch3729.onmicrosoft.com
Ctrl-C pauses at the next operation boundary; reopening the wizard then offers to resume.
  | running 40-recover-tenant-loss.sh
[…]
  | [2026-12-04T05:17:20Z] 5. restore into af15ed04-d766-4075-ba33-fb90bbb10786
[…]
restore: executing 306 operations
restore tier 0: 7 operations
restore tier 1: 27 operations
restore tier 2: 60 operations
restore tier 3: 188 operations
restore tier 4: 23 operations
restore tier 5: 1 operations
verify: reading the target again
[…]
restore done: restored 246/268 objects (1s)
[…]
Overall  306 / 306 operations (100%) · elapsed 20s
[…]
Step 8 of 8: Report
! Restore finished with 121 deviations: see Deviations and Manual steps.

Failures: 0 failed, 0 skipped
  No operation failed.
[…]
! Restore finished with 121 deviations: see Deviations and Manual steps. (exit code 1)
\`\`\`

The full-screen wizard draws at most 4 frames a second (Ink's \`maxFps\`): while a fast run
reported an operation every 5 ms, Ink's default redrew about 21 times a second, the wizard 4
(\`test/tui/wizard-redraws.test.tsx\` measures it and keeps it so).
`;

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
