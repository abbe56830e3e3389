/**
 * docs/reliability.md 21: after a full drill (backup, restore with temporary passwords, evidence),
 * no secret appears in what the tool printed, logged, journaled or reported, nor in the
 * archives' plaintext metadata (signatures, vault state, audit log). The secrets are
 * collected from where they legitimately live (key files, the lab credentials, the
 * encrypted credentials file) and searched for everywhere else.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptAgeBytes, loadIdentity } from '../../src/crypto/age.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { RecordingReporter } from '../../src/progress.js';
import { runDrill } from '../../src/ops/drill.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if ((await stat(p)).size < 64 * 1024 * 1024) out.push(p);
  }
  return out;
}

describe('no secrets in output (docs/reliability.md 21)', () => {
  it('a drill leaks no key, client secret, token or temporary password', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ev-secrets-'));
    const reporter = new RecordingReporter();
    const users = 30;
    const seed = 5;
    await runDrill({ scenario: 'tenant-loss', users, seed, outDir: out, reporter, toolVersion: 'test' });

    const secrets: { what: string; value: string }[] = [];
    const identity = await readFile(join(out, 'keys', 'identity.txt'), 'utf8');
    for (const l of identity.split('\n').filter((x) => x.startsWith('AGE-SECRET-KEY'))) secrets.push({ what: 'age identity', value: l.trim() });
    const signing = (await readFile(join(out, 'keys', 'signing.key'), 'utf8')).split('\n')[1]?.trim();
    if (signing) secrets.push({ what: 'signing key', value: signing });
    // the same seed the drill used: its lab app secrets
    for (const c of seedTenant({ seed, users }).credentials) secrets.push({ what: `client secret (${c.role})`, value: c.secret });
    const creds = await readdir(out).then((n) => n.filter((f) => f.startsWith('restore-credentials')));
    expect(creds.length).toBeGreaterThan(0);
    const ids = await loadIdentity(join(out, 'keys', 'identity.txt'));
    let passwords = 0;
    for (const f of creds) {
      const doc = JSON.parse((await decryptAgeBytes(await readFile(join(out, f)), { identities: ids })).toString('utf8')) as { credentials: { temporaryPassword: string }[] };
      for (const c of doc.credentials) {
        secrets.push({ what: 'temporary password', value: c.temporaryPassword });
        passwords++;
      }
    }
    expect(passwords).toBeGreaterThan(0);
    expect(secrets.every((s) => s.value.length >= 12)).toBe(true);

    // where secrets may live: the key files, the lab profiles (emulator secrets, 0600), the encrypted files
    const allowed = (p: string) => /^(keys\/(identity\.txt|signing\.key)|profiles\/.*\.json)$/.test(p) || /\.(age|evault)$/.test(p);
    const haystacks: { where: string; text: string }[] = [{ where: 'reporter events', text: JSON.stringify(reporter.events) }];
    for (const f of await filesUnder(out)) {
      const rel = relative(out, f);
      if (allowed(rel)) continue;
      haystacks.push({ where: rel, text: await readFile(f, 'latin1') });
    }
    expect(haystacks.map((h) => h.where)).toEqual(expect.arrayContaining(['restore.journal', 'drill-report.json', 'drill-report.md', 'vault/audit.log']));
    const leaks: string[] = [];
    for (const h of haystacks) {
      for (const s of secrets) if (h.text.includes(s.value)) leaks.push(`${s.what} in ${h.where}`);
      if (/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(h.text)) leaks.push(`a bearer token in ${h.where}`);
      if (/"password"\s*:/.test(h.text)) leaks.push(`a password field in ${h.where}`);
    }
    expect(leaks).toEqual([]);
  }, 120_000);
});
