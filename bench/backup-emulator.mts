/**
 * The backup benchmark's emulator, in its own process so the parent's peak RSS is the
 * backup's alone. Seeds a tenant, writes the reader profile, prints one JSON ready
 * line on stdout, then answers `{ op: 'stats' }` IPC messages with the tenant's
 * emulator statistics (Graph calls, resource units, 429s) until told `{ op: 'close' }`.
 */
import { startEmulator } from '../src/emulator/index.js';
import { seedTenant } from '../src/emulator/seed/index.js';

const [usersArg, profileOut, throttleArg] = process.argv.slice(2);
const users = Number(usersArg);
const tenant = seedTenant({ seed: 1, users });
const emu = await startEmulator({ port: 0, tenants: [tenant], ...(throttleArg === 'throttle' ? { faults: { throttle: { enabled: true } } } : {}) });
await emu.writeProfiles(tenant.tenantId, { readerPath: profileOut!, writerPath: `${profileOut}.writer.json` });
const ctl = emu.tenant(tenant.tenantId);
const objects = Object.values(ctl.exportState().data.objects).reduce((a, l) => a + (l?.length ?? 0), 0);
process.on('message', (m: { op: string }) => {
  if (m.op === 'stats') process.send!({ op: 'stats', stats: ctl.stats() });
  if (m.op === 'close') void emu.close().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ ready: true, url: emu.url, tenantId: tenant.tenantId, objects, childRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) })}\n`);
