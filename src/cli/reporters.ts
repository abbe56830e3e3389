/**
 * Two non-interactive renderers of the Reporter interface: JSON lines (for scripts,
 * `--json`) and short human lines on stderr. The Ink wizard is the third renderer.
 * The global `--quiet` / `--verbose` filter is applied here, in one place (cliReporter).
 */
import type { ProgressEvent, Reporter } from '../progress.js';
import { silentReporter } from '../progress.js';
import { visibleText } from '../text.js';

/**
 * The global `--quiet` / `--verbose` choice. quiet: no progress at all (errors and the
 * command's result lines are not reporter events and still print); normal: phases, throttled
 * progress, warnings; verbose: also every Graph request (method, redacted path, status:
 * src/graph/logging.ts) and every retry, never a body, header, token or secret.
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/**
 * The reporter a command gets: `format` chooses the renderer, `verbosity` what reaches it.
 * JSON lines carry every event except under --quiet (scripts filter them by `kind`).
 */
export function cliReporter(out: NodeJS.WritableStream, format: 'jsonl' | 'text', verbosity: Verbosity = 'normal'): Reporter {
  if (verbosity === 'quiet') return silentReporter;
  return format === 'jsonl' ? jsonLinesReporter(out) : textReporter(out, { verbose: verbosity === 'verbose' });
}

export function jsonLinesReporter(out: NodeJS.WritableStream): Reporter {
  return { report: (e) => void out.write(`${JSON.stringify({ ts: new Date().toISOString(), ...e })}\n`) };
}

/** Human progress on stderr, throttled so a fast loop does not flood the terminal. */
export function textReporter(out: NodeJS.WritableStream, opts: { verbose?: boolean } = {}): Reporter {
  let lastProgress = 0;
  return {
    report(e: ProgressEvent) {
      // messages carry display names and Graph's words: shown, never interpreted (src/text.ts)
      const raw = render(e, opts.verbose ?? false);
      const line = raw === undefined ? undefined : visibleText(raw);
      if (line === undefined) return;
      // a failed operation is always printed (issue 12 item 12); other progress at most once a second
      if (e.kind === 'progress' && e.outcome !== 'failed') {
        const now = Date.now();
        if (now - lastProgress < 1000 && e.done !== e.total) return;
        lastProgress = now;
      }
      out.write(`${line}\n`);
    },
  };
}

function render(e: ProgressEvent, verbose: boolean): string | undefined {
  switch (e.kind) {
    case 'phase':
      return `== ${e.phase}: ${e.message}`;
    case 'progress': {
      if (e.outcome === 'failed') return `   failed: ${e.item}: ${e.reason ?? 'no reason given'}`;
      const total = e.total !== undefined ? `/${e.total}` : '';
      const rate = e.ratePerSec !== undefined ? ` (${e.ratePerSec.toFixed(0)}/s)` : '';
      return `   ${e.phase} ${e.item}: ${e.done}${total}${rate}`;
    }
    case 'throttled':
      return `   throttled (${e.status}) on ${e.path}: waiting ${(e.waitMs / 1000).toFixed(1)} s`;
    case 'retry':
      return verbose ? `   retry ${e.attempt} on ${e.path}: ${e.reason}` : undefined;
    case 'warning':
      return `   warning [${e.code}]: ${e.message}`;
    case 'log':
      return verbose || e.level === 'info' ? `   ${e.message}` : undefined;
    case 'done':
      return `== ${e.phase} done in ${(e.elapsedMs / 1000).toFixed(1)} s: ${e.message}`;
  }
}
