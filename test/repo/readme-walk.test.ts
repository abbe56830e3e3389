/**
 * Issue 16: the README's shell commands run as written. Every fenced ```sh / ```bash block of
 * README.md is split into commands, and each runs in order (the built CLI: run
 * `npx tsc -p tsconfig.json` first) in a fresh temporary directory, against the built-in
 * emulator, and must exit as the README says: 0, or the `# exit N` at the end of its line.
 * A trailing `&` starts the command in the background (the emulator); it is stopped with
 * SIGINT after the last command and must then exit 0.
 *
 * Adjustments, so the walk stays under a minute on a 2-core machine:
 * - every `--users N` above ENTRA_VAULT_README_USERS (default 20) runs with that many users
 *   (the README's counts are for a full-scale run; `ENTRA_VAULT_README_USERS=5000` walks them
 *   as written);
 * - `npm run drill` runs the package script with `-- --users U --out <tmp>/…` appended
 *   (commander keeps the last value), so it neither seeds 500 users nor writes into the checkout.
 * The commands that do not run are in SKIP, each with its reason; a README command that is
 * neither runnable nor skipped fails the test, and so does a skip the README no longer has.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = process.cwd();
const BIN = join(REPO, 'bin', 'entra-vault.js');
const USERS = Number(process.env.ENTRA_VAULT_README_USERS ?? '20');

/** README commands that are not run, and why (matched on the command without its comment). */
const SKIP: Record<string, string> = {
  'npm ci': 'installs from the registry (network) and rebuilds; the walk runs on an installed, built checkout whose node_modules may be shared',
  'npm test': 'the whole suite (about 9 minutes), this file included: the walk would run itself',
  'npm run test:fast': 'runs the test suite from inside a test; CI runs it on its own',
  'node bin/entra-vault.js drill --scenario tenant-loss --faults throttle429=0.3,lag=500 --out drill-out/faults':
    'waits out Graph\'s Retry-After on purpose: measured 283 s even with 20 users on 2 cores; the same faults are tested by test/ops/faults-restore.test.ts and npm run test:soak',
};

interface ReadmeCommand {
  line: string;
  /** The command without its comment and `&`. */
  command: string;
  expectExit: number;
  background: boolean;
}

/** The commands of every ```sh / ```bash block, in order. */
function readmeCommands(markdown: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  for (const m of markdown.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)) {
    for (const raw of m[1]!.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const exit = /\s#\s*exit (\d+)\b/.exec(line);
      let command = line.replace(/\s+#.*$/, '').trim();
      const background = command.endsWith('&');
      if (background) command = command.slice(0, -1).trim();
      out.push({ line, command, expectExit: exit ? Number(exit[1]) : 0, background });
    }
  }
  return out;
}

/** The program and arguments a README command runs as (no shell), with the walk's adjustments. */
function argvFor(command: string, tmp: string): { file: string; args: string[]; cwd: string } {
  const words = command.split(/\s+/).map((w, i, all) => (all[i - 1] === '--users' && Number(w) > USERS ? String(USERS) : w));
  if (words[0] === 'npm' && words[1] === 'run' && words[2] === 'drill' && words.length === 3) {
    return { file: 'npm', args: ['run', 'drill', '--', '--users', String(USERS), '--out', join(tmp, 'drill-out', 'npm-run-drill')], cwd: REPO };
  }
  const cli = words[0] === 'node' && words[1] === 'bin/entra-vault.js' ? 2
    : words[0] === 'npx' && words[1] === 'entra-vault' ? 2
      : words[0] === 'entra-vault' ? 1 : -1;
  if (cli < 0) throw new Error(`README command the walk cannot run: ${command} (run it through the CLI, or add it to SKIP with a reason)`);
  return { file: process.execPath, args: [BIN, ...words.slice(cli)], cwd: tmp };
}

describe('README walk (issue 16)', () => {
  it('runs every README shell command in order and each exits as the README says', { tags: ['slow'] }, async () => {
    if (!existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npx tsc -p tsconfig.json before this test');
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    // a fence with text after it (```` ``` Every… ````) never closes: the blocks after it are misread
    expect(readme.split('\n').filter((l) => l.startsWith('```') && !/^```[a-z]*$/.test(l))).toEqual([]);
    const commands = readmeCommands(readme);
    // a skip whose command left the README is stale: drop it with the README change
    const present = new Set(commands.map((c) => c.command));
    expect(Object.keys(SKIP).filter((s) => !present.has(s))).toEqual([]);

    const tmp = await mkdtemp(join(tmpdir(), 'ev-readme-'));
    const background: { command: string; proc: ResultPromise }[] = [];
    const ran: string[] = [];
    try {
      for (const c of commands) {
        if (SKIP[c.command] !== undefined) continue;
        const { file, args, cwd } = argvFor(c.command, tmp);
        if (c.background) {
          const proc = execa(file, args, { cwd, reject: false, stdin: 'ignore' });
          background.push({ command: c.command, proc });
          // ready once it says so (the emulator prints one line when it listens)
          await new Promise<void>((resolve, reject) => {
            let seen = '';
            proc.stdout!.on('data', (d: Buffer) => {
              seen += String(d);
              if (seen.includes('ready')) resolve();
            });
            void proc.then((r) => reject(new Error(`${c.command} ended before it was ready (exit ${r.exitCode}): ${String(r.stderr)}`)));
          });
        } else {
          const r = await execa(file, args, { cwd, reject: false, stdin: 'ignore' });
          expect(r.exitCode, `${c.line}\n${String(r.stderr)}`).toBe(c.expectExit);
          if (c.expectExit !== 0) expect(String(r.stderr), c.line).toMatch(/^entra-vault: error \[[A-Z_]+\]/m);
        }
        ran.push(c.command);
      }
    } finally {
      for (const b of background) b.proc.kill('SIGINT');
    }
    for (const b of background) expect((await b.proc).exitCode, `${b.command} after SIGINT`).toBe(0);

    // the drills left their reports where the README says
    expect(existsSync(join(tmp, 'drill-out', 'npm-run-drill', 'drill-report.md'))).toBe(true);
    expect(existsSync(join(tmp, 'drill-out', 'admins', 'drill-report.md'))).toBe(true);
    // the walk backed up twice into the lab vault (the mistyped vault got nothing)
    const tenants = (await readdir(join(tmp, 'drill-out', 'lab', 'vault'), { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
    expect(tenants).toHaveLength(1);
    expect((await readdir(join(tmp, 'drill-out', 'lab', 'vault', tenants[0]!.name))).filter((f) => f.endsWith('.evault'))).toHaveLength(2);
    expect(existsSync(join(tmp, 'drill-out', 'lab', 'vualt'))).toBe(false);
    expect(ran.length).toBeGreaterThanOrEqual(10);
  });
});
