/**
 * Drives the plain wizard (tui/plain/) through a stream pair, as an operator at a line
 * terminal would: wait until a question is printed, answer it with one line. `waitFor` moves
 * a cursor through the transcript, so a question asked twice is waited for twice; it polls a
 * condition (never a timing), with a generous upper bound for a busy runner.
 */
import { PassThrough } from 'node:stream';
import type { Clock } from '../../src/clock.js';
import type { WizardServices } from '../../tui/services.js';
import { runPlainWizard } from '../../tui/plain/index.js';

export interface PlainDriver {
  /** Everything printed so far. */
  transcript: () => string;
  /** Waits until `text` is printed after what was already waited for; returns the transcript up to it. */
  waitFor: (text: string, timeoutMs?: number) => Promise<string>;
  /** Waits for `question`, then answers it with `line` and Enter. */
  answer: (question: string, line: string) => Promise<void>;
  /** Ctrl-C (the CLI's SIGINT). */
  interrupt: () => void;
  /** Ends the input (Ctrl-D, a closed pipe). */
  endInput: () => void;
  /** The exit code the wizard resolves with. */
  done: Promise<number>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function drivePlain(services: WizardServices, opts: { clock?: Clock; progressEveryMs?: number } = {}): PlainDriver {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  stdout.setEncoding('utf8');
  stdout.on('data', (c: string) => (out += c));
  const stop = new AbortController();
  const done = runPlainWizard(services, {
    stdin,
    stdout,
    vaultDir: 'vault',
    signal: stop.signal,
    ...(opts.clock ? { clock: opts.clock } : {}),
    progressEveryMs: opts.progressEveryMs ?? 60_000,
  });
  let seen = 0;
  const waitFor: PlainDriver['waitFor'] = async (text, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const at = out.indexOf(text, seen);
      if (at >= 0) {
        seen = at + text.length;
        return out.slice(0, seen);
      }
      if (Date.now() > until) throw new Error(`waited for ${JSON.stringify(text)}; transcript since the last wait:\n${out.slice(seen)}`);
      await pause(5);
    }
  };
  return {
    transcript: () => out,
    waitFor,
    answer: async (question, line) => {
      await waitFor(question);
      stdin.write(`${line}\n`);
    },
    interrupt: () => stop.abort(),
    endInput: () => stdin.end(),
    done,
  };
}
