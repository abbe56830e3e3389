/**
 * The one place errors become messages and exit codes. Operator-actionable errors
 * (VaultError) print one line plus an optional hint; anything else is a bug and prints
 * one line naming it as such (the stack only with the hidden --debug flag, to stderr).
 */
import type { ErrorCode } from '../errors.js';
import { VaultError } from '../errors.js';
import { visibleText } from '../text.js';

/** Exit codes: stable, documented in README.md. */
export const EXIT = {
  ok: 0,
  /** the operation ran but did not fully succeed (restore incomplete, drill fidelity < 100%) */
  incomplete: 1,
  usage: 2,
  /** signature, integrity, tampering, rollback, wrong tenant: refuse and keep data safe */
  security: 3,
  /** Graph refused or was unreachable */
  graph: 4,
  /** other operator-actionable problems (files, keys, journal, confirmation) */
  operator: 5,
  /** the target changed since the plan was reviewed (PLAN_CHANGED): nothing was written, plan again */
  planChanged: 6,
  /** a bug */
  bug: 70,
  /** interrupted by the operator (Ctrl-C): stopped at a safe point (INTERRUPTED), 128 + SIGINT */
  interrupted: 130,
} as const;

/** The exit-code table as every `--help` prints it. */
export const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}   success (a restore: everything restored; a dry run: nothing written)
  ${EXIT.incomplete}   ran but did not fully succeed (failed, skipped or missing facts; paused; drill below 100 %); diff A B: they differ
  ${EXIT.usage}   usage error (unknown option, missing argument)
  ${EXIT.security}   refused for safety: signature, integrity, rollback, wrong tenant, audit chain
  ${EXIT.graph}   Microsoft Graph refused or was unreachable
  ${EXIT.operator}   other fixable problem: files, permissions, disk, keys, journal, confirmation
  ${EXIT.planChanged}   the target changed since the plan was reviewed: nothing written, plan again
  ${EXIT.bug}  a bug (please report it)
  ${EXIT.interrupted} interrupted (Ctrl-C): stopped at a safe point, nothing half-written`;

const securityCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SIGNATURE_INVALID', 'SIGNATURE_MISSING', 'INTEGRITY', 'TRUNCATED', 'ARCHIVE_MALFORMED',
  'ARCHIVE_UNSAFE_ENTRY', 'ARCHIVE_LIMIT', 'FORMAT_UNSUPPORTED', 'ROLLBACK', 'WRONG_TENANT', 'TARGET_TENANTS_DIFFER',
  'DECRYPT_FAILED', 'WORK_FACTOR_TOO_HIGH', 'AUDIT_CHAIN_BROKEN', 'AUDIT_INCOMPLETE', 'EVIDENCE_INVALID', 'KEY_INVALID',
  'PASSPHRASE_WRONG', 'CHAIN_BROKEN',
]);

export function exitCodeFor(e: VaultError): number {
  if (e.code === 'USAGE' || e.code === 'NO_TERMINAL' || e.code === 'ATTRIBUTE_UNSUPPORTED') return EXIT.usage;
  if (securityCodes.has(e.code)) return EXIT.security;
  if (e.code.startsWith('GRAPH_')) return EXIT.graph;
  if (e.code === 'RESTORE_INCOMPLETE' || e.code === 'DRILL_FAILED') return EXIT.incomplete;
  if (e.code === 'PLAN_CHANGED') return EXIT.planChanged;
  if (e.code === 'INTERRUPTED') return EXIT.interrupted;
  return EXIT.operator;
}

/**
 * A Node system error the operator can fix (permissions, a full disk, a directory given as a
 * file, a port in use) as a coded operator error: never reported as a bug (exit 70).
 */
export function operatorErrorOf(e: unknown): VaultError | undefined {
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  if (!(e instanceof Error) || typeof err.code !== 'string') return undefined;
  const where = err.path ? ` ${err.path}` : err.port !== undefined ? ` port ${err.port}` : '';
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      if (err.syscall === 'listen' || err.syscall === 'bind') return new VaultError('PORT_UNAVAILABLE', `not allowed to listen on${where}`, 'choose a port above 1023');
      return new VaultError('FILE_ACCESS', `permission denied:${where}`, 'check the owner and mode of that path (or run as the user who owns it)');
    case 'EROFS':
      return new VaultError('FILE_ACCESS', `read-only file system:${where}`, 'use a writable directory');
    case 'ENOSPC':
    case 'EDQUOT':
      return new VaultError('DISK_FULL', `no space left on the device${where ? ` of${where}` : ''}`, 'free space or choose another directory; nothing was published half-written');
    case 'EISDIR':
      return new VaultError('PATH_INVALID', `a directory was given where a file is expected:${where}`, 'give the file, not its directory');
    case 'ENOTDIR':
      return new VaultError('PATH_INVALID', `not a directory:${where}`, 'check the path');
    case 'ENOENT':
      return new VaultError('FILE_NOT_FOUND', `no such file or directory:${where}`, 'check the path');
    case 'EADDRINUSE':
      return new VaultError('PORT_UNAVAILABLE', `the address is already in use:${where}`, 'choose another --port, or stop what is listening there');
    case 'ERR_SOCKET_BAD_PORT':
      return new VaultError('USAGE', 'the port must be between 0 and 65535', 'pass --port 0..65535');
    default:
      return undefined;
  }
}

/** One line (no newlines inside) for any error. Never includes a stack. */
export function formatError(e: unknown): { text: string; code: number; json: Record<string, string> } {
  const fixable = e instanceof VaultError ? undefined : operatorErrorOf(e);
  if (fixable) return formatError(fixable);
  if (e instanceof VaultError) {
    const msg = oneLine(e.message);
    const hint = e.hint ? oneLine(e.hint) : undefined;
    return {
      text: `entra-vault: error [${e.code}]: ${msg}${hint ? ` (next: ${hint})` : ''}`,
      code: exitCodeFor(e),
      json: { error: e.code, message: msg, ...(hint ? { hint } : {}) },
    };
  }
  const msg = e instanceof Error ? oneLine(e.message) : oneLine(String(e));
  return {
    text: `entra-vault: internal error (a bug, please report it): ${msg}`,
    code: EXIT.bug,
    json: { error: 'BUG', message: msg },
  };
}

/** One line of visible characters: breaks collapsed, escapes and bidi controls shown (src/text.ts). */
function oneLine(s: string): string {
  return visibleText(s.replace(/\s*[\r\n]+\s*/g, ' ')).slice(0, 2000);
}
