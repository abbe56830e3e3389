/**
 * The wizard's pure text formatters: cutting and padding, counts, sizes, durations, times
 * and errors as shown. No Ink, no React: the Ink screens (ui.tsx re-exports these) and the
 * plain, linear wizard (tui/plain/) print the same words.
 */
import { isVaultError } from '../src/errors.js';
import type { ShownError } from './state.js';
import type { TenantState } from './services.js';

/** One line, cut to `width` columns with an ellipsis (wide characters count as one: we only print narrow ones). */
export function fit(text: string, width: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length <= width ? clean : `${clean.slice(0, Math.max(0, width - 1))}…`;
}

export function pad(text: string, width: number): string {
  const f = fit(text, width);
  return f + ' '.repeat(Math.max(0, width - f.length));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `2025-01-12T03:00:00Z` → `2025-01-12 03:00Z`. */
export function formatTime(iso: string): string {
  if (iso === '') return 'time unknown';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : fit(iso, 17);
}

/** Turns any rejection into what the status lines show. */
export function toShown(e: unknown): ShownError {
  if (isVaultError(e)) return { code: e.code, message: e.message, hint: e.hint };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'BUG', message: `unexpected error: ${message}`, hint: 'this is a bug in entra-vault; please report it' };
}

/** `HH:MM:SS UTC` of a time in ms since the epoch. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** The target's state as the preflight found it, in words. */
export const TENANT_STATE_TEXT: Record<TenantState, string> = {
  empty: 'empty tenant (only the initial admin)',
  adminsPresent: 'admins present',
  noAdmins: 'no Global Administrator left',
};
