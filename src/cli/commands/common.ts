/** What the commands share: the choice of progress renderer. (Policy lives in src/ops.) */
import type { Reporter } from '../../progress.js';
import type { CliIo } from '../io.js';
import { cliReporter } from '../reporters.js';

/**
 * Progress always goes to stderr (JSON lines with --json, short text otherwise), so
 * stdout carries only the command's result and `cmd --json > result.json` just works.
 * `ENTRA_VAULT_PROGRESS=jsonl|text` in the environment chooses the format regardless of
 * --json: the wizard asks the recovery scripts' commands for JSON lines to show their
 * progress live, and a script keeps text progress for a person while saving --json results.
 * The global --quiet / --verbose (io.verbosity) decides how much of it is printed.
 */
export function reporterFor(io: CliIo, json: boolean | undefined): Reporter {
  const forced = io.env.ENTRA_VAULT_PROGRESS;
  const format = forced === 'jsonl' || forced === 'text' ? forced : json ? 'jsonl' : 'text';
  return cliReporter(io.stderr, format, io.verbosity);
}
