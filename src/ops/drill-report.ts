/** The drill report as Markdown: what an auditor reads first. Never contains secrets. */
import type { DrillReport } from './drill.js';
import { deviationText } from '../restore/fidelity.js';

const pct = (a: number, b: number) => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** Table cells: display names are data, never markup. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/`/g, "'");

export function renderDrillMarkdown(r: DrillReport): string {
  const L: string[] = [];
  L.push(`# Recovery drill: ${r.scenario}`, '');
  L.push(`**Result: ${r.result.toUpperCase()}** — ${r.fidelity.objectsRestored}/${r.fidelity.objectsExpected} objects, ` +
    `${r.fidelity.attributesMatching}/${r.fidelity.attributesExpected} attributes, ` +
    `${r.fidelity.relationsRestored}/${r.fidelity.relationsExpected} relations restored; ` +
    `${r.unexplained.length} restorable item(s) not restored.`, '');
  L.push('| | |', '|---|---|');
  L.push(`| Started | ${r.startedAt} |`, `| Finished | ${r.finishedAt} |`);
  L.push(`| Source tenant | ${r.source.tenantId} (${r.source.initialDomain}) |`);
  L.push(`| Target tenant | ${r.target.tenantId} (${r.target.initialDomain}) |`);
  L.push(`| Seeded users | ${r.users} (seed ${r.seed}) |`);
  L.push(`| Archive | ${r.archive.objects} objects, ${r.archive.bytes} bytes, manifest sha256 ${r.archive.manifestSha256} |`);
  L.push(`| Backup time | ${secs(r.timings.backupMs)} (${r.graph.backupRequests} Graph requests) |`);
  L.push(`| Recovery time (RTO achieved) | ${secs(r.timings.rtoMs)} (${r.graph.restoreRequests} Graph requests, ${r.graph.restoreWrites} writes, ${r.graph.throttled} throttled) |`);
  if (r.timings.firstGlobalAdminMs !== undefined) L.push(`| First working Global Administrator | ${secs(r.timings.firstGlobalAdminMs)} after the restore started |`);
  L.push('');
  L.push('## Damage applied', '', ...r.damage.map((d) => `- ${d}`), '');
  L.push('## Plan and recovery time per tier', '', '| Tier | Operations | Time |', '|---|---:|---:|');
  const tiers = [...new Set([...Object.keys(r.plan.perTier), ...Object.keys(r.timings.perTierMs)])].sort();
  for (const t of tiers) L.push(`| ${t} | ${r.plan.perTier[t] ?? 0} | ${secs(r.timings.perTierMs[t] ?? 0)} |`);
  L.push('', `${r.plan.reportOnly} conditional-access policies kept report-only; ${r.plan.unresolved} unresolved references.`, '');
  L.push('## Fidelity per type', '', '| Type | Objects | Attributes |', '|---|---:|---:|');
  for (const t of r.fidelity.types) {
    L.push(`| ${t.type} | ${t.objectsRestored}/${t.objectsExpected} (${pct(t.objectsRestored, t.objectsExpected)} %) | ${t.attributesMatching}/${t.attributesExpected} (${pct(t.attributesMatching, t.attributesExpected)} %) |`);
  }
  L.push('', '| Relation | Restored |', '|---|---:|');
  for (const x of r.fidelity.relations) L.push(`| ${x.kind} | ${x.restored}/${x.expected} |`);
  L.push('', '## Manual steps', '');
  if (r.manualSteps.length === 0) L.push('None.');
  for (const m of r.manualSteps) L.push(`- [ ] **${cell(m.title)}** (${m.objects.length} object(s)): ${cell(m.instructions)}`);
  L.push('', '## Deviations', '');
  if (r.deviations.length === 0) L.push('None.');
  const shown = r.deviations.slice(0, 200);
  if (shown.length) L.push('| What | Type | Object | Property | Reason |', '|---|---|---|---|---|');
  for (const d of shown) {
    L.push(`| ${d.what} | ${d.type ?? d.relation ?? ''} | ${cell(d.displayName ?? d.archivedId ?? '')} | ${d.property ?? ''} | ${cell(deviationText(d))} |`);
  }
  if (r.deviations.length > shown.length) L.push('', `… and ${r.deviations.length - shown.length} more in drill-report.json.`);
  L.push('', '## Files', '');
  for (const [k, v] of Object.entries(r.files)) L.push(`- ${k}: \`${v}\``);
  L.push('');
  return L.join('\n');
}
