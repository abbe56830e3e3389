/**
 * The contract between the seed generator (emulator/seed/index.ts) and the emulator's
 * store (emulator/store.ts): a tenant as plain data, plus the lab credentials the
 * token endpoint accepts. The seed knows nothing of HTTP; the store nothing of names.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, TenantData } from '../../model.js';

/** A client-credentials secret for an app registered in the seeded tenant (lab only). */
export interface LabCredential {
  /** The application's appId (the OAuth client_id). */
  clientId: string;
  secret: string;
  /** What the profile is for. */
  role: 'backupReader' | 'restoreWriter' | 'breakGlass';
  /**
   * Certificates registered on the app for certificate profiles: the keyCredential's
   * `keyId` and its base64 DER `key`, which Graph never returns on reads (docs/graph-facts.md §2).
   */
  certificates?: LabCertificate[];
}

/** The public half of a lab app's certificate credential (never the private key). */
export interface LabCertificate {
  keyId: string;
  /** base64 of the certificate's DER encoding. */
  key: string;
}

export interface SeededTenant extends TenantData {
  /** Soft-deleted objects already in the recycle bins at seed time, by type. */
  deleted: Partial<Record<ResourceType, DirObject[]>>;
  credentials: LabCredential[];
  /**
   * Objects marked as synced from on-premises AD (onPremisesSyncEnabled true):
   * their ids, so directory-sync simulation can bring them back after a loss.
   */
  onPremisesIds: string[];
  /**
   * Contained objects (extension properties and federated identity credentials under
   * their application, app role assignments under their resource service principal,
   * scoped role memberships under their AU, branding under the organization,
   * authentication method configurations, cross-tenant default and partners under
   * their policy singleton): child id →
   * parent id, so the store can file each under its parent's path. Optional, added by
   * the seed generator; Graph itself never returns a parent id in these objects.
   */
  parents?: Record<string, string>;
}

export interface SeedOptions {
  seed: number;
  /** Number of users; groups, apps, policies and relations scale from it. */
  users: number;
  /** Fixed tenant id; otherwise derived from the seed. */
  tenantId?: string;
}

export interface EmptyTenantOptions {
  seed: number;
  tenantId?: string;
}
