/**
 * Issue 12 item 15: the plain, linear wizard end to end over the fake services, through a
 * stream pair. The same steps, refusals and exit codes as the Ink wizard: the headline follows
 * the real outcome, a typo at Confirm asks again, another tenant's archive is refused or
 * explicitly acknowledged, Ctrl-C pauses a run (2) and leaves anywhere else (130), and the
 * passphrase is never printed. Nothing redraws: the transcript holds no escape sequence.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../cli/io.js';
import type { ArchiveInfo } from '../../tui/services.js';
import { edited } from '../../tui/plain/io.js';
import { parseNumbers } from '../../tui/plain/plan.js';
import { phaseText } from '../../tui/plain/progress.js';
import { ARCHIVES, DOMAIN, FakeServices, IDENTITY, OTHER_TENANT, PASSPHRASE, TENANT } from './fake-services.js';
import { drivePlain, type PlainDriver } from './plain-driver.js';

const ESC = '\u001b';

/** Scenario (its number) → archive (its number, '' for the preselected) → unlock → connect target.json → plan. */
async function toPlan(d: PlainDriver, scenario: string, archive = '', unlock: 'identity' | 'passphrase' = 'identity'): Promise<void> {
  await d.answer('Which procedure do you run?', scenario);
  await d.answer('Which archive do you use?', archive);
  if (unlock === 'identity') {
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
  } else {
    await d.answer('How do you unlock it?', '2');
    await d.answer('What is the passphrase?', PASSPHRASE);
  }
  await d.answer('Where do you restore to?', '1');
  await d.answer('What is the path of the target connection profile?', 'target.json');
  await d.answer('Continue with this target?', '');
}

/** From the plan to a started live run on the fake's tenant. */
async function liveRun(d: PlainDriver, typed = TENANT): Promise<void> {
  await d.answer('Go on to the typed confirmation?', '1');
  await d.answer('Do you write to this tenant?', '1');
  await d.answer('type its tenant id or initial domain', typed);
  await d.answer('Start the run now?', '1');
}

