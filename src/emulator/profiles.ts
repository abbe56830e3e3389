/**
 * Connection profiles for a lab tenant (docs/design.md "Interfaces"): the backup reader and
 * the restore writer, each a JSON file with mode 0600 holding an inline lab secret or
 * naming a certificate file (0600) registered on the app; over TLS, beside them the
 * emulator's CA certificate, which the profile names in `caFile`.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ConnectionProfile } from '../profile.js';
import type { LabCredential } from './seed/types.js';
import type { TenantStore } from './store.js';
import { createClientCertificate } from './tls.js';

/** How a written lab profile signs in. */
export type LabProfileAuth = 'clientSecret' | 'certificate';

/** Where the CA is written: beside every profile, under one name. */
export const EMULATOR_CA_FILE = 'emulator-ca.pem';

export interface ProfileExtras {
  /** Absolute path of the emulator's CA certificate (TLS only). */
  caFile?: string;
  /** Absolute path of the PEM (certificate and private key) of a certificate profile. */
  certificatePath?: string;
}

export function profileFor(tenantId: string, url: string, cred: LabCredential, name: string, extras: ProfileExtras = {}): ConnectionProfile {
  return {
    tenantId,
    authorityHost: url,
    graphBaseUrl: `${url}/v1.0`,
    clientId: cred.clientId,
    auth: extras.certificatePath ? { kind: 'certificate', certificatePath: extras.certificatePath } : { kind: 'clientSecret', secret: cred.secret },
    name,
    emulator: true,
    // MSAL asks login.microsoftonline.com for instance discovery unless told not to (docs/graph-facts.md §6)
    ...(url.startsWith('https:') ? { disableInstanceDiscovery: true } : {}),
    ...(extras.caFile ? { caFile: extras.caFile } : {}),
  };
}

/** Writes a profile with mode 0600 (also tightening an existing file). */
export async function writeProfileFile(path: string, profile: ConnectionProfile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Writes the emulator's CA certificate (public, 0644) beside a profile; returns its absolute path. */
export async function writeCaBeside(profilePath: string, caCertPem: string): Promise<string> {
  const path = resolve(dirname(profilePath), EMULATOR_CA_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, caCertPem, { mode: 0o644 });
  return path;
}

/**
 * Makes a certificate for the lab app, registers it on the application in the tenant
 * (a keyCredential whose `key` stays null on reads, as Graph's does; the DER is kept
 * beside the lab credential for the token endpoint) and writes certificate and private key
 * to `<profile without .json>.cert.pem`, mode 0600. Returns its absolute path.
 * Never prints the key.
 */
export async function writeLabCertificate(store: TenantStore, cred: LabCredential, profilePath: string, now: Date): Promise<string> {
  const app = store.byKey('application', 'appId', cred.clientId);
  const cert = await createClientCertificate(`${app?.displayName ?? cred.clientId} (entra-vault lab)`);
  const keyId = randomUUID();
  if (app) {
    const list = Array.isArray(app.keyCredentials) ? app.keyCredentials : [];
    const meta = {
      customKeyIdentifier: Buffer.from(cert.thumbprint, 'hex').toString('base64'),
      displayName: `CN=${String(app.displayName ?? cred.clientId)} (entra-vault lab)`,
      endDateTime: cert.notAfter.toISOString(),
      key: null,
      keyId,
      startDateTime: (cert.notBefore < now ? cert.notBefore : now).toISOString(),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    };
    store.replace('application', { ...app, keyCredentials: [...list, meta] });
    store.touch('application', app.id, 'live');
  }
  cred.certificates = [...(cred.certificates ?? []), { keyId, key: cert.der.toString('base64') }];
  const path = resolve(join(dirname(profilePath), `${basename(profilePath).replace(/\.json$/i, '')}.cert.pem`));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${cert.keyPem}${cert.certPem}`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
