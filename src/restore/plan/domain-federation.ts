/**
 * Domain federation (`/domains/{id}/federationConfiguration`, docs/graph-facts.md §3 "Domain
 * federation"): a domain can be federated only once it exists and is verified. After a tenant
 * loss the custom domains come back unverified (DNS verification is a manual step), so their
 * federation configurations are skipped with this reason and a manual step lists them; a
 * restore run again after verification creates them, signing certificates (public) included.
 * Pure.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject } from '../../model.js';
import type { ManualStep, Plan } from '../types.js';
import { parentIdOf } from '../catalog.js';
import { cmp } from '../json.js';

const STEP_ID = 'manual:domainFederation';
/** What the operator checks or sets by hand (the signing certificates are written by the next run). */
const SHOWN = ['issuerUri', 'passiveSignInUri', 'activeSignInUri', 'signOutUri', 'metadataExchangeUri', 'preferredAuthenticationProtocol', 'federatedIdpMfaBehavior', 'promptLoginBehavior'];

/** Why a federation configuration is not created now (undefined: other types, or its domain is verified). */
export function federationSkipReason(type: ResourceType, obj: DirObject, verifiedDomains: readonly string[]): string | undefined {
  if (type !== 'domainFederation') return undefined;
  const domain = parentIdOf(obj) ?? '';
  if (verifiedDomains.some((d) => d.toLowerCase() === domain.toLowerCase())) return undefined;
  return `its domain ${domain} is not verified in the target: verify it (manual:domainVerification), then run the restore again to federate it (${STEP_ID})`;
}

/** The manual step for the federation configurations the plan skipped (undefined: none). */
export function domainFederationStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>): ManualStep | undefined {
  const configs = (skipped ?? [])
    .filter((s) => s.type === 'domainFederation')
    .map((s) => archivedById.get(s.archivedId)?.obj)
    .filter((o): o is DirObject => o !== undefined)
    .sort((a, b) => cmp(parentIdOf(a) ?? '', parentIdOf(b) ?? ''));
  if (configs.length === 0) return undefined;
  const lines = configs.map((o) => `${parentIdOf(o) ?? '?'}: ${SHOWN.filter((k) => typeof o[k] === 'string').map((k) => `${k} ${String(o[k])}`).join(', ')}`);
  return {
    id: STEP_ID,
    kind: 'other',
    title: `Federate ${configs.length} domain(s) again once verified`,
    instructions: `A domain can be federated only after it is verified. Verify each domain (manual:domainVerification), then run the restore again: it creates the federation configuration as archived, signing certificates included. The values: ${lines.join('; ')}.`,
    objects: configs.map((o) => o.id),
  };
}
