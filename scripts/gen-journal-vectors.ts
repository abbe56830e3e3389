/**
 * Regenerates the restore-journal vectors in test/vectors/journal/ (one file per case,
 * with <case>.expected.json). Run: npx tsx scripts/gen-journal-vectors.ts
 * The journals are written by the real openJournal/append, then damaged by hand.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openJournal, type PlanIdentity } from '../src/restore/execute/journal.js';

const dir = join(import.meta.dirname, '..', 'test', 'vectors', 'journal');
mkdirSync(dir, { recursive: true });
const identity: PlanIdentity = {
  manifestSha256: 'a'.repeat(64),
  targetTenantId: '11111111-2222-3333-4444-555555555555',
  scenario: 'tenant-loss',
  planSha256: 'b'.repeat(64),
};
let t = Date.UTC(2026, 0, 1);
const clock = { now: () => new Date((t += 1000)), sleep: async () => undefined };

function base(): string {
  const p = join(dir, '.tmp.journal');
  rmSync(p, { force: true });
  const j = openJournal(p, identity, { clock });
  j.append({ opId: 'create:user:u1', state: 'started' });
  j.append({ opId: 'create:user:u1', state: 'done', liveId: 'live-u1' });
  j.append({ opId: 'create:group:g1', state: 'started' });
  j.append({ opId: 'create:group:g1', state: 'done', liveId: 'live-g1' });
  j.close();
  const text = readFileSync(p, 'utf8');
  rmSync(p);
  return text;
}

const good = base();
const lines = good.split('\n').slice(0, -1);
const cases: { name: string; text: string; description: string; expect: object; identity?: PlanIdentity }[] = [
  { name: 'valid', text: good, description: 'header and four records, chain intact', expect: { ok: true, records: 4, tornLastLine: false } },
  {
    name: 'torn-partial-last-line', text: good + lines[2]!.slice(0, 25),
    description: 'a SIGKILL during the fifth append left half a line without its newline',
    expect: { ok: true, records: 4, tornLastLine: true },
  },
  {
    name: 'bad-hash-last-line', text: [...lines.slice(0, -1), lines[lines.length - 1]!.replace('live-g1', 'live-gX'), ''].join('\n'),
    description: 'the last complete line does not match its hash: dropped, its op re-checked',
    expect: { ok: true, records: 3, tornLastLine: true },
  },
  {
    name: 'corrupt-middle-line', text: [lines[0], lines[1]!.replace('u1', 'u9'), ...lines.slice(2), ''].join('\n'),
    description: 'a record in the middle was changed: the chain breaks at line 2 and valid lines follow',
    expect: { error: 'JOURNAL_CORRUPT', line: 2 },
  },
  {
    name: 'deleted-middle-line', text: [lines[0], lines[1], ...lines.slice(3), ''].join('\n'),
    description: 'a record in the middle was removed: the next line no longer chains',
    expect: { error: 'JOURNAL_CORRUPT', line: 3 },
  },
  {
    name: 'other-plan', text: good.replace('"scenario":"tenant-loss"', '"scenario":"objects"'),
    description: 'the header names another plan (and so its hash breaks too)',
    expect: { error: 'JOURNAL_CORRUPT', line: 1 },
  },
  {
    name: 'resumed-with-another-plan', text: good, identity: { ...identity, planSha256: 'c'.repeat(64) },
    description: 'an intact journal opened for a different plan (re-planned after changes)',
    expect: { error: 'JOURNAL_MISMATCH' },
  },
];
for (const c of cases) {
  writeFileSync(join(dir, `${c.name}.journal`), c.text);
  writeFileSync(join(dir, `${c.name}.expected.json`), `${JSON.stringify({ description: c.description, identity: c.identity ?? identity, expect: c.expect }, null, 2)}\n`);
}
