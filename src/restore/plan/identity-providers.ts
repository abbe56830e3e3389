/**
 * Identity providers whose secret Graph never returns (docs/graph-facts.md §3 "Identity
 * providers"): a social provider cannot be created without its client secret, and a read
 * returns "****". So a restore never creates one: it is skipped with this reason (fidelity
 * reports it, the exit code says so) and a manual step names each provider with the exact
 * values to re-enter and the secret to supply. A built-in provider is Entra's own. Pure.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject } from '../../model.js';
import type { ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

const BUILT_IN = '#microsoft.graph.builtInIdentityProvider';
const STEP_ID = 'manual:identityProviders';

/** Why an archived object missing in the target is not created, for identity providers (undefined: other types). */
export function identityProviderSkipReason(type: ResourceType, obj: DirObject): string | undefined {
  if (type !== 'identityProvider') return undefined;
  if (obj['@odata.type'] === BUILT_IN) return 'a built-in identity provider: Microsoft Entra adds it, Graph cannot create it';
  return `its secret is never readable through Graph (read back as ****): re-create the provider and enter its secret (${STEP_ID})`;
}

/** The listener kinds POST creates (docs/graph-facts.md §3 "Authentication event listeners", S250). */
const CREATABLE_LISTENERS = new Set(['#microsoft.graph.onTokenIssuanceStartListener', '#microsoft.graph.onFraudProtectionLoadStartListener',
  '#microsoft.graph.onVerifiedIdClaimValidationListener']);

/**
 * Why an archived authentication event listener is not created (undefined: it is, or another type).
 * One with an `authenticationEventsFlowId` (read-only, S250) belongs to a sign-up events flow,
 * which "creates, modifies, or deletes" the listeners it manages (docs/graph-facts.md S361): it
 * comes back with that flow, which this restore writes when the archive holds it
 * (src/catalog/events-flows.ts), never on its own. One of a kind POST does not create is the same.
 * Skipped with this reason, so fidelity reports it. `flowName` names an archived flow (undefined: not archived).
 */
export function listenerSkipReason(type: ResourceType, obj: DirObject, flowName: (id: string) => string | undefined = () => undefined): string | undefined {
  if (type !== 'authenticationEventListener') return undefined;
  const flow = obj['authenticationEventsFlowId'];
  const kind = String(obj['@odata.type']).replace('#microsoft.graph.', '');
  if (typeof flow === 'string' && flow !== '') {
    const name = flowName(flow);
    return name !== undefined
      ? `part of the sign-up events flow ${name}: Entra recreates it with that flow, which this restore writes`
      : `part of the sign-up events flow ${flow}, which the archive does not hold: recreate that flow (Entra recreates its listeners)`;
  }
  if (!CREATABLE_LISTENERS.has(String(obj['@odata.type']))) return `a ${kind} is not created by POST: it comes with its sign-up events flow`;
  return undefined;
}

/** The values an operator types in again: every non-secret property the archive holds. */
function valuesOf(o: DirObject): string {
  const skip = new Set(['id', '@odata.type', 'displayName', 'clientSecret', 'certificateData']);
  return Object.entries(o)
    .filter(([k, v]) => !skip.has(k) && v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** The secret a provider needs, by its kind. */
function secretOf(o: DirObject): string {
  return o['@odata.type'] === '#microsoft.graph.appleManagedIdentityProvider' ? 'the Apple private key (certificateData)' : 'the client secret';
}

/** The manual step for the identity providers the plan skipped (undefined: none). */
export function identityProviderStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>): ManualStep | undefined {
  const providers = (skipped ?? [])
    .filter((s) => s.type === 'identityProvider')
    .map((s) => archivedById.get(s.archivedId)?.obj)
    .filter((o): o is DirObject => o !== undefined && o['@odata.type'] !== BUILT_IN)
    .sort((a, b) => cmp(a.id, b.id));
  if (providers.length === 0) return undefined;
  const lines = providers.map((o) => `${String(o['displayName'] ?? o.id)} (${o.id}, ${String(o['@odata.type']).replace('#microsoft.graph.', '')}): ${valuesOf(o)}; enter ${secretOf(o)}`);
  return {
    id: STEP_ID,
    kind: 'clientSecret',
    title: `Re-create ${providers.length} identity provider(s) and enter their secrets`,
    instructions: `Graph never returns an identity provider's secret, so these are not created. In the Entra admin center (External Identities › All identity providers) add each again with these values and the secret from the provider's developer console: ${lines.join('; ')}.`,
    objects: providers.map((o) => o.id),
  };
}
