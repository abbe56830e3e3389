/**
 * The one place errors become messages and exit codes. Operator-actionable errors
 * (VaultError) print one line plus an optional hint; anything else is a bug and prints
 * one line naming it as such (the stack only with the hidden --debug flag, to stderr).
 */
import type { ErrorCode } from '../errors.js';
import { VaultError } from '../errors.js';

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
} as const;

const securityCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SIGNATURE_INVALID', 'SIGNATURE_MISSING', 'INTEGRITY', 'TRUNCATED', 'ARCHIVE_MALFORMED',
  'ARCHIVE_UNSAFE_ENTRY', 'ARCHIVE_LIMIT', 'FORMAT_UNSUPPORTED', 'ROLLBACK', 'WRONG_TENANT',
  'DECRYPT_FAILED', 'WORK_FACTOR_TOO_HIGH', 'AUDIT_CHAIN_BROKEN', 'EVIDENCE_INVALID', 'KEY_INVALID',
  'PASSPHRASE_WRONG',
]);

export function exitCodeFor(e: VaultError): number {
  if (e.code === 'USAGE' || e.code === 'NO_TERMINAL' || e.code === 'ATTRIBUTE_UNSUPPORTED') return EXIT.usage;
  if (securityCodes.has(e.code)) return EXIT.security;
  if (e.code.startsWith('GRAPH_')) return EXIT.graph;
  if (e.code === 'RESTORE_INCOMPLETE' || e.code === 'DRILL_FAILED') return EXIT.incomplete;
  if (e.code === 'PLAN_CHANGED') return EXIT.planChanged;
  return EXIT.operator;
}

/** One line (no newlines inside) for any error. Never includes a stack. */
export function formatError(e: unknown): { text: string; code: number; json: Record<string, string> } {
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

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, 2000);
}
