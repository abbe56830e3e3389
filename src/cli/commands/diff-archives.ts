/** `diff ARCHIVE_A ARCHIVE_B`: the forensics diff between two archives (issue 18 item 3). */
import { VaultError } from '../../errors.js';
import { stableJson } from '../../json.js';
import { diffArchives } from '../../ops/archive-diff.js';
import { entryPointOf } from '../../ops/restore.js';
import { renderArchiveDiffMarkdown, renderArchiveDiffText } from '../../restore/render-archive-diff.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { EXIT } from '../exit.js';
import type { DiffOpts } from './index.js';
import { passphraseOf } from './options.js';

/**
 * Prints what was created, deleted and changed from A to B, riskiest first, as text,
 * `--json` (docs/archive-diff-format.md) or `--markdown`. Exit 0 when A and B are identical,
 * 1 when they differ (README "Errors and exit codes").
 */
export async function diffArchivesCommand(archiveA: string, archiveB: string, o: DiffOpts, io: CliIo): Promise<number> {
  if (o.target) throw new VaultError('USAGE', 'diff takes either a second archive or --target, not both', 'drop --target to compare two archives, or the second archive to compare with a live tenant');
  if (o.json && o.markdown) throw new VaultError('USAGE', '--json and --markdown are alternatives', 'pass one of them');
  if (o.allowRollback) throw new VaultError('USAGE', '--allow-rollback does not apply to a comparison of two archives', 'drop it: a read-only diff reads older archives without it');
  const passphrase = await passphraseOf(io, o, o.identity);
  const report = await diffArchives({
    archiveA, archiveB, identityPath: o.identity, via: entryPointOf(io.env),
    ...(passphrase ? { passphrase } : {}),
    ...(o.signer ? { signer: o.signer } : {}),
    ...(o.allowBadSignature ? { allowBadSignature: o.allowBadSignature } : {}),
    ...(o.allowDifferentTenants ? { allowDifferentTenants: true } : {}),
  });
  if (o.json) writeLine(io.stdout, stableJson(report).trimEnd());
  else if (o.markdown) writeLine(io.stdout, renderArchiveDiffMarkdown(report).trimEnd());
  else writeLine(io.stdout, renderArchiveDiffText(report, { width: io.stdout.columns ?? 80 }).trimEnd());
  return report.identical ? EXIT.ok : EXIT.incomplete;
}
