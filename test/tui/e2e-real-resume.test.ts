/**
 * The REAL wizard (`node bin/entra-vault.js wizard`, built dist/ over the core) driven
 * in tmux at 80×24: a restore killed during Execute that the next wizard, started from
 * another directory, offers to resume (issue 12 items 4, 7, 9: one credentials file, a
 * wrong-tenant profile refused at Connect, resume records in the vault) and runs to
 * completion. Split from e2e-real.test.ts so the two journeys run side by side.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { readCredentialsFile } from '../../src/restore/credentials.js';
import { loadIdentity } from '../../src/crypto/age.js';
import { emulatorProcess } from './real-vault.js';
import { LONG, assertFits, confirmAndStart, scrollTo, tabTo, tenantOf, toConnect, useRealWizard, wizard } from './e2e-real-journey.js';

const f = useRealWizard('ev-e2e-resume-');

describe('the real wizard, end to end', () => {
  it('resumes a restore killed during Execute, on the same target tenant, to completion', async () => {
    const cwd = join(f.dir, 'run-killed');
    await mkdir(cwd);
    const writer = join(f.dir, 'target-writer.json');
    const reader = join(f.dir, 'target-reader.json');
    // A separate emulator process holds the target, so it outlives the killed wizard;
    // a little latency per write keeps the run long enough to be killed in the middle (3 ms:
    // the kill comes within ~20 ms of the tenth finished operation, of about 800; 8 ms made the
    // resumed run and its diff pay ~15 s more for nothing). Reads, the plan's and the diffs',
    // are not slowed.
    const { emu, ready } = emulatorProcess(['--empty', '--port', '0', '--writer-profile-out', writer, '--profile-out', reader, '--state', join(f.dir, 'target-state.json'), '--faults', 'writeLatency=3'], { cwd, env: { CI: 'true' } });
    f.procs.push(emu);
    await ready;

    const first = await wizard(f.v, f.open, cwd);
    await toConnect(f.v, first);
    await first.type(writer);
    await first.waitFor(writer.slice(-24), LONG);
    await first.keys('Enter');
    const tenant = await confirmAndStart(first);
    await first.waitFor(`LIVE RUN on`, LONG);
    // kill hard once the journal records some finished operations, well before the end
    const workDir = join(cwd, '.entra-vault');
    // the recovery script keeps its journal in its --out directory under the work dir
    const journal = async (): Promise<string> => {
      const run = (await readdir(workDir).catch(() => [] as string[])).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n));
      return run ? readFile(join(workDir, run, 'restore.journal'), 'utf8').catch(() => '') : '';
    };
    const until = Date.now() + LONG;
    while ((await journal()).split('"state":"done"').length - 1 < 10) {
      if (Date.now() > until) throw new Error(`the journal never recorded 10 finished operations; screen:\n${await first.screen()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = await first.programPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    expect(await first.exitCode(LONG)).toBe(137);
    await first.close();

    const runsOf40 = async (): Promise<number> =>
      (await readFile(join(f.v.vault, 'audit.log'), 'utf8')).split('\n').filter((l) => l.includes('"procedure.run"') && l.includes('40-recover-tenant-loss.sh')).length;
    const runsBefore = await runsOf40();
    // Item 7: another tenant, served by a second emulator, for the wrong profile below.
    const other = join(f.dir, 'other-writer.json');
    const second2 = emulatorProcess(['--empty', '--seed', '7', '--port', '0', '--writer-profile-out', other, '--profile-out', join(f.dir, 'other-reader.json')], { cwd, env: { CI: 'true' } });
    f.procs.push(second2.emu);
    await second2.ready;
    // Item 9: the resume record lives in the vault, so a wizard started from another
    // directory offers the unfinished restore too (it used to look in ./.entra-vault only).
    const elsewhere = join(f.dir, 'elsewhere');
    await mkdir(elsewhere);
    const second = await wizard(f.v, f.open, elsewhere);
    const offer = await second.waitFor('An unfinished restore was found', LONG);
    assertFits(offer);
    expect(offer).toContain(`Target     ${tenant}`);
    const m = /Progress\s+([\d,]+) of ([\d,]+) operations done/.exec(offer);
    expect(m).not.toBeNull();
    const done = Number(m![1]!.replace(/,/g, ''));
    const total = Number(m![2]!.replace(/,/g, ''));
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(total);
    await second.keys('Enter');
    await second.waitFor('Unlock the archive', LONG);
    await second.type(f.v.identity);
    await second.waitFor(f.v.identity.slice(-24), LONG);
    await second.keys('Enter');
    // the target is fixed by the journal: the profile is filled in
    await second.waitFor(writer.slice(-30), LONG);
    // Item 7: the wrong tenant's profile is refused at Connect with the resume's own code
    // (not GRAPH_FORBIDDEN), and another profile can be chosen without restarting.
    await second.keys('C-u');
    await second.type(other);
    await second.waitFor(other.slice(-24), LONG);
    await second.keys('Enter');
    const mismatch = await second.waitFor('JOURNAL_MISMATCH', LONG);
    expect(mismatch).not.toContain('GRAPH_FORBIDDEN');
    expect(mismatch).not.toContain('All needed permissions are held');
    assertFits(mismatch);
    await second.keys('C-u');
    await second.type(writer);
    await second.waitFor(writer.slice(-24), LONG);
    await second.keys('Enter');
    const pre = await second.waitFor('All needed permissions are held', LONG);
    expect(tenantOf(pre)).toBe(tenant);
    await second.keys('Enter');
    const confirm = await second.waitFor('Confirm the target', LONG);
    expect(confirm).toMatch(/resume tenant-loss: [\d,]+ operations left/);
    await second.type(tenant);
    await second.waitFor(tenant.slice(-24), LONG);
    await second.keys('Enter');
    await second.waitFor('LIVE RUN: changes will be written', LONG);
    await second.keys('Enter');
    await second.waitFor('Restore finished with', LONG);
    await scrollTo(second, /\n[› ] user\s+\d+\/40 /);
    // Item 4: the report names the one credentials file of the restore
    await tabTo(second, 'Files');
    const files = await second.waitFor('Time per tier', LONG);
    expect(files).toMatch(/Credentials\s+\S*restore-credentials\.age \(age-encrypted\)/);
    await second.keys('q');
    expect(await second.exitCode(LONG)).toBe(1);
    // the resume ran the same script with --resume in the same --out directory, audit-logged
    expect(await runsOf40()).toBe(runsBefore + 1);
    const runDir = (await readdir(workDir)).find((n) => /^restore-\d{8}T\d{9}Z$/.test(n))!;
    expect(JSON.parse(await readFile(join(workDir, runDir, 'restore-result.json'), 'utf8'))).toMatchObject({ execution: { paused: false } });

    // nothing was created twice: every user principal name appears once in the target
    const graph = await createGraphClient(await loadProfile(reader), {});
    const upns: string[] = [];
    for await (const u of graph.list<{ userPrincipalName: string }>('/users?$select=id,userPrincipalName')) upns.push(u.userPrincipalName.toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    // Item 4: one restore, one credentials file, holding a password for every user the two
    // runs created (the killed run's spool was recovered into it), each user once.
    const credFiles = (await readdir(join(workDir, runDir))).filter((n) => n.startsWith('restore-credentials'));
    expect(credFiles).toEqual(['restore-credentials.age']);
    const creds = await readCredentialsFile(join(workDir, runDir, 'restore-credentials.age'), await loadIdentity(f.v.identity));
    const credUpns = creds.map((c) => c.userPrincipalName.toLowerCase());
    expect(new Set(credUpns).size).toBe(credUpns.length);
    expect(credUpns.every((u) => upns.includes(u))).toBe(true);
    // the empty tenant's initial admin is the only user the restore did not create
    expect(credUpns.length).toBe(upns.length - 1);
    const groups: string[] = [];
    for await (const g of graph.list<{ displayName: string; mailNickname?: string }>('/groups?$select=id,displayName,mailNickname')) groups.push(`${g.displayName}|${g.mailNickname ?? ''}`);
    expect(new Set(groups).size).toBe(groups.length);

    // and the next wizard starts fresh
    const third = await wizard(f.v, f.open, cwd);
    await third.waitFor('enter choose', LONG);
    expect(await third.screen()).not.toContain('unfinished');
  }, 600_000);
});
