import { readFile } from 'node:fs/promises';
import { systemClock } from '../../clock.js';
import { loadSigningKey } from '../../crypto/index.js';
import { VaultError } from '../../errors.js';
import { createGraphClient } from '../../graph/index.js';
import { loadProfile } from '../../profile.js';
import { runBackup, untilInterrupted } from '../../snapshot/backup.js';
import { EXIT } from '../exit.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { VERSION } from '../version.js';
import { reporterFor } from './common.js';
import type { BackupOpts } from './index.js';
import { passphraseOf } from './options.js';

/** A recipient argument is either an age recipient or a file holding recipients (one per line). */
export async function recipientsFrom(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    if (a.startsWith('age1')) {
      out.push(a);
      continue;
    }
    let text: string;
    try {
      text = await readFile(a, 'utf8');
    } catch {
      throw new VaultError('FILE_NOT_FOUND', `recipient file not found: ${a}`, 'pass an age1… recipient or the recipient.txt from keys init');
    }
    out.push(...text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  return out;
}

export async function backupCommand(o: BackupOpts, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, o.json);
  const profile = await loadProfile(o.source);
  const signingKey = await loadSigningKey(o.signingKey, await passphraseOf(io, o, o.signingKey));
  const recipients = await recipientsFrom(o.recipient);
  // Ctrl-C (io.signal) cuts the reads in flight and stops the walk: INTERRUPTED, exit 130,
  // nothing added to the vault (a second Ctrl-C leaves at once: bin/entra-vault.js).
  const signal = io.signal;
  const graph = await untilInterrupted(signal, () => createGraphClient(profile, { reporter, clock: systemClock, concurrency: o.concurrency, env: io.env, ...(signal ? { signal } : {}) }));
  const r = await runBackup({ graph, vaultDir: o.vault, recipients, signingKey, reporter, clock: systemClock, toolVersion: VERSION, concurrency: o.concurrency, createVault: o.init === true, incremental: o.incremental === true, ...(o.fullAfter !== undefined ? { fullAfterHours: o.fullAfter } : {}), ...(signal ? { signal } : {}) });
  const objects = Object.entries(r.counts).filter(([k]) => k.startsWith('objects/')).reduce((a, [, n]) => a + n, 0);
  const relations = Object.entries(r.counts).filter(([k]) => k.startsWith('relations/')).reduce((a, [, n]) => a + n, 0);
  if (o.json) {
    writeLine(io.stdout, JSON.stringify({ result: r.incomplete > 0 ? 'incomplete' : 'ok', ...r }));
  } else {
    if (r.fallback !== undefined) writeLine(io.stdout, `full backup instead of incremental: ${r.fallback}`);
    writeLine(io.stdout, `archive ${r.archivePath}${r.kind === 'incremental' ? ` (incremental, chain link ${r.chainIndex})` : ''}`);
    writeLine(io.stdout, `signature ${r.signaturePath}`);
    writeLine(io.stdout, `tenant ${r.tenantId} (${r.initialDomain}): ${objects} objects, ${relations} relations, ${r.warnings} warnings, ${r.bytes} bytes, ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.graphRequests} Graph requests`);
    if (r.incomplete > 0) writeLine(io.stdout, `incomplete: ${r.incomplete} of the warnings above name what the tenant holds and this archive lacks (the archive is in the vault; grant what they name and back up again)`);
  }
  // exit 1, "ran but incomplete" (README, exit codes): a scheduler must see a backup that
  // lacks part of the tenant, even though its archive is kept
  return r.incomplete > 0 ? EXIT.incomplete : EXIT.ok;
}
