/**
 * Writes one text frame per wizard step to docs/wizard/<nn>-<step>.txt (80×24), so
 * reviewers can read every screen without a terminal, and docs/wizard/README.md saying
 * where each frame came from.
 *
 * Real frames: the built wizard (`node bin/entra-vault.js wizard`) in tmux, over a vault
 * made by a 40-user drill, restoring into the built-in emulator. Fake frames (the fake
 * services of test/tui/fake-services.ts, through ink-testing-library) only for the
 * screens a drill vault and the built-in emulator cannot reach.
 *
 *   npx tsx scripts/capture-wizard.ts [outDir]     (needs tmux; builds dist/ if stale)
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, mount, type Driver } from '../test/tui/harness.js';
import { DOMAIN, FakeServices, IDENTITY, JOURNAL, PASSPHRASE } from '../test/tui/fake-services.js';
import { spawnPty, type Pty } from '../test/tui/pty.js';
import { BIN, drillVault, emulatorProcess, ensureBuilt, type DrillVault } from '../test/tui/real-vault.js';

const outDir = process.argv[2] ?? 'docs/wizard';
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
  { name: 'plan-warnings', what: 'what the restore cannot do (manual steps, skips)' },
  { name: 'confirm-mismatch', what: 'a typo asks again: nothing starts' },
  { name: 'confirm-live', what: 'the tenant id typed: a live run' },
  { name: 'execute', what: 'progress per phase, throttling, log' },
  { name: 'report-fidelity', what: 'fidelity per type (objects, attributes, relations)' },
  { name: 'report-deviations', what: 'what differs after the restore, and why' },
  { name: 'report-manual-steps', what: 'the manual-steps checklist' },
  { name: 'report-files', what: 'report, runbook, encrypted credentials, time per tier' },
  { name: 'connect-device-code', what: 'a device-code sign-in waiting' },
  { name: 'connect-missing-permissions', what: 'missing permissions block the wizard' },
  { name: 'plan-diff-selection', what: 'restore objects: choose from the diff' },
  { name: 'verify-vault-report', what: 'verify the vault: the archive check' },
  { name: 'plan-operation-detail', what: 'one operation whole (→ on a row)' },
  { name: 'connect-stalled-target', what: 'a target that never answers: seconds counted, esc cancels' },
  { name: 'report-failed', what: 'a restore with failed and skipped operations: ✗ and the failures first' },
  { name: 'report-failure-detail', what: 'one failure whole (→ on a row), esc back to the list' },
];

function keep(name: string, frame: string): void {
  if (!ORDER.some((o) => o.name === name)) throw new Error(`${name}: not a known frame`);
  // a real frame wins over a fake one of the same step
  if (source === 'fake' && frames.get(name)?.source === 'real') return;
  const lines = frame.replace(/[ \t]+$/gm, '').split('\n');
  while (lines.length > 24 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length < 24) lines.push('');
  for (const l of lines) if ([...l].length > 80) throw new Error(`${name}: line over 80 columns: ${l}`);
  if (lines.length > 24) throw new Error(`${name}: ${lines.length} rows`);
  if (frame.includes(PASSPHRASE)) throw new Error(`${name}: shows the passphrase`);
  frames.set(name, { text: `${lines.join('\n')}\n`, source });
}

const DEMO = '/tmp/entra-vault-demo';
const LONG = 60_000;

/** The real wizard over a drill vault and the built-in emulator, in tmux at 80×24. */
async function captureReal(): Promise<void> {
  source = 'real';
  await ensureBuilt();
  await rm(DEMO, { recursive: true, force: true });
  const v = await drillVault(join(DEMO, 'drill'));
  const start = async (): Promise<Pty> =>
    spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd: DEMO, env: { NO_COLOR: '1' } });
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
    const profile = '/srv/entra-vault/profiles/target.json';
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
    keep('plan-tier-expanded', await pty.waitFor((s) => / 1 of \d+/.test(s), LONG));
    await pty.keys('Left');
    await pty.waitFor((s) => !/ 1 of \d+/.test(s), LONG);
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
    await pty.waitFor((s) => {
      if (s.includes('LIVE RUN on')) running = s;
      return /\nrestore tier 3\s+[\d,]+ \/ [\d,]+\s+\S+\/s/.test(s) || /Restore (completed|finished)/.test(s);
    }, LONG);
    if (!running) throw new Error('execute: the run was never seen in progress');
    keep('execute', running);
    keep('report-fidelity', await pty.waitFor((s) => /Restore (completed|finished)/.test(s), LONG));
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
    spawnPty({ command: ['env', '-u', 'CI', process.execPath, BIN, 'wizard', '--vault', v.vault], cwd, env: { NO_COLOR: '1' } });
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
  await d.press(KEY.enter);
  await d.waitFor('Archives in');
}

async function unlock(d: Driver): Promise<void> {
  await d.waitFor('Unlock the archive');
  await d.type(IDENTITY);
  await d.press(KEY.enter);
}

