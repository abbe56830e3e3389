/**
 * A pseudo-terminal for end-to-end tests, driven through tmux (Debian package `tmux`):
 * a detached session of a fixed size runs the command, `send-keys` types, and
 * `capture-pane` reads the screen as text. Arguments go to tmux as arrays (execa,
 * no shell), and every session gets its own socket so tests never touch the user's tmux.
 * Caveat: tmux can drop output a program writes in the instant before it exits, so
 * assert on the screen while the program runs (or have it linger briefly).
 */
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyOptions {
  /** Program and its arguments, run inside the pane. */
  command: string[];
  cols?: number;
  rows?: number;
  cwd?: string;
  /** Extra environment for the program (e.g. NO_COLOR). */
  env?: Record<string, string>;
}

export interface Pty {
  /** Types text literally (no key-name interpretation). */
  type(text: string): Promise<void>;
  /** Sends tmux key names: 'Enter', 'Escape', 'Up', 'Down', 'Tab', 'C-c', 'BSpace' … */
  keys(...names: string[]): Promise<void>;
  /** The visible screen, one string per row, trailing spaces removed. */
  screen(): Promise<string>;
  /** Polls the screen until it contains `text` (or the predicate holds); throws with the last screen. */
  waitFor(what: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Resolves with the program's exit status once it has ended (the pane is kept for this). */
  exitCode(timeoutMs?: number): Promise<number>;
  /**
   * Pid of the program itself (the child of the pane's wrapper shell), for tests that
   * kill it hard; undefined once it has ended.
   */
  programPid(): Promise<number | undefined>;
  /** Resizes the terminal (the program gets SIGWINCH, as from a real terminal window). */
  resize(cols: number, rows: number): Promise<void>;
  /** Kills the session and its server. Safe to call twice. */
  close(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `command` in a detached tmux session of cols×rows (80×24 by default).
 * @throws when tmux is not installed or the session cannot start
 */
export async function spawnPty(opts: PtyOptions): Promise<Pty> {
  const socket = `ev-${randomUUID()}`;
  const session = 'e2e';
  const tmux = (args: string[]) => execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { reject: true });
  const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // tmux's #{pane_dead_status} is sometimes never recorded (seen under load): the program
  // runs under a small shell that writes its exit status (128+n for a signal) to a file.
  const statusFile = join(tmpdir(), `${socket}.status`);
  // One command sequence, so the pane is kept (for its exit status) even when the
  // program ends before a separate set-option call could run.
  await tmux([
    'start-server', ';',
    'set-option', '-g', 'remain-on-exit', 'on', ';',
    'new-session', '-d', '-s', session,
    '-x', String(opts.cols ?? 80), '-y', String(opts.rows ?? 24),
    ...(opts.cwd ? ['-c', opts.cwd] : []),
    ...envArgs, '-e', `EV_STATUS_FILE=${statusFile}`,
    '--', 'sh', '-c', 'trap : INT; "$@"; echo $? > "$EV_STATUS_FILE"', 'sh', ...opts.command,
  ]);
  let closed = false;

  const screen = async (): Promise<string> => {
    const { stdout } = await tmux(['capture-pane', '-p', '-t', session]);
    return stdout.replace(/[ \t]+$/gm, '');
  };

  const pty: Pty = {
    async type(text) {
      await tmux(['send-keys', '-t', session, '-l', '--', text]);
    },
    async keys(...names) {
      for (const n of names) await tmux(['send-keys', '-t', session, n]);
    },
    screen,
    async waitFor(what, timeoutMs = 10_000) {
      const test = typeof what === 'string' ? (s: string) => s.includes(what) : what;
      const until = Date.now() + timeoutMs;
      for (;;) {
        const s = await screen();
        if (test(s)) return s;
        if (Date.now() > until) throw new Error(`pty: waited for ${typeof what === 'string' ? JSON.stringify(what) : 'a condition'}; screen:\n${s}`);
        await pause(50);
      }
    },
    async exitCode(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const text = await readFile(statusFile, 'utf8').catch(() => '');
        if (/^\d+\n$/.test(text)) return Number(text.trim());
        if (Date.now() > until) throw new Error('pty: the program did not exit');
        await pause(50);
      }
    },
    async programPid() {
      const { stdout } = await tmux(['display-message', '-p', '-t', session, '#{pane_pid}']);
      const shell = Number(stdout.trim());
      // the wrapper shell runs the program as its only child (env execs it in place)
      const ps = await execa('ps', ['-o', 'pid=', '--ppid', String(shell)], { reject: false });
      const pid = Number(ps.stdout.trim().split(/\s+/)[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
    async resize(cols, rows) {
      await tmux(['resize-window', '-t', session, '-x', String(cols), '-y', String(rows)]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
      await rm(statusFile, { force: true });
    },
  };
  return pty;
}
