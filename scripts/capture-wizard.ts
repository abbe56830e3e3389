/**
 * Drives the wizard with the fake services (test/tui/fake-services.ts) through
 * ink-testing-library at 80×24 and writes one text frame per step to
 * docs/wizard/<nn>-<step>.txt, so reviewers can read every screen without a terminal.
 *
 *   npx tsx scripts/capture-wizard.ts [outDir]
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, mount, type Driver } from '../test/tui/harness.js';
import { DOMAIN, FakeServices, IDENTITY, JOURNAL, PASSPHRASE } from '../test/tui/fake-services.js';

const outDir = process.argv[2] ?? 'docs/wizard';
const frames: { name: string; text: string }[] = [];

function keep(name: string, frame: string): void {
  const lines = frame.replace(/[ \t]+$/gm, '').split('\n');
  while (lines.length < 24) lines.push('');
  for (const l of lines) if ([...l].length > 80) throw new Error(`${name}: line over 80 columns: ${l}`);
  if (lines.length > 24) throw new Error(`${name}: ${lines.length} rows`);
  if (frame.includes(PASSPHRASE)) throw new Error(`${name}: shows the passphrase`);
  frames.push({ name, text: `${lines.join('\n')}\n` });
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

async function main(): Promise<void> {
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
    keep('confirm-mismatch-dry-run', await d.waitFor('DRY RUN: nothing will be written'));
    await d.press(KEY.esc);
    await d.waitFor('Target: _');
    await d.type(DOMAIN);
    await d.press(KEY.enter);
    keep('confirm-live', await d.waitFor('LIVE RUN'));
    await d.press(KEY.enter);
    keep('execute', await d.waitFor('created 600 of 1,200 users'));
    f.release();
    keep('report-fidelity', await d.waitFor('Restore completed'));
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

  await mkdir(outDir, { recursive: true });
  for (const old of await readdir(outDir)) if (/^\d\d-.*\.txt$/.test(old)) await rm(join(outDir, old));
  let n = 0;
  for (const fr of frames) {
    n++;
    await writeFile(join(outDir, `${String(n).padStart(2, '0')}-${fr.name}.txt`), fr.text);
  }
  process.stdout.write(`wrote ${frames.length} frames to ${outDir}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
