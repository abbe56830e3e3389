/**
 * Settings Graph keeps in beta only (src/report/limits.ts SCHEMA_LIMITS): the backup, which
 * reads v1.0, cannot archive them, so a tenant-loss restore cannot bring them back. The plan
 * says so as a manual step naming the authentication methods policy it restores (issue 11
 * item 11). Other scenarios restore into the tenant that still holds them. Pure.
 */
import type { TenantData } from '../../model.js';
import type { ManualStep, ScenarioName } from '../types.js';

/** Its id: about settings the archive does not hold, so it explains no missing fact (restore/fidelity.ts). */
export const BETA_SETTINGS_STEP_ID = 'manual:betaOnlySettings';

export function betaSettingsStep(archive: TenantData, scenario: ScenarioName): ManualStep | undefined {
  if (scenario !== 'tenant-loss') return undefined;
  const policy = archive.objects.authenticationMethodsPolicy?.[0];
  if (!policy) return undefined;
  return {
    id: BETA_SETTINGS_STEP_ID,
    kind: 'other',
    title: 'Set again the authentication methods settings Graph v1.0 cannot read',
    instructions:
      'Report suspicious activity and system-preferred multifactor authentication (with their include and exclude groups) exist only in the Graph beta API, which the backup does not read. Set them again in the Entra admin center (Protection > Authentication methods > Settings) as the lost tenant had them; the runbook of the lost tenant or its change records say how.',
    objects: [policy.id],
  };
}
