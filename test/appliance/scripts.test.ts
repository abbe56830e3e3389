import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BACKUP_READER_PERMISSIONS, RESTORE_WRITER_PERMISSIONS } from '../../src/catalog/permissions.js';
import { HEADER_SECTIONS, SCRIPT_NAME, packageRoot, parseScriptHeader, runRecoveryScript, scriptInventory, scriptsDir } from '../../src/ops/procedures.js';
import { isVaultError } from '../../src/errors.js';

const dir = scriptsDir();
const procedures = readdirSync(dir).filter((n) => SCRIPT_NAME.test(n)).sort();
const allScripts = [...procedures, ...readdirSync(join(dir, 'lib')).map((n) => `lib/${n}`)];

/** Permission names listed in a header's PERMISSIONS section. */
function permissionsIn(text: string): Set<string> {
  const h = parseScriptHeader(text);
  return new Set((h.sections.PERMISSIONS ?? []).join(' ').match(/\b[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)+\b/g) ?? []);
}

describe('recovery scripts', () => {
  it('has every documented procedure', () => {
    expect(procedures).toEqual([
      '00-prepare-source-tenant.sh',
      '10-scheduled-backup.sh',
      '20-vault-custody-check.sh',
      '30-recover-all-admins-deleted.sh',
      '40-recover-tenant-loss.sh',
      '50-restore-objects.sh',
      '51-restore-attributes.sh',
      '90-drill.sh',
    ]);
  });

  it.each(allScripts)('%s opens with the header block and set -euo pipefail', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env bash');
    expect(lines[1]).toMatch(new RegExp(`^# ${name.replace(/^lib\//, '').replace('.', '\\.')} — \\S`));
    const h = parseScriptHeader(text);
    for (const s of HEADER_SECTIONS) expect(h.sections[s], `${name} lacks ${s}`).toBeDefined();
    expect((h.sections.STEPS ?? []).length).toBeGreaterThan(0);
    // the first non-comment line is the strict mode
    const firstCode = lines.find((l) => !l.startsWith('#'));
    expect(firstCode).toBe('set -euo pipefail');
  });

  it.each(allScripts)('%s passes bash -n', async (name) => {
    const r = await execa('bash', ['-n', join(dir, name)], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it.each(procedures)('%s never evals and calls the CLI only through ev with quoted words', (name) => {
    const code = readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(code.filter((l) => /\beval\b|\bsh -c\b|\bbash -c\b/.test(l))).toEqual([]);
    for (const l of code.filter((x) => /^\s*ev\s/.test(x))) {
      // every expansion on an ev line is double-quoted
      expect(l.replace(/"[^"]*"/g, "").replace(/\$\?/g, "")).not.toMatch(/\$/);
    }
  });

  it('lists the exact Graph application permissions of src/catalog/permissions.ts', () => {
    const read = (n: string) => readFileSync(join(dir, n), 'utf8');
    const prep = permissionsIn(read('00-prepare-source-tenant.sh'));
    for (const p of [...BACKUP_READER_PERMISSIONS, ...RESTORE_WRITER_PERMISSIONS]) expect(prep.has(p), p).toBe(true);
    expect(permissionsIn(read('10-scheduled-backup.sh'))).toEqual(new Set(BACKUP_READER_PERMISSIONS));
    for (const n of ['30-recover-all-admins-deleted.sh', '40-recover-tenant-loss.sh', '50-restore-objects.sh', '51-restore-attributes.sh']) {
      expect(permissionsIn(read(n)), n).toEqual(new Set(RESTORE_WRITER_PERMISSIONS));
    }
    // the arrays the checklist is generated from match too
    const body = read('00-prepare-source-tenant.sh');
    const arr = (name: string) => new Set((new RegExp(`${name}=\\(([^)]*)\\)`).exec(body)?.[1] ?? '').split(/\s+/).filter(Boolean));
    expect(arr('READER_PERMISSIONS')).toEqual(new Set(BACKUP_READER_PERMISSIONS));
    expect(arr('WRITER_PERMISSIONS')).toEqual(new Set(RESTORE_WRITER_PERMISSIONS));
  });

  it('inventories every script with its SHA-256', async () => {
    const inv = await scriptInventory();
    expect(inv.map((s) => s.path)).toEqual(allScripts.map((n) => `recovery-scripts/${n}`).sort());
    for (const s of inv) {
      expect(s.sha256).toBe(createHash('sha256').update(readFileSync(join(packageRoot(), s.path))).digest('hex'));
    }
  });

  it('refuses names that are not recovery scripts', async () => {
    for (const bad of ['../package.json', 'lib/common.sh', '90-drill.sh; id', '99-missing.sh']) {
      await expect(runRecoveryScript(bad, [])).rejects.toSatisfy((e: unknown) => isVaultError(e, 'USAGE') || isVaultError(e, 'FILE_NOT_FOUND'));
    }
  });
});

describe('00-prepare-source-tenant.sh', () => {
  const hostile = 'Contoso $(touch PWNED) `touch PWNED2`; touch PWNED3 "quoted" \\back';

  it('passes a hostile organisation and display name literally into the checklist', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ev-prep-'));
    const out = join(tmp, 'checklist.md');
    const name = hostile.replace(/PWNED/g, join(tmp, 'pwned'));
    const r = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', out, '--tenant-domain', 'contoso.onmicrosoft.com', '--organization', name, '--emergency-name-1', name], { cwd: tmp });
    expect(r.stderr).toContain('checklist written');
    expect(r.exitCode).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`Organisation: ${name}\n`);
    expect(text).toContain(`Emergency-access account: ${name}\n`);
    // inside the JSON request body the name is a valid JSON string of exactly that value
    const m = /"displayName": ("(?:[^"\\]|\\.)*"), "mailNickname": "emergency-access-1"/.exec(text);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toBe(name);
    for (const f of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(tmp, f))).toBe(false);
    for (const p of [...BACKUP_READER_PERMISSIONS, ...RESTORE_WRITER_PERMISSIONS]) expect(text).toContain(`- [ ] ${p}\n`);
    expect(text).toContain('62e90394-69f5-4237-9190-012177145e10');
    // the Azure role Graph checks before it recreates a Logic App extension (docs/graph-facts.md S394)
    expect(text).toContain('assign the recovery app Logic App Contributor');
  });

  it('the exact `$(touch /tmp/pwned)` name of the issue reaches the checklist and creates nothing', async () => {
    expect(existsSync('/tmp/pwned')).toBe(false);
    const tmp = mkdtempSync(join(tmpdir(), 'ev-prep-'));
    const out = join(tmp, 'checklist.md');
    const name = 'Contoso $(touch /tmp/pwned) `touch /tmp/pwned`; touch /tmp/pwned';
    const r = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', out, '--tenant-domain', 'contoso.onmicrosoft.com', '--organization', name, '--reader-name', name]);
    expect(r.exitCode).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`Organisation: ${name}\n`);
    expect(text).toContain(`## 1. App registration: ${name}\n`);
    expect(text).toContain(`{ "displayName": ${JSON.stringify(name)}, "signInAudience": "AzureADMyOrg",`);
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('refuses names with terminal escapes, line breaks, C1 controls, invisible or bidi characters, or HTML (issue 13 item 11), in any locale', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ev-prep-'));
    const bad = ['Eve\u001b[2J\u0007', 'two\nlines', 'c1\u009b31m', 'a\u202egnp.exe', 'zero\u200bwidth', 'iso\u2066late', 'Contoso <script>alert(1)</script>'];
    for (const locale of ['C', 'C.UTF-8']) {
      for (const [i, name] of bad.entries()) {
        const out = join(tmp, `${locale}-${i}.md`);
        const r = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', out, '--tenant-domain', 'contoso.onmicrosoft.com', '--reader-name', name], { env: { ...process.env, LC_ALL: locale } });
        expect(r.exitCode, `${locale} ${JSON.stringify(name)}`).toBe(2);
        expect(r.stderr).toContain('--reader-name: no control, invisible or direction-changing characters');
        expect(existsSync(out)).toBe(false);
      }
    }
    // accents are letters, not controls
    const ok = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', join(tmp, 'ok.md'), '--tenant-domain', 'contoso.onmicrosoft.com', '--organization', 'Société Générale (FR)'], { env: { ...process.env, LC_ALL: 'C' } });
    expect(ok.exitCode).toBe(0);
  });

  it('refuses to change anything, to overwrite, or to use a custom domain', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ev-prep-'));
    const out = join(tmp, 'checklist.md');
    const apply = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', out, '--tenant-domain', 'x.onmicrosoft.com', '--apply']);
    expect(apply.exitCode).toBe(2);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'keep me');
    const over = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', out, '--tenant-domain', 'x.onmicrosoft.com']);
    expect(over.exitCode).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const dom = await runRecoveryScript('00-prepare-source-tenant.sh', ['--out', join(tmp, 'b.md'), '--tenant-domain', 'contoso.com']);
    expect(dom.exitCode).toBe(2);
  });

  it('40-recover-tenant-loss.sh --resume needs --confirm and the first run\'s journal, before any CLI call', async () => {
    // checked on the arguments alone (lib/restore-flow.sh): the files only need to exist
    const tmp = mkdtempSync(join(tmpdir(), 'ev-resume-args-'));
    for (const f of ['a.evault', 'writer.json', 'identity.txt']) writeFileSync(join(tmp, f), '');
    const base = ['--archive', join(tmp, 'a.evault'), '--target', join(tmp, 'writer.json'), '--identity', join(tmp, 'identity.txt'), '--out', join(tmp, 'out')];
    const r = await runRecoveryScript('40-recover-tenant-loss.sh', [...base, '--resume']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('missing --confirm');
    const r2 = await runRecoveryScript('40-recover-tenant-loss.sh', [...base, '--resume', '--confirm', '00000000-0000-0000-0000-000000000001']);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain('restore.journal');
  });
});
