import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResumeTarget, doneOps, findUnfinishedRestore, forgetRecord, readRecord, recordPath, recordsDirOf, recordsOfJournal, scriptRecordPath, writeRecord, type RestoreRecord } from '../../src/ops/unfinished.js';
import { realWizardServices } from '../../tui/services-real.js';

const T = '11111111-1111-1111-1111-111111111111';
function rec(dir: string, name: string, over: Partial<RestoreRecord<{ emulator: true }>> = {}): RestoreRecord<{ emulator: true }> {
  return { journalPath: join(dir, name), archivePath: '/v/a.tar.age', scenario: 'tenant-loss', target: { emulator: true }, targetTenantId: T, startedAt: '2026-12-03T00:00:00Z', total: 5, finished: false, ...over };
}

describe('unfinished restores (src/ops/unfinished.ts)', () => {
  it('offers the newest unfinished record with its journal progress; finished ones and scripts that never began are not offered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-unfinished-'));
    expect(await findUnfinishedRestore(dir)).toBeNull();
    const a = rec(dir, 'restore-20261201T000000Z.journal');
    await writeFile(a.journalPath, '{"opId":"o1","state":"done"}\n{"opId":"o2","state":"failed"}\n{"opId":"o3","state":"skipped"}\n{"opId":"o4",');
    await writeRecord(recordPath(dir, 'restore-20261201T000000Z.journal'), a);
    // newer, but finished
    await writeRecord(recordPath(dir, 'restore-20261202T000000Z.journal'), rec(dir, 'restore-20261202T000000Z.journal', { finished: true }));
    // newest, scripted, never wrote its journal
    const out = join(dir, 'restore-20261203T000000Z');
    const scripted = rec(dir, 'x', { journalPath: join(out, 'restore.journal'), runner: 'script' });
    await writeRecord(scriptRecordPath(dir, out), scripted);
    const found = await findUnfinishedRestore<{ emulator: true }>(dir);
    expect(found).toMatchObject({ journalPath: a.journalPath, done: 2, total: 5, targetTenantId: T });
    expect(found).not.toHaveProperty('finished');
    await forgetRecord(recordPath(dir, 'restore-20261201T000000Z.journal'));
    expect(await findUnfinishedRestore(dir)).toBeNull();
    expect(await readRecord(join(dir, 'nothing.journal.wizard.json'))).toBeUndefined();
  });

  it('keeps the record names the wizard used before (a journal beside its record, a script by its --out name)', () => {
    expect(recordPath('/w', 'restore-1.journal')).toBe('/w/restore-1.journal.wizard.json');
    expect(scriptRecordPath('/w', '/w/restore-2')).toBe('/w/restore-2.journal.wizard.json');
  });

  it('refuses to resume against another tenant, whatever the case of the id', () => {
    expect(() => checkResumeTarget(T, T.toUpperCase())).not.toThrow();
    expect(() => checkResumeTarget(T, undefined)).not.toThrow();
    expect(() => checkResumeTarget(T, '22222222-2222-2222-2222-222222222222')).toThrow(/JOURNAL_MISMATCH|journal is for tenant/);
    expect(doneOps('')).toBe(0);
  });

  it('issue 12 item 9: records live in the vault, so a wizard started from another directory offers the unfinished restore', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ev-records-'));
    const vault = join(root, 'vault');
    // not a vault (no vault.json): the work directory, and nothing is created at the vault path
    expect(await recordsDirOf(vault, join(root, 'work-a'))).toBe(join(root, 'work-a'));
    expect(existsSync(vault)).toBe(false);
    await mkdir(vault);
    await writeFile(join(vault, 'vault.json'), '{}');
    const dir = await recordsDirOf(vault, join(root, 'work-a'));
    expect(dir).toBe(join(vault, '.restores'));
    const journal = join(root, 'work-a', 'restore-20261203T000000Z.journal');
    await writeFile(join(root, 'placeholder'), '');
    await writeRecord(recordPath(dir, 'restore-20261203T000000Z.journal'), rec(join(root, 'work-a'), 'restore-20261203T000000Z.journal'));
    expect((await recordsOfJournal([dir], journal)).inProcessSidecar?.targetTenantId).toBe(T);
    // a wizard whose work directory is elsewhere
    const svc = realWizardServices({ workDir: join(root, 'work-b'), vaultDir: vault });
    try {
      expect(await svc.findUnfinishedJournal()).toMatchObject({ journalPath: journal, targetTenantId: T });
    } finally {
      await svc.close();
    }
  });
});
