/**
 * Connection profiles for a lab tenant (docs/design.md "Interfaces"): the backup reader and
 * the restore writer, each a JSON file with mode 0600 holding an inline lab secret.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConnectionProfile } from '../profile.js';
import type { LabCredential } from './seed/types.js';

export function profileFor(tenantId: string, url: string, cred: LabCredential, name: string): ConnectionProfile {
  return {
    tenantId,
    authorityHost: url,
    graphBaseUrl: `${url}/v1.0`,
    clientId: cred.clientId,
    auth: { kind: 'clientSecret', secret: cred.secret },
    name,
    emulator: true,
  };
}

/** Writes a profile with mode 0600 (also tightening an existing file). */
export async function writeProfileFile(path: string, profile: ConnectionProfile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}
