/**
 * Next steps for errors shown in the wizard. A VaultError's hint is written for the CLI
 * ("pass --identity", "use: entra-vault restore …", "--allow-rollback REASON"): in the
 * wizard nobody types flags, so such a hint is replaced by what to press on the step the
 * error is shown on (issue 12 item 14e). Hints that already name keys are kept. Only the
 * wizard maps them: the CLI's own output is unchanged. Pure.
 */
import type { ShownError, StepId } from './state.js';

/** A hint written for the command line: a flag, a command to run, or a `use:` line. */
const CLI_HINT = /(^|[\s(`'"=])--[a-z]|entra-vault [a-z]|\buse: /i;

/**
 * By code and step (`*`: any step): a next step for what the code means; when a code has
 * none for the step, the step's keys (`STEP_NEXT`) are the next step.
 */
const CODE_NEXT: Partial<Record<string, Partial<Record<StepId | '*', string>>>> = {
  ROLLBACK: {
    archive: 'choose the newest archive of this tenant, or press o on this one to type the reason (audit-logged)',
    '*': 'an older archive is restored only with a reason: esc back to the Archive step, choose it and press o to type the reason (audit-logged)',
  },
  WRONG_TENANT: { archive: 'choose an archive of the tenant you are restoring', '*': 'esc back to the Archive step and choose an archive of this tenant' },
  CONFIRM_MISMATCH: { '*': 'type the target tenant id or initial domain exactly as shown above, then enter' },
  KEY_INVALID: { unlock: 'type the path of the identity.txt made with the keys (keys init), or press tab for the passphrase' },
  FILE_NOT_FOUND: {
    unlock: 'check the path and type it again (ctrl-u clears the field), or press tab for the passphrase',
    connect: 'check the path and type it again (ctrl-u clears the field), or esc back',
  },
  PROFILE_INVALID: { connect: 'fix the connection profile file, then press enter to connect again, or esc back' },
  JOURNAL_MISMATCH: { '*': 'resume with the archive, target and scenario it started with, or answer n to the resume question to start a new restore' },
  FILE_EXISTS: { '*': 'a file the wizard would write is already there: move it away, then try again; nothing was overwritten' },
};

/** By step: what the keys of the step the error is on can do about it. */
const STEP_NEXT: Record<StepId, string> = {
  resume: 'enter resumes, n starts a new recovery, ctrl-c quits',
  scenario: 'choose a procedure with ↑↓ and enter',
  archive: 'press r to read the vault again, choose another archive, or esc back',
  unlock: 'type the key again (ctrl-u clears the field), tab for the other kind of key, or esc back',
  connect: 'type the profile path again (ctrl-u clears the field) and enter, or esc back',
  plan: 'press r to plan again, or esc back to change the archive or the target',
  confirm: 'type the target again, tab for a dry run, or esc back',
  execute: 'q quits (the journal keeps what was done: reopen the wizard to resume), l shows the log',
  report: 'q quits; the report and the log in the files view have the details',
};

/** The next step to show for `error` on `step`: its own hint unless that is written for the CLI. */
export function wizardHint(error: ShownError, step: StepId): string | undefined {
  const hint = error.hint;
  // "allow rollback with a reason" (src/vault) means the CLI's --allow-rollback without spelling it
  const cliOnly = hint !== undefined && (CLI_HINT.test(hint) || /allow rollback/i.test(hint));
  if (!cliOnly) return hint;
  const byCode = CODE_NEXT[error.code];
  return byCode?.[step] ?? byCode?.['*'] ?? STEP_NEXT[step];
}

/** `error` as the wizard shows it on `step`: the same code and message, a wizard next step. */
export function forWizard(error: ShownError, step: StepId): ShownError {
  const hint = wizardHint(error, step);
  return hint === undefined ? { code: error.code, message: error.message } : { ...error, hint };
}
