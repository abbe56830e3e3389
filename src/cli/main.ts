/**
 * The command-line entry. Parses arguments with commander, runs one command, and maps
 * every outcome to an exit code in one place (exit.ts). Never calls process.exit:
 * bin/entra-vault.js sets the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { VaultError } from '../errors.js';
import { EXIT, EXIT_CODES_HELP, formatError } from './exit.js';
import type { CliIo } from './io.js';
import { writeLine } from './io.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';
import { installMemLog } from './mem-log.js';

export type { CliIo } from './io.js';

/** Runs the CLI with `argv` (without node and script). Resolves to the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const stopMemLog = installMemLog(io.env);
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
      // commander's own usage errors are re-printed as our one-line format below; help it
      // prints as an error (a command group given without its subcommand) is kept
      writeErr: (s) => void (helpAsError += s),
    });
  let helpAsError = '';
  program.addOption(new Option('--debug', 'print stack traces of internal errors to stderr').hideHelp());
  // global: accepted before or after the command name, and listed in every --help
  program.configureHelp({ showGlobalOptions: true });
  program.addOption(new Option('-q, --quiet', 'print only errors and the final result (no progress)').conflicts('verbose'));
  program.addOption(new Option('--verbose', 'also print every step and Graph request (method, path, status; never a secret)'));
  // the commands share this io; the choice above is known only once argv is parsed
  const cmdIo: CliIo = { ...io };
  program.hook('preAction', () => {
    const g = program.opts<{ quiet?: boolean; verbose?: boolean }>();
    cmdIo.verbosity = g.quiet ? 'quiet' : g.verbose ? 'verbose' : 'normal';
  });
  registerCommands(program, cmdIo, setExit);
  // every --help ends with the exit codes scripts rely on (docs/design.md "Interfaces")
  const withExitCodes = (c: Command): void => {
    c.addHelpText('after', EXIT_CODES_HELP);
    for (const sub of c.commands) withExitCodes(sub);
  };
  withExitCodes(program);

  const wantsJson = argv.includes('--json');
  try {
    if (argv.length === 0) argv = ['wizard'];
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      if (e.code === 'commander.help') {
        // `entra-vault vault` alone: its help, on stderr, and a usage exit
        io.stderr.write(helpAsError);
        return EXIT.usage;
      }
      // a mistyped option reads better than the required one it hid (`--vualt` → "missing --vault")
      const unknown = e.code === 'commander.missingMandatoryOptionValue' ? unknownOption(program, argv) : undefined;
      if (unknown) return report(new VaultError('USAGE', unknown, 'run entra-vault COMMAND --help for its options'), io, wantsJson, false);
      const msg = e.message.replace(/^error:\s*/i, '');
      const err = new VaultError('USAGE', msg, 'run entra-vault --help (or COMMAND --help)');
      return report(err, io, wantsJson, argv.includes('--debug'));
    }
    return report(e, io, wantsJson, argv.includes('--debug'));
  } finally {
    stopMemLog();
  }
}

function report(e: unknown, io: CliIo, json: boolean, debug: boolean): number {
  const f = formatError(e);
  if (json) writeLine(io.stdout, JSON.stringify(f.json));
  writeLine(io.stderr, f.text);
  if (debug && e instanceof Error && !(e instanceof VaultError) && e.stack) writeLine(io.stderr, e.stack);
  return f.code;
}

/** The first `--option` in argv that no command defines, with the nearest known one. */
function unknownOption(program: Command, argv: readonly string[]): string | undefined {
  const known = new Set<string>(['--help', '--version', '--debug']);
  const walk = (c: Command): void => {
    for (const o of c.options) if (o.long) known.add(o.long);
    for (const sub of c.commands) walk(sub);
  };
  walk(program);
  for (const a of argv) {
    if (!a.startsWith('--')) continue;
    const flag = a.split('=')[0]!;
    if (known.has(flag)) continue;
    const near = [...known].map((k) => [k, editDistance(flag, k)] as const).sort((x, y) => x[1] - y[1])[0];
    return `unknown option '${flag}'${near && near[1] <= 2 ? ` (did you mean ${near[0]}?)` : ''}`;
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      // a swap of two neighbours counts as one edit (--vualt / --vault)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
