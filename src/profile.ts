/**
 * The connection profile (docs/design.md "Interfaces"): a JSON file, mode 0600, naming a
 * tenant and how to reach it. A contract scripts and auditors rely on: extend, never rename.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { VaultError } from './errors.js';

const authSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('certificate'),
    certificatePath: z.string().min(1),
    sendCertificateChain: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('clientSecret'),
    /** Name of an environment variable holding the secret. */
    secretEnv: z.string().min(1).optional(),
    /** Inline secret: emulator lab tenants only. */
    secret: z.string().min(1).optional(),
  }).refine((a) => Boolean(a.secretEnv) !== Boolean(a.secret), {
    message: 'clientSecret auth needs exactly one of secretEnv or secret',
  }),
  z.object({ kind: z.literal('deviceCode') }),
]);

export const profileSchema = z.object({
  tenantId: z.string().min(1),
  authorityHost: z.string().url(),
  graphBaseUrl: z.string().url(),
  clientId: z.string().min(1),
  auth: authSchema,
  /** Optional label shown in the wizard and reports. */
  name: z.string().optional(),
  /** Set by the emulator: the profile points at a lab tenant, inline secrets allowed. */
  emulator: z.boolean().optional(),
  /**
   * A PEM file of CA certificates to trust, besides the system's, for the authority and
   * Graph (the emulator's local CA over TLS). Relative paths resolve from the working directory.
   */
  caFile: z.string().min(1).optional(),
  /**
   * Skip MSAL's instance discovery (a call to login.microsoftonline.com) and trust
   * `authorityHost` as given: for the emulator, Azure Stack and other private authorities.
   */
  disableInstanceDiscovery: z.boolean().optional(),
});

export type ConnectionProfile = z.infer<typeof profileSchema>;

/**
 * Reads and validates a profile file.
 * @throws VaultError FILE_NOT_FOUND | PROFILE_INVALID (one line naming the bad field; never echoes a secret)
 */
export async function loadProfile(path: string): Promise<ConnectionProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `connection profile not found: ${path}`, 'pass an existing file with --source/--target');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new VaultError('PROFILE_INVALID', `connection profile is not valid JSON: ${path}`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new VaultError('PROFILE_INVALID', `connection profile ${path}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.auth.kind === 'clientSecret' && parsed.data.auth.secret && !parsed.data.emulator) {
    throw new VaultError('PROFILE_INVALID', `connection profile ${path}: inline secrets are allowed for emulator lab tenants only`, 'use auth.secretEnv to name an environment variable');
  }
  await refuseReadableByOthers(path, parsed.data);
  return parsed.data;
}

/**
 * A file holding a secret (an inline lab secret in the profile, or the certificate's private
 * key) must not be readable by anyone but its owner (docs/design.md "Interfaces": mode 0600),
 * as ssh refuses a private key that others can read.
 * @throws VaultError PROFILE_INVALID naming the file and the chmod to run
 */
async function refuseReadableByOthers(path: string, profile: ConnectionProfile): Promise<void> {
  const secretFiles = [
    ...(profile.auth.kind === 'clientSecret' && profile.auth.secret ? [path] : []),
    ...(profile.auth.kind === 'certificate' ? [resolve(profile.auth.certificatePath)] : []),
  ];
  for (const f of secretFiles) {
    const mode = await stat(f).then((s) => s.mode & 0o777, () => undefined);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      throw new VaultError('PROFILE_INVALID', `${f} holds a secret and is readable by others (mode ${mode.toString(8).padStart(4, '0')})`, `chmod 600 ${f}`);
    }
  }
}
