/**
 * The device authorization grant (docs/graph-facts.md §6 "Device code"): `/devicecode`
 * hands out a device code and a user code; the token endpoint answers
 * `authorization_pending` until the code is completed — in the emulator by a drill control
 * (`TenantControl.completeDeviceCode`), standing in for the operator signing in on
 * another device — then `expired_token` after `expires_in`, and `bad_verification_code`
 * for a code it never issued or already redeemed.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** How long a device code lives (Entra's default `expires_in`). */
export const DEVICE_CODE_LIFETIME_S = 900;
/**
 * Seconds between polls. Entra says 5; the emulator says 1 so a test's sign-in is seen
 * within a second (MSAL sleeps exactly `interval` seconds between polls).
 */
export const DEVICE_CODE_INTERVAL_S = 1;

export interface PendingDeviceCode {
  deviceCode: string;
  userCode: string;
  tenantId: string;
  clientId: string;
  scope: string;
  expiresAtMs: number;
  /** The user who completed the sign-in (object id and UPN); undefined while pending. */
  signedIn?: { id: string; userPrincipalName: string };
}

export type DeviceCodePoll =
  | { outcome: 'pending' }
  | { outcome: 'expired' }
  | { outcome: 'unknown' }
  | { outcome: 'signedIn'; code: PendingDeviceCode };

/** Device codes of one emulator, across its tenants. */
export class DeviceCodes {
  private readonly byDevice = new Map<string, PendingDeviceCode>();

  issue(tenantId: string, clientId: string, scope: string, nowMs: number): PendingDeviceCode {
    const letters = 'BCDFGHJKLMNPQRSTVWXZ';
    let userCode = '';
    for (let i = 0; i < 9; i++) userCode += letters[randomInt(letters.length)];
    const c: PendingDeviceCode = {
      deviceCode: randomBytes(32).toString('base64url'),
      userCode,
      tenantId,
      clientId,
      scope,
      expiresAtMs: nowMs + DEVICE_CODE_LIFETIME_S * 1000,
    };
    this.byDevice.set(c.deviceCode, c);
    return c;
  }

  /** What the token endpoint answers for a device code; a signed-in code is redeemed once. */
  poll(deviceCode: string, clientId: string, nowMs: number): DeviceCodePoll {
    const c = this.byDevice.get(deviceCode);
    if (!c || c.clientId !== clientId) return { outcome: 'unknown' };
    if (nowMs > c.expiresAtMs) {
      this.byDevice.delete(deviceCode);
      return { outcome: 'expired' };
    }
    if (!c.signedIn) return { outcome: 'pending' };
    this.byDevice.delete(deviceCode);
    return { outcome: 'signedIn', code: c };
  }

  /**
   * Completes the sign-in for a user code of `tenantId`. Returns false when no live code
   * of that tenant has this user code.
   */
  complete(tenantId: string, userCode: string, user: { id: string; userPrincipalName: string }, nowMs: number): boolean {
    for (const c of this.byDevice.values()) {
      if (c.userCode === userCode.toUpperCase() && c.tenantId.toLowerCase() === tenantId.toLowerCase() && nowMs <= c.expiresAtMs && !c.signedIn) {
        c.signedIn = user;
        return true;
      }
    }
    return false;
  }
}
