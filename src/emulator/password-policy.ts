/**
 * Entra's password policy for cloud users, which Graph applies to the `passwordProfile.password`
 * of a created or updated user (docs/graph-facts.md §3 "Users", S400): 8 to 256 characters, only
 * A–Z, a–z, 0–9, the listed symbols and the blank space (no other Unicode), and three of the four
 * kinds (lowercase, uppercase, digits, symbols). A restore's temporary passwords must pass it, so
 * the emulator refuses what Graph refuses, with Graph's message.
 */
import { badRequest } from './graph-error.js';

/** The symbols the policy allows ("Characters allowed"), the blank space apart. */
const SYMBOLS = '@#$%^&*-_!+=[]{}|\\:\',.?/`~"();<>';

/** Graph's answer to a password the policy refuses (400 Request_BadRequest). */
export const PASSWORD_REFUSED = 'The specified password does not comply with password complexity requirements. Please provide a different password.';

/** True when `password` meets the policy above. */
export function meetsPasswordPolicy(password: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  for (const ch of password) {
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (SYMBOLS.includes(ch)) symbol = true;
    else if (ch !== ' ') return false;
  }
  return [lower, upper, digit, symbol].filter(Boolean).length >= 3;
}

/**
 * Refuses the password of a `passwordProfile` value the policy does not allow; a profile without a
 * password (a PATCH of its flags only) passes.
 * @throws GraphHttpError 400 Request_BadRequest with Graph's message
 */
export function checkPasswordPolicy(passwordProfile: unknown): void {
  const password = passwordProfile !== null && typeof passwordProfile === 'object' ? (passwordProfile as { password?: unknown }).password : undefined;
  if (typeof password === 'string' && !meetsPasswordPolicy(password)) throw badRequest(PASSWORD_REFUSED);
}
