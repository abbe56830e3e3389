/**
 * The command-line entry. Parses arguments with commander, runs one command, and maps
 * every outcome to an exit code in one place (exit.ts). Never calls process.exit:
 * bin/entra-vault.js sets the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { VaultError } from '../errors.js';
import { EXIT, formatError } from './exit.js';
import type { CliIo } from './io.js';
import { writeLine } from './io.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

export type { CliIo } from './io.js';

/** Runs the CLI with `argv` (without node and script). Resolves to the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (c: number) => {
    exitCode = c;
  };
  const program = new Command('entra-vault')
    .description('Disaster recovery for Microsoft Entra ID tenants: encrypted, signed snapshots and guided recovery.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // commander's own usage errors are re-printed as our one-line format below
      writeErr: () => undefined,
    });
  program.addOption(new Option('--debug', 'print stack traces of internal errors to stderr').hideHelp());
  registerCommands(program, io, setExit);

  const wantsJson = argv.includes('--json');
  try {
    if (argv.length === 0) argv = ['wizard'];
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      const msg = e.message.replace(/^error:\s*/i, '');
      const err = new VaultError('USAGE', msg, 'run entra-vault --help (or COMMAND --help)');
      return report(err, io, wantsJson, argv.includes('--debug'));
    }
    return report(e, io, wantsJson, argv.includes('--debug'));
  }
}

function report(e: unknown, io: CliIo, json: boolean, debug: boolean): number {
  const f = formatError(e);
  if (json) writeLine(io.stdout, JSON.stringify(f.json));
  writeLine(io.stderr, f.text);
  if (debug && e instanceof Error && !(e instanceof VaultError) && e.stack) writeLine(io.stderr, e.stack);
  return f.code;
}

