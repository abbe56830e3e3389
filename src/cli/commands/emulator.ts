import { existsSync } from 'node:fs';
import { startEmulator } from '../../emulator/index.js';
import type { FaultConfig } from '../../emulator/index.js';
import { emptyTenant, seedTenant } from '../../emulator/seed/index.js';
import { VaultError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import type { EmulatorOpts } from './index.js';

/**
 * Parses `--faults`: a comma list of `throttle` (resource-unit bucket), `throttle429=F`
 * (fraction answered 429), `throttleFor=S` (every call 429 for S seconds), `retryAfter=S`, `errors=F`, `rejectWrites=F` (fraction of writes refused with 400), `latency=MS`, `writeLatency=MS` (writes only), `lag=MS`, `seed=N`.
 * @throws VaultError USAGE naming the bad item
 */
export function parseFaults(spec: string | undefined): FaultConfig | undefined {
  if (!spec) return undefined;
  const f: FaultConfig = {};
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = raw.split('=', 2) as [string, string | undefined];
    const num = () => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < 0) throw new VaultError('USAGE', `--faults: '${raw}' needs a non-negative number`);
      return n;
    };
    switch (k) {
      case 'throttle': f.throttle = { enabled: true }; break;
      case 'throttle429': f.throttleFraction = num(); break;
      case 'retryAfter': f.retryAfterSeconds = num(); break;
      case 'throttleFor': f.throttleForSeconds = num(); break;
      case 'errors': f.errorRate = num(); break;
      case 'rejectWrites': f.rejectWrites = num(); break;
      case 'latency': f.latencyMs = num(); break;
      case 'writeLatency': f.writeLatencyMs = num(); break;
      case 'lag': f.replicationLagMs = num(); break;
      case 'seed': f.seed = num(); break;
      default: throw new VaultError('USAGE', `--faults: unknown fault '${k}'`, 'use throttle, throttle429=F, throttleFor=S, retryAfter=S, errors=F, rejectWrites=F, latency=MS, writeLatency=MS, lag=MS, seed=N');
    }
  }
  return f;
}

/** Runs the emulator until SIGINT/SIGTERM. Prints one line with its URL when ready. */
export async function emulatorCommand(o: EmulatorOpts, io: CliIo): Promise<number> {
  const faults = parseFaults(o.faults);
  // a profile file may hold the only copy of a lab's settings: never overwrite one (issue 16)
  for (const p of [o.profileOut, o.writerProfileOut, o.profileOut && !o.writerProfileOut ? `${o.profileOut}.writer.json` : undefined, o.writerProfileOut && !o.profileOut ? `${o.writerProfileOut}.reader.json` : undefined]) {
    if (p && existsSync(p)) throw new VaultError('FILE_EXISTS', `refusing to overwrite ${p}`, 'choose a new --profile-out path, or remove the old profile first');
  }
  if (o.users > 1_000_000) throw new VaultError('USAGE', '--users is limited to 1,000,000');
  const profileAuth = o.profileAuth ?? 'clientSecret';
  if (profileAuth !== 'clientSecret' && profileAuth !== 'certificate') {
    throw new VaultError('USAGE', `--profile-auth: unknown kind '${profileAuth}'`, 'use clientSecret or certificate');
  }
  // @azure/identity refuses an http authority: a certificate profile needs the emulator over TLS
  if (profileAuth === 'certificate' && !o.tls) throw new VaultError('USAGE', '--profile-auth certificate needs --tls');
  const tenant = o.empty
    ? emptyTenant({ seed: o.seed, ...(o.tenantId ? { tenantId: o.tenantId } : {}) })
    : seedTenant({ seed: o.seed, users: o.users, ...(o.tenantId ? { tenantId: o.tenantId } : {}) });
  const emu = await startEmulator({ port: o.port, tenants: [tenant], ...(faults ? { faults } : {}), ...(o.state ? { stateFile: o.state } : {}), ...(o.tls ? { tls: true } : {}) });
  try {
    if (o.profileOut || o.writerProfileOut) {
      await emu.writeProfiles(tenant.tenantId, {
        readerPath: o.profileOut ?? `${o.writerProfileOut}.reader.json`,
        writerPath: o.writerProfileOut ?? `${o.profileOut}.writer.json`,
        auth: profileAuth,
      });
    }
    writeLine(io.stdout, `entra-vault emulator ready at ${emu.url} (Graph ${emu.graphBaseUrl}, tenant ${tenant.tenantId}, ${tenant.initialDomain})`);
    await new Promise<void>((resolve) => {
      if (!io.signal) return; // no way to be stopped: run until the process is killed
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await emu.close();
  }
  return 0;
}
