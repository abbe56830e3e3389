/**
 * Child process for the SIGKILL test: runs the fixture plan against a file-backed fake
 * Graph and kills itself with SIGKILL right after journal record k is fsync'd.
 * argv: statePath journalPath k
 */
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { executePlan } from '../../src/restore/execute/executor.js';
import { openJournal, planIdentity, type JournalRecord } from '../../src/restore/execute/journal.js';
import { silentReporter } from '../../src/progress.js';
import { FakeGraph, fakeCatalog } from './fake-graph.js';
import { FakeClock, fixturePlan } from './fixture-plan.js';

const [statePath, journalPath, kText] = process.argv.slice(2) as [string, string, string];
const k = Number(kText);
const plan = fixturePlan();
const journal = openJournal(journalPath, planIdentity(plan));
const append = journal.append.bind(journal);
journal.append = (e) => {
  const r = append(e);
  if (r.seq >= k) process.kill(process.pid, 'SIGKILL');
  return r;
};
// A unit's records go out in one write: killed after record k, the file holds the records up to
// k of that write and none after (a write cut short at a line's end; a torn line is the journal
// tests' case).
const appendAll = journal.appendAll.bind(journal);
journal.appendAll = (entries) => {
  const out: JournalRecord[] = [];
  for (const e of entries) {
    const [r] = appendAll([e]);
    out.push(r!);
    if (r!.seq >= k) process.kill(process.pid, 'SIGKILL');
  }
  return out;
};
await executePlan(plan, { graph: FakeGraph.load(statePath), journal, reporter: silentReporter, clock: new FakeClock(), credentialsSink: new MemoryCredentialsSink(), enableConditionalAccess: true, catalog: fakeCatalog, concurrency: 3 });
journal.close();
