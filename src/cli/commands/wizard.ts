import { VaultError } from '../../errors.js';
import type { CliIo } from '../io.js';

/**
 * Whether the wizard runs plain and linear (lines, no redraws; issue 12 item 15): asked for
 * with --plain, or a terminal that cannot move its cursor (TERM=dumb: an Emacs shell, some
 * screen-reader and serial consoles), where the Ink frames would pile up as garbage.
 */
export function wantsPlainWizard(o: { plain?: boolean }, env: Record<string, string | undefined>): boolean {
  return o.plain === true || env['TERM'] === 'dumb';
}

/**
 * The wizard lives in tui/ (Ink + React), which src/ never imports: the entry point
 * (bin/entra-vault.js) injects the launcher. Without a terminal it refuses and names
 * the non-interactive commands, unless --plain asked for the line wizard, which reads its
 * answers from any input (a pipe too: the passphrase is then read as a line, never echoed).
 */
export async function wizardCommand(o: { vault: string; plain?: boolean }, io: CliIo): Promise<number> {
  const plain = wantsPlainWizard(o, io.env);
  if (o.plain !== true && (!io.stdin.isTTY || !io.stdout.isTTY)) {
    throw new VaultError('NO_TERMINAL', 'the wizard needs a terminal',
      'use: entra-vault restore ARCHIVE --target F --identity I --scenario S --confirm TENANT_ID (or entra-vault drill, entra-vault --help)');
  }
  if (!io.launchWizard) throw new VaultError('NO_TERMINAL', 'the wizard is not available in this build', 'use the non-interactive commands (entra-vault --help)');
  return io.launchWizard({ vault: o.vault, plain });
}
