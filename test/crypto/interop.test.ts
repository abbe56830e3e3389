import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/reader.js';
import { decryptAgeBytes, encryptAgeBytes, loadIdentity, parseAgeHeader } from '../../src/crypto/age.js';
import { initKeys, loadSigningKey, loadSigningPublicKey } from '../../src/crypto/keys.js';
import { encodeSecretKey, parseSecretKey, signFile, verifySignature } from '../../src/crypto/minisign.js';
import { keys, tmp, writeSample, codeOf as code } from '../archive/helpers.js';

// Interop with the stock CLIs (Debian packages `age` and `minisign`, installed by .ci/run).
const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });


describe('docs/reliability.md 9: interop with age and minisign CLIs', () => {
  it('`age -d -i identity.txt` decrypts an X25519 archive made by entra-vault, and minisign -V verifies its signature', async () => {
    const k = await keys(true);
    const out = tmp();
    const a = await writeSample(k, { outDir: out });
    const plain = run('age', ['-d', '-i', k.identityPath, a.archivePath]);
    expect(plain.subarray(0, 2).toString('hex')).toBe('1f8b');
    const listing = execFileSync('tar', ['tzf', '-'], { input: plain }).toString().trim().split('\n');
    expect(listing).toEqual(['manifest.json', 'manifest.sig', 'objects/group.jsonl', 'objects/user.jsonl', 'relations/groupMembers.jsonl']);
    const v = run('minisign', ['-Vm', a.archivePath, '-p', k.signingPublicKeyPath]).toString();
    expect(v).toContain('Signature and comment signature verified');
    expect(v).toContain('tenant=11111111-2222-3333-4444-555555555555');
    // and a tampered copy is refused by minisign too
    const bad = join(out, 'bad.evault');
    const b = readFileSync(a.archivePath);
    b[b.length - 5] = b[b.length - 5]! ^ 1;
    writeFileSync(bad, b);
    writeFileSync(`${bad}.minisig`, readFileSync(a.signaturePath));
    expect(() => run('minisign', ['-Vm', bad, '-p', k.signingPublicKeyPath])).toThrow();
  });

  it('issue 13 item 12: an edited `untrusted comment:` line is accepted by stock minisign and by entra-vault alike, and changes nothing the tool reads (by design: docs/archive-format.md threat model)', async () => {
    const k = await keys(true);
    const out = tmp();
    const a = await writeSample(k, { outDir: out });
    const lines = readFileSync(a.signaturePath, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^untrusted comment: /);
    lines[0] = 'untrusted comment: tenant=22222222-0000-0000-0000-000000000000 sequence=999999999999';
    writeFileSync(a.signaturePath, lines.join('\n'));
    // stock minisign verifies it: the untrusted line is outside both signatures
    expect(run('minisign', ['-Vm', a.archivePath, '-p', k.signingPublicKeyPath]).toString()).toContain('Signature and comment signature verified');
    // entra-vault verifies it too, and reads tenant and sequence from the trusted comment only
    const opened = await openArchive(a.archivePath, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath });
    try {
      expect(opened.trustedComment.tenantId).toBe('11111111-2222-3333-4444-555555555555');
      expect(opened.trustedComment.sequence).not.toBe(999999999999);
    } finally {
      await opened.close();
    }
  });

  it('entra-vault reads an archive whose ciphertext was produced by `age -r`', async () => {
    const k = await keys(true);
    const out = tmp();
    const a = await writeSample(k, { outDir: out });
    const ids = await loadIdentity(k.identityPath);
    const plain = await decryptAgeBytes(readFileSync(a.archivePath), { identities: ids });
    const plainPath = join(out, 'plain.tgz');
    writeFileSync(plainPath, plain);
    const reenc = join(out, 'cli.evault');
    run('age', ['-r', k.recipient, '-o', reenc, plainPath]);
    // re-sign the CLI ciphertext with the collector key (same trusted comment)
    const sk = await loadSigningKey(k.signingKeyPath);
    const tc = readFileSync(a.signaturePath, 'utf8').split('\n')[2]!.slice('trusted comment: '.length);
    writeFileSync(`${reenc}.minisig`, await signFile(sk, readFileSync(reenc), tc));
    const opened = await openArchive(reenc, { identity: k.identityPath, signerPublicKey: k.signingPublicKeyPath });
    expect(opened.manifest.counts.objects.user).toBe(20);
    await opened.close();
  });

  it('a `minisign -S` signature is verified by entra-vault, and ours by minisign', async () => {
    const d = tmp();
    run('minisign', ['-G', '-W', '-p', join(d, 'm.pub'), '-s', join(d, 'm.key')]);
    writeFileSync(join(d, 'f'), 'payload\n');
    run('minisign', ['-S', '-s', join(d, 'm.key'), '-m', join(d, 'f'), '-t', 'stock trusted comment']);
    const pk = await loadSigningPublicKey(join(d, 'm.pub'));
    expect(await verifySignature(pk, readFileSync(join(d, 'f')), readFileSync(join(d, 'f.minisig'), 'utf8'))).toBe('stock trusted comment');
    expect(await code(verifySignature(pk, Buffer.from('payload!\n'), readFileSync(join(d, 'f.minisig'), 'utf8')))).toBe('SIGNATURE_INVALID');
    // minisign's unencrypted key file is read by entra-vault and its signatures verify with minisign
    const sk = await parseSecretKey(readFileSync(join(d, 'm.key'), 'utf8'));
    writeFileSync(join(d, 'g'), 'other\n');
    writeFileSync(join(d, 'g.minisig'), await signFile(sk, readFileSync(join(d, 'g')), 'ours'));
    expect(run('minisign', ['-Vm', join(d, 'g'), '-p', join(d, 'm.pub')]).toString()).toContain('Trusted comment: ours');
  });

  it('a passphrase-encrypted signing key written by entra-vault is usable by `minisign -S`', async () => {
    const d = tmp();
    const k = await initKeys(join(d, 'k'), { passphrase: 'pw-for-test', x25519: true });
    writeFileSync(join(d, 'f'), 'data');
    run('minisign', ['-S', '-s', k.signingKeyPath, '-m', join(d, 'f'), '-t', 'signed by stock minisign'], 'pw-for-test\n');
    const pk = await loadSigningPublicKey(k.signingPublicKeyPath);
    expect(await verifySignature(pk, readFileSync(join(d, 'f')), readFileSync(join(d, 'f.minisig'), 'utf8'))).toBe('signed by stock minisign');
    expect(await code(loadSigningKey(k.signingKeyPath, 'wrong'))).toBe('PASSPHRASE_WRONG');
    const re = await encodeSecretKey(await loadSigningKey(k.signingKeyPath, 'pw-for-test'));
    expect(re).toContain('untrusted comment:');
  });
});

describe('docs/reliability.md 4: scrypt work factor', () => {
  it('a header asking for work factor 21+ is rejected without running scrypt (WORK_FACTOR_TOO_HIGH); bench figure printed', async () => {
    const ct = await encryptAgeBytes(Buffer.from('secret'), { passphrase: 'x', workFactor: 10 });
    const text = ct.toString('latin1');
    for (const wf of ['21', '22', '30', '64', '999999999']) {
      const forged = Buffer.from(text.replace(/^(-> scrypt \S+ )10$/m, `$1${wf}`), 'latin1');
      const t0 = performance.now();
      expect(await code(decryptAgeBytes(forged, { passphrases: ['x'] }))).toBe('WORK_FACTOR_TOO_HIGH');
      expect(await code(parseAgeHeader(forged))).toBe('WORK_FACTOR_TOO_HIGH');
      process.stdout.write(`bench: work factor ${wf} rejected in ${(performance.now() - t0).toFixed(1)} ms\n`);
    }
    // 10 (the real one) decrypts
    expect((await decryptAgeBytes(ct, { passphrases: ['x'] })).toString()).toBe('secret');
  });
});
