/**
 * Certificates for the emulator's HTTPS mode and lab certificate profiles
 * (docs/design.md "Graph emulator"): a local CA made at start, a server certificate for
 * 127.0.0.1 and localhost signed by it, and self-signed client certificates for lab apps.
 *
 * Node's crypto makes keys but cannot write an X.509 certificate, and no certificate
 * library is a dependency, so the signing step runs the `openssl` binary (through execa,
 * an argument array, never a shell) behind `signCertificate`, the one function to swap
 * for a library. Private keys exist only in memory and, while openssl runs, in a 0700
 * temporary directory that is removed afterwards; they are never printed or logged.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { VaultError } from '../errors.js';

/** The emulator's TLS material: the CA operators trust, and the server's certificate and key. */
export interface EmulatorTls {
  caCertPem: string;
  certPem: string;
  /** The server's private key (PKCS#8 PEM). Never written beside profiles. */
  keyPem: string;
}

/** A lab client certificate: the PEM file a certificate profile names holds both. */
export interface ClientCertificate {
  certPem: string;
  keyPem: string;
  /** DER of the certificate, as Graph's keyCredential `key` carries it (base64). */
  der: Buffer;
  /** SHA-1 thumbprint, upper-case hex (keyCredential `customKeyIdentifier`). */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

interface SignRequest {
  subject: string;
  /** PEM of the key the certificate is for. */
  keyPem: string;
  /** Issuer certificate and key; absent for a self-signed certificate. */
  issuer?: { certPem: string; keyPem: string };
  days: number;
  /** `-addext` values, e.g. `subjectAltName=IP:127.0.0.1`. */
  extensions: string[];
}

/**
 * Signs one X.509 certificate with the `openssl` binary (OpenSSL 3: `req -x509 -CA`).
 * @throws VaultError CONFIG_INVALID when openssl is missing or fails (its stderr is not
 *   echoed: it could name key material paths, never keys, but stays out of messages anyway).
 */
async function signCertificate(r: SignRequest): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-vault-tls-'));
  try {
    await chmod(dir, 0o700);
    const key = join(dir, 'key.pem');
    await writeFile(key, r.keyPem, { mode: 0o600 });
    const out = join(dir, 'cert.pem');
    const args = ['req', '-x509', '-new', '-key', key, '-subj', r.subject, '-days', String(r.days), '-sha256', '-out', out];
    if (r.issuer) {
      const caCert = join(dir, 'ca.pem');
      const caKey = join(dir, 'ca.key');
      await writeFile(caCert, r.issuer.certPem, { mode: 0o600 });
      await writeFile(caKey, r.issuer.keyPem, { mode: 0o600 });
      args.push('-CA', caCert, '-CAkey', caKey);
    }
    for (const e of r.extensions) args.push('-addext', e);
    try {
      await execa('openssl', args, { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' });
    } catch (e) {
      throw new VaultError('CONFIG_INVALID', 'could not make a certificate with openssl', 'install OpenSSL 3 (the `openssl` binary) to use the emulator over TLS', { cause: e });
    }
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function ecKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Makes a fresh local CA and a server certificate for `IP:127.0.0.1, DNS:localhost`
 * signed by it (ECDSA P-256, valid 7 days: a CA lives only as long as one emulator run).
 * @throws VaultError CONFIG_INVALID when openssl is unavailable
 */
export async function createEmulatorTls(): Promise<EmulatorTls> {
  const caKey = ecKey();
  const caCertPem = await signCertificate({
    subject: '/CN=entra-vault emulator local CA',
    keyPem: caKey,
    days: 7,
    extensions: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
  const keyPem = ecKey();
  const certPem = await signCertificate({
    subject: '/CN=127.0.0.1',
    keyPem,
    issuer: { certPem: caCertPem, keyPem: caKey },
    days: 7,
    extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
  });
  return { caCertPem, certPem, keyPem };
}

/**
 * A self-signed RSA-2048 client certificate for a lab app's certificate credential
 * (what `New-SelfSignedCertificate` or the portal's upload gives a real app).
 * @throws VaultError CONFIG_INVALID when openssl is unavailable
 */
export async function createClientCertificate(commonName: string, days = 30): Promise<ClientCertificate> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certPem = await signCertificate({
    subject: `/CN=${commonName.replace(/[/=\\]/g, '-')}`,
    keyPem,
    days,
    extensions: ['keyUsage=critical,digitalSignature'],
  });
  const x = new X509Certificate(certPem);
  return {
    certPem,
    keyPem,
    der: x.raw,
    thumbprint: x.fingerprint.replace(/:/g, '').toUpperCase(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
  };
}