describe('plain wizard (issue 12 item 15)', () => {
  it('restores after a tenant loss, step by step as lines: ✓ headline and exit 0, the passphrase never printed', async () => {
    const services = new FakeServices({ perfect: true });
    const d = drivePlain(services);
    await toPlan(d, '1', '', 'passphrase');
    await d.waitFor('Plan tenant-loss: 15 operations on contoso-dr.onmicrosoft.com');
    await liveRun(d);
    expect(await d.done).toBe(0);
    const t = d.transcript();
    expect(t).toContain('Step 1 of 8: Scenario');
    expect(t).toContain('  1) Tenant loss: the tenant is gone or new: rebuild all of it');
    expect(t).toContain('Step 8 of 8: Report');
    expect(t).toContain('✓ Restore completed and verified.');
    expect(t).toContain('✓ Restore completed and verified. (exit code 0)');
    expect(t).toContain('Credentials: out/credentials.age');
    expect(t).not.toContain(PASSPHRASE);
    expect(t).not.toContain(ESC);
    expect(services.calls).toContain(`execute tenant-loss ${TENANT}`);
    expect(services.calls).toContain('unlock passphrase');
  });

  it('a failed restore says ✗ INCOMPLETE with each failure, and exits 1', async () => {
    const failures = [
      { label: 'create user user3@contoso.com', reason: '[GRAPH_THROTTLED] gave up after the retry deadline' },
      { label: 'create group Finance', reason: '[GRAPH_UNAVAILABLE] the target stopped answering' },
    ];
    const d = drivePlain(new FakeServices({ failures, skipped: 7 }));
    await toPlan(d, '1');
    await liveRun(d);
    expect(await d.done).toBe(1);
    const t = d.transcript();
    expect(t).toContain('✗ failed: create user user3@contoso.com: [GRAPH_THROTTLED] gave up after the retry deadline');
    expect(t).toContain('✗ Restore INCOMPLETE: 2 failed, 7 skipped. Reopen the wizard to resume.');
    expect(t).toContain('  ✗ create group Finance: [GRAPH_UNAVAILABLE] the target stopped answering');
    expect(t).toContain('7 operations were skipped because something they need failed.');
    expect(t).not.toContain('✓ Restore completed');
    expect(t.trimEnd().split('\n').at(-1)).toBe('✗ Restore INCOMPLETE: 2 failed, 7 skipped. Reopen the wizard to resume. (exit code 1)');
  });

  it('a typo at the confirmation asks again; nothing runs until the target matches', async () => {
    const services = new FakeServices({ perfect: true });
    const d = drivePlain(services);
    await toPlan(d, '1');
    await d.answer('Go on to the typed confirmation?', '1');
    await d.answer('Do you write to this tenant?', '1');
    await d.answer('type its tenant id or initial domain', 'contoso-dr.onmicrosoft.co');
    await d.waitFor('✗ "contoso-dr.onmicrosoft.co" does not match the target: type it again.');
    expect(services.calls.some((c) => c.startsWith('execute'))).toBe(false);
    await d.answer('type its tenant id or initial domain', DOMAIN.toUpperCase());
    await d.waitFor(`LIVE RUN: changes will be written to ${DOMAIN}.`);
    await d.answer('Start the run now?', '1');
    expect(await d.done).toBe(0);
    expect(services.calls.filter((c) => c.startsWith('execute'))).toEqual([`execute tenant-loss ${DOMAIN.toUpperCase()}`]);
  });

  it('another tenant\'s archive is refused for all-admins-deleted before anything is planned', async () => {
    const archives: ArchiveInfo[] = [{ ...ARCHIVES[0]!, signature: 'valid' }, ARCHIVES[1]!];
    const services = new FakeServices({ archives });
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '2');
    await d.waitFor('This vault holds signed archives of 2 tenants: none is preselected.');
    await d.answer('Which archive do you use? [1-3]', '1');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.answer('Where do you restore to?', '1');
    await d.answer('What is the path of the target connection profile?', 'target.json');
    await d.answer('Continue with this target?', '1');
    await d.waitFor(`✗ [WRONG_TENANT] the archive is of tenant ${OTHER_TENANT}`);
    expect(services.calls.some((c) => c.startsWith('plan') || c.startsWith('execute'))).toBe(false);
    d.interrupt();
    expect(await d.done).toBe(130);
  });

  it('a tenant-loss restore from another tenant\'s archive names both tenants and needs a yes', async () => {
    const archives: ArchiveInfo[] = [{ ...ARCHIVES[0]!, signature: 'valid' }, ARCHIVES[1]!];
    const services = new FakeServices({ archives, perfect: true });
    const d = drivePlain(services);
    await toPlan(d, '1', '1');
    await d.answer('Go on to the typed confirmation?', '1');
    await d.waitFor(`! The archive is of ANOTHER tenant: ${OTHER_TENANT}.`);
    await d.answer(`Rebuild tenant ${OTHER_TENANT} in tenant ${TENANT}?`, '2');
    await d.waitFor('Step 5 of 8: Plan');
    await d.answer('Go on to the typed confirmation?', '1');
    await d.answer(`Rebuild tenant ${OTHER_TENANT} in tenant ${TENANT}?`, '1');
    await d.answer('Do you write to this tenant?', '1');
    await d.answer('type its tenant id or initial domain', TENANT);
    await d.answer('Start the run now?', '1');
    expect(await d.done).toBe(0);
    expect(services.calls.filter((c) => c.startsWith('execute'))).toEqual([`execute tenant-loss ${TENANT}`]);
  });

  it('Ctrl-C during the run pauses at a boundary (exit 2); before it, Ctrl-C or the end of the input leaves (130)', async () => {
    const held = new FakeServices({ holdExecute: true });
    const d = drivePlain(held);
    await toPlan(d, '1');
    await liveRun(d);
    await d.waitFor('tier 2 objects: start');
    d.interrupt();
    expect(await d.done).toBe(2);
    expect(d.transcript()).toContain('Pausing at the next operation boundary…');
    expect(d.transcript()).toContain('Paused at an operation boundary: reopen the wizard to resume.');
    expect(d.transcript()).toContain('Journal: out/restore.journal');

    const left = drivePlain(new FakeServices());
    await left.waitFor('Which procedure do you run?');
    left.interrupt();
    expect(await left.done).toBe(130);
    expect(left.transcript()).toContain('Left the wizard (interrupted): nothing more was done.');

    const ended = drivePlain(new FakeServices());
    await ended.answer('Which procedure do you run?', '1');
    ended.endInput();
    expect(await ended.done).toBe(130);
    expect(ended.transcript()).toContain('Left the wizard (end of input)');
  });

  it('an answer that is not a choice asks again; a wrong key and a signature without a reason are refused', async () => {
    const services = new FakeServices();
    const d = drivePlain(services);
    await d.answer('Which procedure do you run?', '9');
    await d.waitFor('"9" is not one of the choices: type a number from 1-6.');
    await d.answer('Which procedure do you run?', '1');
    await d.answer('Which archive do you use?', '1');
    await d.waitFor('✗ This archive\'s signature is invalid: it cannot be used without an override.');
    await d.answer('Type the reason for the audit log', '');
    await d.answer('Which archive do you use?', '1');
    await d.answer('Type the reason for the audit log', 'the newest good copy was lost');
    await d.waitFor('Step 3 of 8: Unlock');
    expect(services.audit).toEqual([{ path: ARCHIVES[0]!.path, reason: 'the newest good copy was lost' }]);
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', '/keys/wrong.txt');
    await d.waitFor('✗ [KEY_INVALID] no usable age identity in /keys/wrong.txt');
    await d.answer('How do you unlock it?', '1');
    await d.answer('What is the path of the age identity file?', IDENTITY);
    await d.waitFor('✓ Unlocked.');
    d.interrupt();
    expect(await d.done).toBe(130);
  });
});

