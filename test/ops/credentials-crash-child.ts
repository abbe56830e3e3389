/**
 * Child process for the credentials crash test: a tenant-loss restore into the emulator the
 * TEST process hosts, with the real encrypted credentials file (no in-memory sink). The test
 * SIGKILLs it as soon as the emulator holds the k-th created user — before or while the
 * answer travels back, the window where a password spooled after the POST was lost.
 * argv: inputPath (JSON: archive, archiveMeta, profilePath, journalPath, recipient)
 */
import { readFileSync } from 'node:fs';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { runRestore } from '../../src/ops/restore.js';
import type { ChildInput } from './emulator-fixture.js';

const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as ChildInput;
const profile = await loadProfile(input.profilePath);
const graph = await createGraphClient(profile, { reporter: silentReporter });
await runRestore({
  archive: input.archive,
  archiveMeta: input.archiveMeta,
  graph,
  targetTenantId: profile.tenantId,
  scenario: 'tenant-loss',
  dryRun: false,
  confirmTenantId: profile.tenantId,
  journalPath: input.journalPath,
  credentialsRecipient: input.recipient,
  operatorIdentity: input.identity,
  reporter: silentReporter,
  enableConditionalAccess: true,
});