/** Frames under stress (issue 12): an operation's detail, a stalled target, a failed restore and a failure's detail. */
async function captureStress(): Promise<void> {
  {
    const d = mount(new FakeServices());
    await toArchive(d, 0);
    await d.press(KEY.enter);
    await unlock(d);
    await d.waitFor('Connect to the target');
    await d.type('hang.json');
    await d.press(KEY.enter);
    keep('connect-stalled-target', await d.waitFor((f) => /signing in and running the preflight · [1-9]\d* s/.test(f), 15_000));
    await d.press(KEY.esc);
    await d.waitFor('CANCELLED');
    d.unmount();
  }
  {
    const failures = [
      { label: 'Switch CA policy CA005: Block sign-ins from blocked countries to enabled', reason: '[GRAPH_REQUEST_FAILED] Graph PATCH /identity/conditionalAccess/policies/199dc3c1-c730-4c20-87e1-ab3d83bd285f failed (400 Request_BadRequest: Security Defaults is enabled in the tenant. You must disable Security defaults before enabling a Conditional Access policy.)' },
      { label: 'create user Alice Example', reason: '[GRAPH_THROTTLED] Graph POST /users throttled (429) after retries' },
    ];
    const d = mount(new FakeServices({ failures, skipped: 182 }));
    await toArchive(d, 0);
    await d.press(KEY.enter);
    await unlock(d);
    await d.waitFor('Connect to the target');
    await d.type('target.json');
    await d.press(KEY.enter);
    await d.waitFor('Preflight');
    await d.press(KEY.enter);
    await d.waitFor('operations on');
    await d.press(KEY.down, KEY.down, KEY.right);
    await d.waitFor('1 of 10');
    await d.press(KEY.right);
    keep('plan-operation-detail', await d.waitFor('Id in the plan'));
    await d.press(KEY.left, KEY.left, KEY.enter);
    await d.waitFor('Confirm the target');
    await d.type(DOMAIN);
    await d.press(KEY.enter, KEY.enter);
    keep('report-failed', await d.waitFor('Restore INCOMPLETE'));
    await d.press(KEY.right);
    keep('report-failure-detail', await d.waitFor('esc/← back to the list'));
    d.unmount();
  }
}

async function main(): Promise<void> {
  await captureReal();
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
    keep('plan-tier-expanded', await d.waitFor('1 of 10'));
    await d.press(KEY.left, KEY.tab);
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
    keep('report-fidelity', await d.waitFor((f) => /Restore (completed|finished)/.test(f)));
    await d.press(KEY.tab);
    keep('report-deviations', await d.waitFor('[Deviations'));
    await d.press(KEY.tab, KEY.space);
    keep('report-manual-steps', await d.waitFor('Manual steps (1/2)'));
    await d.press(KEY.tab);
    keep('report-files', await d.waitFor('[Files]'));
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

  await captureStress();

  await mkdir(outDir, { recursive: true });
  for (const old of await readdir(outDir)) if (/^\d\d-.*\.txt$/.test(old)) await rm(join(outDir, old));
  const rows: string[] = [];
  let n = 0;
  for (const o of ORDER) {
    const fr = frames.get(o.name);
    if (!fr) throw new Error(`${o.name}: no frame captured`);
    n++;
    const file = `${String(n).padStart(2, '0')}-${o.name}.txt`;
    await writeFile(join(outDir, file), fr.text);
    rows.push(`| [\`${file}\`](${file}) | ${o.what} | ${fr.source === 'real' ? 'real wizard' : 'fake services'} |`);
  }
  await writeFile(join(outDir, 'README.md'), README(rows));
  process.stdout.write(`wrote ${frames.size} frames to ${outDir} (${[...frames.values()].filter((f) => f.source === 'real').length} from the real wizard)\n`);
}

const README = (rows: string[]): string => `# The recovery wizard, step by step (80×24)

Each file is one screen of \`entra-vault wizard\` (or \`entra-vault\` with no arguments on
a terminal) as text, 80 columns by 24 rows, without colour. They are written by
\`npx tsx scripts/capture-wizard.ts\` (needs tmux; rebuilds \`dist/\` when stale).

**real wizard**: the built wizard (\`node bin/entra-vault.js wizard --vault …\`) running in
tmux over a vault made by a 40-user tenant-loss drill, restoring into the built-in emulator,
exactly as an operator would drive it. Paths, tenant ids, times and counts are those of that
run. The same journey is an end-to-end test (\`test/tui/e2e-real.test.ts\`), with a second one
that kills the wizard during Execute and resumes the journal to completion.

**fake services**: the wizard's screens over the fake services of the tests
(\`test/tui/fake-services.ts\`), only where a drill vault and the built-in emulator cannot
show the screen: a bad
signature (the drill's archive is validly signed), a passphrase-encrypted archive (the drill
encrypts to an identity), a device-code sign-in and missing permissions (the emulator signs
in with a client secret and grants every permission), and the diff of a \`Restore objects\`
run against a populated tenant (the built-in emulator starts empty).

The frames under stress (an operation's and a failure's detail view, a stalled target, a
failed restore) are fake-services frames too; all but the operation detail are asserted on the real wizard
by \`test/tui/pty-stress.test.ts\`.

Only 80×24 is captured: the wizard still lays out its frame at 80 columns whatever the
terminal's size (issue 12 item 10 is open), so a 120×40 capture would show the same frame.

| Frame | What it shows | From |
|---|---|---|
${rows.join('\n')}
`;

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
