/**
 * Child process for the crash test against the emulator: runs a tenant-loss restore
 * against the emulator the TEST process hosts (so the target outlives this child), and
 * kills itself with SIGKILL right after the k-th operation's journal record.
 * argv: inputPath (JSON: archive, archiveMeta, profilePath, journalPath, recipient, k)
 */
import { readFileSync } from 'node:fs';
import { createGraphClientForApps } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import type { Reporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import type { ChildInput } from './emulator-fixture.js';

const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as ChildInput;
let settled = 0;
// The executor appends an op's final journal record, then reports its progress: killing
// here is "right after journal record k" with the next writes possibly in flight.
const reporter: Reporter = {
  report(e) {
    if (input.killAtPhase && e.kind === 'phase' && e.message.includes(input.killAtPhase)) process.kill(process.pid, 'SIGKILL');
    if (e.kind === 'progress' && e.phase.startsWith('restore tier') && ++settled >= input.k) process.kill(process.pid, 'SIGKILL');
  },
};
const profiles = await Promise.all((input.profilePaths ?? [input.profilePath]).map((p) => loadProfile(p)));
const profile = profiles[0]!;
const graph = await createGraphClientForApps(profiles, { reporter });
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
  credentialsSink: new MemoryCredentialsSink(),
  reporter,
  enableConditionalAccess: true,
});
