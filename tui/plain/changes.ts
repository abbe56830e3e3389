/**
 * "What changed since this archive?" in the plain wizard (issue 18 item 3), offered on the
 * Archive step before the point to restore is chosen, as in the Ink wizard
 * (tui/steps/archive-changes.tsx): with a connected target (the operator came back to this
 * step) the chosen archive is compared with the tenant; without one, two archives of the
 * vault are compared, the older as A. Read only: nothing is chosen, unlocked or written.
 * The report is printed grouped by risk with the counts per group (tui/changes-rows.ts),
 * each change numbered; a number prints that change whole, Enter alone goes back to the list.
 */
import type { ArchiveInfo, ChangesRequest } from '../services.js';
import { preselectArchive } from '../state.js';
import { changeDetail, changeRows, changesSummary } from '../changes-rows.js';
import { sayFailure, type PlainCtx } from './context.js';
import { waitReporter } from './progress.js';
import { archiveChoice } from './setup.js';

/** The request: the archive against the connected target, or two archives (older first). */
async function askRequest(ctx: PlainCtx, archives: ArchiveInfo[]): Promise<ChangesRequest> {
  const pre = Math.max(0, preselectArchive(archives));
  const choices = (list: ArchiveInfo[]) => list.map((a) => ({ label: archiveChoice(a, archives), value: a }));
  const p = ctx.state.preflight;
  if (p) {
    ctx.io.say(`A target is connected (${p.initialDomain}): the archive is compared with the tenant as it is now.`);
    const a = await ctx.io.choose('Since which archive?', choices(archives), { default: pre });
    return { kind: 'live', archivePath: a.path };
  }
  ctx.io.say('No target is connected yet: two archives of the vault are compared, the older as A. To compare an archive with the live tenant, connect first and come back to this step.');
  const a = await ctx.io.choose('Since which archive (A)?', choices(archives), { default: pre });
  const others = archives.filter((x) => x.path !== a.path);
  const same = others.findIndex((x) => x.tenantId === a.tenantId);
  const b = await ctx.io.choose('Up to which archive (B)?', choices(others), same >= 0 ? { default: same } : {});
  const [older, newer] = a.takenAt <= b.takenAt ? [a, b] : [b, a];
  return { kind: 'archives', olderPath: older.path, newerPath: newer.path };
}

/** Asks what to compare, compares (with progress lines), prints the report and the details asked for. */
export async function changesSinceStep(ctx: PlainCtx, archives: ArchiveInfo[]): Promise<void> {
  const compare = ctx.services.changesSince?.bind(ctx.services);
  if (!compare) return;
  let req = await askRequest(ctx, archives);
  if (ctx.state.unlockedWith === null) {
    const id = await ctx.io.ask('The archives are decrypted to compare them. Which age identity file? (Enter alone: the key this session already holds)');
    if (id !== '') req = { ...req, identityPath: id };
  }
  ctx.io.say('Comparing (read only: nothing is chosen, unlocked or written)…');
  const progress = waitReporter(ctx);
  let report;
  try {
    report = await ctx.io.wait(compare(req, { reporter: progress.reporter }));
  } catch (e) {
    return sayFailure(ctx, e);
  } finally {
    progress.stop();
  }
  ctx.io.say(...changesSummary(report));
  const rows = changeRows(report);
  const numbered = rows.filter((r) => r.kind === 'change');
  let n = 0;
  for (const r of rows) ctx.io.say(r.kind === 'group' ? r.text : `  ${++n}) ${r.text}`);
  for (;;) {
    const answer = await ctx.io.ask(numbered.length === 0 ? 'Press Enter to go back to the archives:' : 'Show a change whole? Type its number, or press Enter alone to go back to the archives:');
    if (answer === '') return;
    const row = numbered[Number(answer) - 1];
    if (!/^\d+$/.test(answer) || !row) {
      ctx.io.say(`"${answer}" is not a change's number: type one from 1-${numbered.length}.`);
      continue;
    }
    const d = changeDetail(row);
    ctx.io.say(d.title, ...d.fields.flatMap(([label, text]) => text.split('\n').map((l, i) => `  ${i === 0 ? `${label}:` : ' '.repeat(label.length + 1)} ${l}`)));
  }
}
