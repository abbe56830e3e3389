/**
 * The two kinds of error (docs/engineering.md): operator-actionable errors carry a stable
 * `code`, a one-line message and a next step; everything else is a bug. The CLI maps
 * both to messages and exit codes in one place (src/cli/exit.ts).
 */

/** Stable error codes. Scripts and auditors match on these: never rename one. */
export type ErrorCode =
  // usage
  | 'USAGE'
  | 'NO_TERMINAL'
  /** an attribute name the attributes scenario cannot restore for the selected type */
  | 'ATTRIBUTE_UNSUPPORTED'
  | 'CONFIG_INVALID'
  | 'PROFILE_INVALID'
  | 'FILE_NOT_FOUND'
  | 'FILE_EXISTS'
  /** Permission denied or a read-only file system (EACCES, EPERM, EROFS). */
  | 'FILE_ACCESS'
  /** No space left (ENOSPC, EDQUOT). */
  | 'DISK_FULL'
  /** A directory where a file was expected, or the reverse (EISDIR, ENOTDIR). */
  | 'PATH_INVALID'
  /** The port to listen on is taken or not allowed (EADDRINUSE, EACCES on listen). */
  | 'PORT_UNAVAILABLE'
  // keys and crypto
  | 'KEY_INVALID'
  | 'PASSPHRASE_WRONG'
  | 'DECRYPT_FAILED'
  | 'WORK_FACTOR_TOO_HIGH'
  // archives and vault
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_MISSING'
  | 'INTEGRITY'
  | 'TRUNCATED'
  | 'ARCHIVE_MALFORMED'
  | 'ARCHIVE_UNSAFE_ENTRY'
  | 'ARCHIVE_LIMIT'
  | 'FORMAT_UNSUPPORTED'
  | 'ROLLBACK'
  | 'WRONG_TENANT'
  | 'VAULT_INVALID'
  /** `--vault` names a directory with no vault.json (backup without --init) */
  | 'VAULT_NOT_FOUND'
  | 'AUDIT_CHAIN_BROKEN'
  /** A signed archive in the vault that the audit log does not record (src/vault/reconcile.ts). */
  | 'AUDIT_INCOMPLETE'
  /**
   * An incremental archive's chain cannot be followed: a parent missing, unsigned, of another
   * tenant, or not older (docs/archive-format.md §12).
   */
  | 'CHAIN_BROKEN'
  // graph
  | 'GRAPH_AUTH'
  | 'GRAPH_FORBIDDEN'
  | 'GRAPH_NOT_FOUND'
  | 'GRAPH_THROTTLED'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_BAD_RESPONSE'
  | 'GRAPH_REQUEST_FAILED'
  // restore
  | 'CONFIRM_MISMATCH'
  /** several `--target` profiles (recovery apps) that do not all name the same tenant */
  | 'TARGET_TENANTS_DIFFER'
  | 'JOURNAL_CORRUPT'
  | 'JOURNAL_MISMATCH'
  | 'PLAN_BLOCKED'
  /** the plan recomputed at execution differs from the plan the operator reviewed (--expect-plan) */
  | 'PLAN_CHANGED'
  | 'RESTORE_INCOMPLETE'
  | 'DRILL_FAILED'
  | 'EVIDENCE_INVALID'
  /**
   * The operator interrupted the command (Ctrl-C, SIGINT/SIGTERM) and it stopped at a safe
   * point: a backup added nothing to the vault, a drill wrote no report (exit 130).
   */
  | 'INTERRUPTED';

/**
 * An error the operator can act on. `message` is one line and never contains a
 * secret; `hint` is the next step ("run … with --identity"), also one line.
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `e` is an operator-actionable error (optionally of the given code). */
export function isVaultError(e: unknown, code?: ErrorCode): e is VaultError {
  return e instanceof VaultError && (code === undefined || e.code === code);
}
