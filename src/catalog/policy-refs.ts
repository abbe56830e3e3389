/**
 * References held inside tenant policy singletons (the authentication methods policy and the
 * cross-tenant access policy): group, user and app targets the restore re-links
 * (used by ./resources.ts).
 */
import type { ReferenceRule } from './types.js';

/**
 * Group targets inside the authentication methods policy singleton (issue 11 item 11):
 * the registration campaign's include/exclude targets. A target is a group id or `all_users`; the all-zero GUID is Graph's "no group" value.
 */
const AUTH_TARGET_SPECIALS = ['all_users', '00000000-0000-0000-0000-000000000000'] as const;
export const AUTH_METHODS_POLICY_REFS: readonly ReferenceRule[] = [
  'registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets.id',
  'registrationEnforcement.authenticationMethodsRegistrationCampaign.excludeTargets.id',
  // reportSuspiciousActivitySettings and systemCredentialPreferences are not in the v1.0
  // schema the backup reads (src/catalog/generated/graph-v1.0.ts), so not declared here.
].map((path) => ({ path, by: 'id' as const, targets: ['group'] as const, specialValues: AUTH_TARGET_SPECIALS, required: true }));
/** Microsoft Authenticator `featureSettings.*.includeTarget/excludeTarget` (group or all_users). */
export const AUTHENTICATOR_FEATURE_REFS: readonly ReferenceRule[] = [
  // the v1.0 featureSettings (companionAppAllowedState, numberMatchingRequiredState are beta)
  'displayAppInformationRequiredState', 'displayLocationInformationRequiredState',
].flatMap((f) => ['includeTarget', 'excludeTarget'].map((t) => ({
  path: `featureSettings.${f}.${t}.id`, by: 'id' as const, targets: ['group'] as const, specialValues: AUTH_TARGET_SPECIALS, required: true,
})));
export const CROSS_TENANT_REFS: readonly ReferenceRule[] = [
  ...(['b2bCollaborationOutbound', 'b2bDirectConnectOutbound'] as const).map((p): ReferenceRule => ({
    path: `${p}.usersAndGroups.targets.target`, by: 'id', targets: ['user', 'group'], specialValues: ['AllUsers'], required: true,
  })),
  ...(['b2bCollaborationInbound', 'b2bDirectConnectInbound'] as const).map((p): ReferenceRule => ({
    path: `${p}.applications.targets.target`, by: 'appId', targets: ['servicePrincipal'],
    specialValues: ['AllApplications', 'Office365'], required: true,
  })),
];
