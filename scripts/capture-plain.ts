/**
 * Writes docs/wizard/plain-transcript.txt: a whole session of the plain wizard
 * (`entra-vault wizard --plain`, issue 12 item 15) as an operator reads it, from a real run.
 * The built CLI (`node bin/entra-vault.js`) runs over a vault made by a 40-user tenant-loss
 * drill and restores into the built-in emulator; this script answers each question once it is
 * printed (through a pipe, so the wizard echoes each answer after its question, as a terminal
 * would show it), with one typo at the confirmation to show that it asks again.
 *
 *   npx tsx scripts/capture-plain.ts [outFile]
 *     (builds dist/ if stale; default outFile docs/wizard/plain-transcript.txt)
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, drillVault, ensureBuilt } from '../test/tui/real-vault.js';

/** The questions in the order they are asked, and the answer to each (from what was printed so far). */
function answers(identity: string): Array<[string, (printed: string) => string]> {
  const domain = (printed: string): string => /Domain: (\S+)/.exec(printed)?.[1] ?? '';
  return [
    ['Which procedure do you run?', () => '1'],
    ['Which archive do you use?', () => ''],
    ['How do you unlock it?', () => '1'],
    ['What is the path of the age identity file?', () => identity],
    ['Where do you restore to?', () => '2'],
    ['Continue with this target?', () => ''],
    ['Go on to the typed confirmation?', () => '1'],
    ['Rebuild tenant', () => '1'],
    ['Do you write to this tenant?', () => '1'],
    // a typo first: the wizard asks again
    ['type its tenant id or initial domain', (p) => domain(p).replace(/\d+\./, '.')],
    ['type its tenant id or initial domain', domain],
    ['Start the run now?', () => '1'],
  ];
}

/** Runs the plain wizard, answering as it asks; resolves with the transcript and the exit code. */
function session(vault: string, identity: string, cwd: string): Promise<{ text: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, 'wizard', '--plain', '--vault', vault], { cwd, env: { ...process.env, CI: '' } });
  const queue = answers(identity);
  let text = '';
  let seen = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    text += chunk;
    for (let next = queue[0]; next; next = queue[0]) {
      const at = text.indexOf(next[0], seen);
      if (at < 0) break;
      seen = at + next[0].length;
      queue.shift();
      child.stdin.write(`${next[1](text)}\n`);
    }
  });
  child.stderr.pipe(process.stderr);
  return new Promise((resolve) => child.on('close', (code) => resolve({ text, code })));
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(ROOT, 'docs', 'wizard', 'plain-transcript.txt');
  await ensureBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'ev-plain-capture-'));
  try {
    const v = await drillVault(join(dir, 'drill'));
    await mkdir(join(dir, 'run'));
    const { text, code } = await session(v.vault, v.identity, join(dir, 'run'));
    await writeFile(out, text);
    process.stdout.write(`wrote ${out} (${text.split('\n').length} lines; the wizard exited ${code})\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