describe('plain wizard input', () => {
  it('a raw terminal line edits as typed: Backspace, Ctrl-U and Ctrl-W', () => {
    expect(edited('secrx\u007ft')).toBe('secrt');
    expect(edited('wrong\u0015right')).toBe('right');
    expect(edited('two words\u0017more')).toBe('two more');
  });

  it('a phase line does not repeat the phase', () => {
    expect(phaseText('restore tier 2', 'tier 2: 60 operations')).toBe('restore tier 2: 60 operations');
    expect(phaseText('live', 'reading objects')).toBe('live: reading objects');
    expect(phaseText('plan', 'dry run: 306 operations planned')).toBe('plan: dry run: 306 operations planned');
  });

  it('numbers are parsed from a list, or refused whole', () => {
    expect(parseNumbers('3 1,2', 3)).toEqual([0, 1, 2]);
    expect(parseNumbers('1 4', 3)).toBeNull();
    expect(parseNumbers('x', 3)).toBeNull();
  });
});

describe('plain wizard entry', () => {
  /** The CLI with a recording launcher, on a terminal (`tty`) or on pipes. */
  async function launch(args: string[], env: Record<string, string>, tty: boolean): Promise<{ code: number; launched: { vault: string; plain?: boolean } | null; err: string }> {
    const t = memoryIo(env);
    let launched: { vault: string; plain?: boolean } | null = null;
    const io = { ...t.io, launchWizard: async (o: { vault: string; plain?: boolean }) => ((launched = o), 0) };
    if (tty) Object.assign(io.stdin, { isTTY: true }), Object.assign(io.stdout, { isTTY: true });
    const code = await runCli(args, io);
    return { code, launched, err: t.err() };
  }

  it('--plain asks for it, TERM=dumb turns it on; only --plain runs without a terminal', async () => {
    expect(await launch(['wizard', '--plain', '--vault', 'v'], {}, false)).toMatchObject({ code: 0, launched: { vault: 'v', plain: true } });
    expect(await launch(['wizard'], { TERM: 'dumb' }, true)).toMatchObject({ code: 0, launched: { vault: 'vault', plain: true } });
    expect(await launch([], { TERM: 'dumb' }, true)).toMatchObject({ code: 0, launched: { plain: true } });
    expect(await launch(['wizard'], { TERM: 'xterm-256color' }, true)).toMatchObject({ code: 0, launched: { plain: false } });
    const piped = await launch(['wizard'], { TERM: 'dumb' }, false);
    expect(piped).toMatchObject({ code: 2, launched: null });
    expect(piped.err).toContain('[NO_TERMINAL]');
  });

  it('never loads Ink or React: its modules import neither, directly or through the shared ones', () => {
    const root = fileURLToPath(new URL('../../tui/plain/index.ts', import.meta.url));
    const seen = new Set<string>();
    const bare: string[] = [];
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // type-only imports are erased: they load nothing
      for (const m of text.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) bare.push(spec);
        else if (spec.includes('/tui/') || !spec.includes('/src/')) walk(resolve(dirname(file), spec.replace(/\.js$/, existsTs(resolve(dirname(file), spec)))));
      }
    };
    walk(root);
    expect(bare.filter((b) => b === 'ink' || b === 'react' || b.startsWith('ink-'))).toEqual([]);
    expect([...seen].map((f) => f.slice(f.indexOf('/tui/')))).toEqual(expect.arrayContaining(['/tui/plain/index.ts', '/tui/state.ts', '/tui/report-rows.ts', '/tui/format.ts']));
  });
});

/** `.ts` or `.tsx`, whichever the module's source is. */
function existsTs(path: string): string {
  try {
    readFileSync(path.replace(/\.js$/, '.ts'));
    return '.ts';
  } catch {
    return '.tsx';
  }
}
