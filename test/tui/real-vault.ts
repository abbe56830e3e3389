/**
 * Shared by the end-to-end wizard tests and scripts/capture-wizard.ts: a vault holding one
 * signed archive of a seeded tenant (made by an in-process backup, as a drill's first phase)
 * and the identity that opens it, and a build of dist/ no older than the sources the wizard
 * runs from.
 */
import { execa, type ResultPromise } from 'execa';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/clock.js';
import { initKeys, loadSigningKey } from '../../src/crypto/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { listVault } from '../../src/vault/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'entra-vault.js');

export interface DrillVault {
  vault: string;
  identity: string;
  archive: string;
  tenantId: string;
}

/**
 * Backs up the seeded tenant `seedTenant({ seed, users })` into `outDir/vault`, with keys in `outDir/keys` as a drill lays them out, and returns the
 * vault. Only a drill's backup phase: the wizard tests restore the archive themselves, so a whole
 * drill (its restore and read-back) would be paid for nothing in every file that needs a vault.
 */
export async function drillVault(outDir: string, users = 40, seed = 11): Promise<DrillVault> {
  const keys = await initKeys(join(outDir, 'keys'), { x25519: false });
  const source = seedTenant({ seed, users });
  const emu = await startEmulator({ port: 0, tenants: [source] });
  const vault = join(outDir, 'vault');
  try {
    const readerPath = join(outDir, 'source-reader.json');
    await emu.writeProfiles(source.tenantId, { readerPath, writerPath: join(outDir, 'source-writer.json') });
    await runBackup({
      graph: await createGraphClient(await loadProfile(readerPath), { clock: systemClock }),
      vaultDir: vault, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath),
      reporter: { report: () => undefined }, clock: systemClock, toolVersion: 'test', createVault: true,
    });
  } finally {
    await emu.close();
  }
  const rows = await listVault(vault);
  const row = rows[0];
  if (!row || rows.length !== 1) throw new Error(`drill vault: expected one archive, found ${rows.length}`);
  return { vault, identity: join(outDir, 'keys', 'identity.txt'), archive: row.file, tenantId: row.tenantId };
}

async function newest(dir: string, test: (name: string) => boolean): Promise<number> {
  let max = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && test(e.name)) max = Math.max(max, (await stat(join(e.parentPath, e.name))).mtimeMs);
  }
  return max;
}

/**
 * Rebuilds dist/ (tsc, as `npm run build`) when any source is newer than the built
 * entry points the wizard loads. tsc emits even when another module has type errors,
 * so a half-finished file elsewhere does not stop the wizard from being built.
 */
export async function ensureBuilt(): Promise<void> {
  const built = ['dist/tui/index.js', 'dist/tui/services-real.js', 'dist/src/cli/main.js'].map((f) => join(ROOT, f));
  let oldest = Infinity;
  for (const f of built) oldest = Math.min(oldest, await stat(f).then((s) => s.mtimeMs, () => 0));
  const isSource = (n: string) => /\.(ts|tsx)$/.test(n) && !n.endsWith('.d.ts');
  const sources = Math.max(await newest(join(ROOT, 'src'), isSource), await newest(join(ROOT, 'tui'), isSource));
  if (sources <= oldest) return;
  await execa(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: ROOT, reject: false });
}

/**
 * Starts `entra-vault emulator ARGS` as its own process (so a target tenant outlives a
 * killed wizard). `ready` resolves once it has printed its ready line; the process is
 * returned at once so the caller can always clean it up.
 */
export function emulatorProcess(args: string[], opts: { cwd: string; env?: Record<string, string> }): { emu: ResultPromise; ready: Promise<void> } {
  const emu = execa(process.execPath, [BIN, 'emulator', ...args], { cwd: opts.cwd, ...(opts.env ? { env: opts.env } : {}), buffer: false });
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    emu.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('emulator ready at')) resolve();
    });
    emu.catch(reject);
  });
  return { emu, ready };
}
