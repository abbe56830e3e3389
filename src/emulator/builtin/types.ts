/**
 * Shapes of the generated built-in tenant content (./generated/tenant-builtins.ts, written by
 * scripts/gen-builtins.ts from vendor/tenant-builtins/).
 */

/** A built-in directory role as the permissions reference lists it. */
export interface BuiltinRoleData {
  templateId: string;
  displayName: string;
  description: string;
  privileged: boolean;
  /** allowedResourceActions; null where the role's include file is not vendored yet. */
  actions: readonly string[] | null;
}

/** One of Microsoft Graph's application permissions. */
export interface GraphPermissionData {
  id: string;
  value: string;
  displayName: string;
  description: string;
  isEnabled: boolean;
}

/** One of Microsoft Graph's delegated permissions. */
export interface GraphScopeData extends GraphPermissionData {
  isAdmin: boolean;
  userDisplayName: string | null;
  userDescription: string | null;
}

export interface FirstPartyAppData {
  appId: string;
  displayName: string;
}

export interface SkuData {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  servicePlans: ReadonlyArray<{ servicePlanId: string; servicePlanName: string }>;
}
