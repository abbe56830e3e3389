/** `preflight --target F`: what the wizard's Connect step shows, as a command. */
import { basename } from 'node:path';
import { systemClock } from '../../clock.js';
import { createGraphClient } from '../../graph/index.js';
import { preflight } from '../../ops/preflight.js';
import { loadProfile } from '../../profile.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { reporterFor } from './common.js';

export interface PreflightOpts {
  target: string;
  json?: boolean;
}

/**
 * Signs in to the target and reports its tenant, initial domain, state and the restore
 * writer's permissions held and missing. Reads only. Exit 0 when nothing is missing, 1 when
 * a permission is (a restore would stop on it).
 */
export async function preflightCommand(o: PreflightOpts, io: CliIo): Promise<number> {
  const profile = await loadProfile(o.target);
  const graph = await createGraphClient(profile, { reporter: reporterFor(io, o.json), clock: systemClock, env: io.env, ...(io.signal ? { signal: io.signal } : {}) });
  const p = await preflight(graph, profile.tenantId, profile.clientId, profile.name ?? basename(o.target), { delegated: profile.auth.kind === 'deviceCode' });
  if (o.json) writeLine(io.stdout, JSON.stringify(p));
  else {
    writeLine(io.stdout, `target ${p.label}: tenant ${p.tenantId} (${p.initialDomain || 'no initial domain'}), ${STATE_TEXT[p.state]}`);
    if (p.signedInAs) writeLine(io.stdout, `signed in as ${p.signedInAs} (delegated: the consented scopes and the user's roles apply)`);
    writeLine(io.stdout, `permissions: ${p.permissionsNeeded.length - p.missing.length}/${p.permissionsNeeded.length} of the restore writer's held`);
    if (p.missing.length > 0) writeLine(io.stdout, `missing (grant and admin-consent them before a restore): ${p.missing.join(', ')}`);
    else writeLine(io.stdout, 'ready: nothing missing');
  }
  return p.missing.length === 0 ? 0 : 1;
}

const STATE_TEXT = {
  empty: 'an empty tenant',
  noAdmins: 'no Global Administrator left',
  adminsPresent: 'Global Administrators present',
} as const;
