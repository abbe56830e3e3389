import { verifyArchive } from '../../archive/reader.js';
import { VaultError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { signerFor } from '../../ops/archive-signer.js';
import type { VerifyOpts } from './index.js';
import { passphraseOf } from './options.js';

/** `verify ARCHIVE`: custody without a key; contents (all or a sample) with --identity. */
export async function verifyCommand(archive: string, o: VerifyOpts, io: CliIo): Promise<number> {
  if ((o.readData || o.sample !== undefined) && !o.identity) {
    throw new VaultError('USAGE', '--read-data and --sample need --identity', 'pass the age identity file');
  }
  const s = await signerFor(archive, o.signer);
  const passphrase = await passphraseOf(io, o, o.identity ?? 'the identity', { needed: o.identity !== undefined });
  const readData = o.sample !== undefined ? { sample: o.sample } : Boolean(o.readData || o.identity);
  const r = await verifyArchive(archive, {
    signerPublicKey: s.key,
    // inside a vault the archive must be of the tenant it is filed under (WRONG_TENANT)
    ...(s.vaultTenantId ? { expectedTenantId: s.vaultTenantId } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(passphrase ? { passphrase } : {}),
    readData,
  });
  if (o.json) writeLine(io.stdout, JSON.stringify(r));
  else {
    writeLine(io.stdout, `signature valid: tenant ${r.tenantId}, taken ${r.takenAt}, manifest sha256 ${r.manifestSha256}`);
    if (r.mode !== 'custody') writeLine(io.stdout, `${r.entriesChecked}/${r.entriesTotal} entries re-hashed (${(r.coverage * 100).toFixed(0)} % coverage, ${r.mode})`);
    else writeLine(io.stdout, 'custody check only (no identity given): contents not decrypted');
  }
  return 0;
}
