import { readdir } from 'node:fs/promises';
import { VaultError } from '../../errors.js';
import { operatorName } from '../../report/evidence.js';
import { runDrill } from '../../ops/drill.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { VERSION } from '../version.js';
import { reporterFor } from './common.js';
import { parseFaults } from './emulator.js';
import type { DrillOpts } from './index.js';

export async function drillCommand(o: DrillOpts, io: CliIo): Promise<number> {
  if (o.users < 1 || o.users > 200_000) throw new VaultError('USAGE', '--users must be between 1 and 200000');
  const faults = parseFaults(o.faults);
  // a drill's evidence is never overwritten: each drill gets a directory of its own
  const existing = await readdir(o.out).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new VaultError('FILE_EXISTS', `drill directory ${o.out} is not empty`, 'choose a new --out (npm run drill uses a new drill-out/run-<time> each time)');
  }
  const report = await runDrill({
    scenario: o.scenario, users: o.users, seed: o.seed, outDir: o.out, reporter: reporterFor(io, o.json),
    toolVersion: VERSION, ...(faults ? { faults, faultsSpec: o.faults } : {}),
    ...(o.recoveryApps !== undefined ? { recoveryApps: o.recoveryApps } : {}),
    operator: operatorName(io.env),
    // Ctrl-C: stop at the next safe point, INTERRUPTED (exit 130), no report
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (o.json) writeLine(io.stdout, JSON.stringify({ result: report.result, report: report.files.report, fidelity: report.fidelity, timings: report.timings }));
  else {
    const f = report.fidelity;
    writeLine(io.stdout, `drill ${report.scenario}: ${report.result.toUpperCase()}`);
    writeLine(io.stdout, `restored ${f.objectsRestored}/${f.objectsExpected} objects, ${f.attributesMatching}/${f.attributesExpected} attributes, ${f.relationsRestored}/${f.relationsExpected} relations in ${(report.timings.rtoMs / 1000).toFixed(1)} s (backup ${(report.timings.backupMs / 1000).toFixed(1)} s)`);
    writeLine(io.stdout, `${report.manualSteps.length} manual steps, ${report.deviations.length} deviations (${report.unexplained.length} unexplained)`);
    writeLine(io.stdout, `report: ${report.files.markdown}`);
  }
  return report.result === 'pass' ? 0 : 1;
}
