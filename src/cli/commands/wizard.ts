import { VaultError } from '../../errors.js';
import type { CliIo } from '../io.js';

/**
 * The wizard lives in tui/ (Ink + React), which src/ never imports: the entry point
 * (bin/entra-vault.js) injects the launcher. Without a terminal it refuses and names
 * the non-interactive commands.
 */
export async function wizardCommand(o: { vault: string }, io: CliIo): Promise<number> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    throw new VaultError('NO_TERMINAL', 'the wizard needs a terminal',
      'use: entra-vault restore ARCHIVE --target F --identity I --scenario S --confirm TENANT_ID (or entra-vault drill, entra-vault --help)');
  }
  if (!io.launchWizard) throw new VaultError('NO_TERMINAL', 'the wizard is not available in this build', 'use the non-interactive commands (entra-vault --help)');
  return io.launchWizard({ vault: o.vault });
}
