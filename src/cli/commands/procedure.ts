/**
 * `procedure list|run`: the documented recovery procedures (recovery-scripts/) run by the
 * CLI itself, through execa with an argument array, so what an auditor reads is what ran.
 * With a vault, each run is recorded in its audit log with the script's SHA-256.
 */
import { readScriptHeader, runAuditedProcedure, scriptInventory, SCRIPT_NAME } from '../../ops/procedures.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';

export async function procedureList(o: { json?: boolean }, io: CliIo): Promise<number> {
  const inv = (await scriptInventory()).filter((s) => SCRIPT_NAME.test(s.path.split('/').pop() ?? ''));
  const rows = [];
  for (const s of inv) {
    const name = s.path.split('/').pop() as string;
    rows.push({ name, title: (await readScriptHeader(name)).title, sha256: s.sha256 });
  }
  if (o.json) writeLine(io.stdout, JSON.stringify(rows));
  else for (const r of rows) writeLine(io.stdout, `${r.name.padEnd(34)} ${r.title}  (sha256 ${r.sha256.slice(0, 16)}…)`);
  return 0;
}

export async function procedureRun(name: string, args: string[], o: { vault?: string }, io: CliIo): Promise<number> {
  const r = await runAuditedProcedure(name, args, {
    env: io.env,
    extendEnv: false,
    cwd: io.cwd,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(o.vault ? { vault: o.vault } : {}),
    onOutput: (chunk, stream) => void (stream === 'stdout' ? io.stdout : io.stderr).write(chunk),
  });
  return r.exitCode;
}
