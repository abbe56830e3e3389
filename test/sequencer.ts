/**
 * The order test files start in (vitest.config.ts `sequence.sequencer`): longest first, from
 * the per-file durations of a whole run kept in test/durations.json (`npm run test:durations`
 * refreshes it from a JSON report). Why: on a clean clone vitest has no cache of earlier runs
 * and starts the LARGEST files first; the slowest files here are small ones that drive the
 * CLI, the recovery scripts or a terminal, so they started last and ran alone at the end
 * while the other workers idled. Longest-first keeps the three workers busy until the end.
 * A file missing from the list (a new one) starts first, as vitest itself does with files it
 * has never run. The order only changes how long the run takes, never what it checks.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const DURATIONS = new URL('./durations.json', import.meta.url);

function loadDurations(): Map<string, number> {
  try {
    const parsed = JSON.parse(readFileSync(DURATIONS, 'utf8')) as { files?: Record<string, number> };
    return new Map(Object.entries(parsed.files ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    // no list (or a broken one): vitest's own order
    return new Map();
  }
}

/** Longest recorded duration first; files without one before all others, in vitest's order. */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const durations = loadDurations();
    const base = await super.sort(files);
    if (durations.size === 0) return base;
    const key = (f: TestSpecification) => relative(f.project.config.root, f.moduleId).split('\\').join('/');
    const rank = new Map(base.map((f, i) => [f, i]));
    return [...base].sort((a, b) => {
      const da = durations.get(key(a));
      const db = durations.get(key(b));
      if (da === undefined || db === undefined) return da === undefined && db !== undefined ? -1 : db === undefined && da !== undefined ? 1 : rank.get(a)! - rank.get(b)!;
      return db - da || rank.get(a)! - rank.get(b)!;
    });
  }
}
