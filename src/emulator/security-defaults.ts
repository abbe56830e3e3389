/**
 * Security defaults and Conditional Access exclude each other: while the tenant's
 * security defaults are on, a CA policy cannot be switched on. Graph answers 400 with
 * "Security Defaults is enabled in the tenant. You must disable Security defaults before
 * enabling a Conditional Access policy." (reported verbatim by administrators importing
 * CA policies through Graph, github.com/j0eyv/ConditionalAccessBaseline/issues/17; the rule:
 * https://learn.microsoft.com/entra/fundamentals/security-defaults "Conditional Access").
 * Report-only and disabled policies may be created, as the Entra admin center allows.
 */
import type { DirObject } from '../model.js';
import { badRequest } from './graph-error.js';
import type { TenantStore } from './store.js';

export function securityDefaultsOn(store: TenantStore): boolean {
  for (const o of store.live.get('identitySecurityDefaultsEnforcementPolicy')?.values() ?? []) if (o.isEnabled === true) return true;
  return false;
}

/** @throws GraphHttpError 400 when `policy` would be enabled while security defaults are on */
export function checkSecurityDefaults(store: TenantStore, policy: DirObject): void {
  if (policy.state === 'enabled' && securityDefaultsOn(store)) {
    throw badRequest('Security Defaults is enabled in the tenant. You must disable Security defaults before enabling a Conditional Access policy.');
  }
}
