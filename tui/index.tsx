/**
 * Entry of the Ink wizard: `runWizard` refuses without a terminal (naming the
 * non-interactive command), then renders the App until the operator leaves.
 */
import { render } from 'ink';
import { VaultError } from '../src/errors.js';
import type { WizardServices } from './services.js';
import { App } from './app.js';

export type { WizardServices } from './services.js';
export { lazyServices } from './lazy-services.js';

export interface WizardOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Default: the NO_COLOR convention (set and non-empty disables colour). */
  noColor?: boolean;
  /** The vault whose archives are listed. Default: ENTRA_VAULT_DIR, else ./vault. */
  vaultDir?: string;
}

/**
 * Throws unless both streams are terminals: the wizard needs keys and a screen.
 * @throws VaultError NO_TERMINAL, whose hint is the equivalent non-interactive command
 */
export function assertInteractive(stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }): void {
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new VaultError(
      'NO_TERMINAL',
      'the wizard needs a terminal',
      'use: entra-vault restore ARCHIVE --target F --identity I --scenario S --confirm TENANT_ID',
    );
  }
}

/** NO_COLOR (https://no-color.org): present and not empty. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env['NO_COLOR'] === 'string' && env['NO_COLOR'] !== '';
}

/**
 * At most this many frames a second (issue 12 item 15). Ink's default, 30, redrew the whole
 * frame for nearly every progress event during Execute: a screen reader re-read it and a slow
 * link (SSH, a serial console) lagged behind. Four keep the run visibly live (the counts, the
 * elapsed time, failures as they happen) and a key still draws at once: Ink's throttle lets
 * the first change after a quiet quarter second through and coalesces the rest.
 * test/tui/wizard-redraws.test.tsx measures it during Execute.
 */
export const WIZARD_MAX_FPS = 4;

/** How the wizard asks Ink to render (the tests' terminal harness renders with the same). */
export const WIZARD_RENDER_OPTIONS = { exitOnCtrlC: false, patchConsole: false, maxFps: WIZARD_MAX_FPS } as const;

/**
 * Runs the wizard on a terminal until the operator leaves it.
 * Resolves with the exit code: 0 restored, dry-run or verified; 2 paused (resumable);
 * 1 failed; 130 left with Ctrl-C. Never calls process.exit.
 * @throws VaultError NO_TERMINAL when stdin or stdout is not a terminal
 */
export async function runWizard(services: WizardServices, opts: WizardOptions = {}): Promise<number> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  assertInteractive(stdin, stdout);
  const noColor = opts.noColor ?? noColorFromEnv();
  const vaultDir = opts.vaultDir ?? process.env['ENTRA_VAULT_DIR'] ?? 'vault';
  let code = 1;
  const instance = render(
    <App
      services={services}
      vaultDir={vaultDir}
      noColor={noColor}
      onExit={(c) => {
        code = c;
        instance.unmount();
      }}
    />,
    { ...WIZARD_RENDER_OPTIONS, stdin, stdout },
  );
  await instance.waitUntilExit();
  return code;
}
