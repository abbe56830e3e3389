/**
 * What Graph cannot give back, as explicit manual steps (docs/design.md "Restore"):
 * passwords, MFA registrations, client secrets and certificates (metadata only, never
 * values), domain verification, licences, on-premises synced objects and CA policies
 * left report-only. Pure.
 */
import type { DirObject, Json } from '../../model.js';
import type { ManualStep, Operation, Plan } from '../types.js';
import { displayNameOf } from '../diff.js';
import { cmp } from '../json.js';

export interface ManualInput {
  operations: Operation[];
  archivedById: Map<string, DirObject>;
  domainMap: Record<string, string>;
  /** Ids of the missing objects synced from on-premises. */
  syncedMissingIds: ReadonlySet<string>;
  reportOnly: Plan['reportOnly'];
  /** Dynamic groups whose rule processing was paused: their frozen members cannot be written. */
  pausedDynamicGroups?: DirObject[];
}

function credentialLines(owner: DirObject, prop: 'passwordCredentials' | 'keyCredentials'): string[] {
  const list = owner[prop];
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const c of list) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
    const s = (k: string): string => {
      const v: Json | undefined = c[k];
      return typeof v === 'string' ? v : '';
    };
    // Metadata only: secretText/key/hint are never copied (docs/graph-facts.md §2 "Never readable").
    const bits = [s('displayName') || '(unnamed)', `keyId ${s('keyId') || '?'}`];
    if (prop === 'keyCredentials') bits.push(`${s('type') || 'key'}/${s('usage') || '?'}`);
    if (s('customKeyIdentifier')) bits.push(`thumbprint ${s('customKeyIdentifier')}`);
    if (s('endDateTime')) bits.push(`expired/expires ${s('endDateTime')}`);
    out.push(`${displayNameOf(owner)}: ${bits.join(', ')}`);
  }
  return out;
}

/** Passwords and MFA methods of recreated accounts (users and the emergency-access admin). */
function accountSteps(users: DirObject[], breakGlass: number): ManualStep[] {
  const steps: ManualStep[] = [];
  if (users.length || breakGlass) {
    steps.push({
      id: 'manual:password',
      kind: 'password',
      title: `Temporary passwords for ${users.length + breakGlass} recreated account(s)`,
      instructions:
        'Recreated users get a new temporary password (or issue a Temporary Access Pass) generated at execution and written only to the encrypted credentials file; deliver each one to its owner out of band. Passwords are never printed or logged.',
      objects: users.map((u) => u.id).sort(cmp),
    });
    steps.push({
      id: 'manual:mfaRegistration',
      kind: 'mfaRegistration',
      title: 'Re-register FIDO2 keys, Authenticator and phone methods',
      instructions:
        'Authentication methods of recreated users cannot be restored through Graph. Each user (and the emergency-access account) registers FIDO2/passkey and Microsoft Authenticator again, e.g. with a Temporary Access Pass.',
      objects: users.map((u) => u.id).sort(cmp),
    });
  }
  return steps;
}

/** New client secrets and certificates for recreated apps (archived metadata only, never values). */
function appCredentialSteps(apps: DirObject[]): ManualStep[] {
  const steps: ManualStep[] = [];
  const secrets = apps.flatMap((a) => credentialLines(a, 'passwordCredentials').map((l) => ({ id: a.id, l })));
  if (secrets.length) {
    steps.push({
      id: 'manual:clientSecret',
      kind: 'clientSecret',
      title: `New client secrets for ${new Set(secrets.map((s) => s.id)).size} recreated app(s)`,
      instructions: `Secrets cannot be read back or recreated with their old values: add new ones (addPassword) and update every client configuration. Archived secrets: ${secrets.map((s) => s.l).join('; ')}.`,
      objects: [...new Set(secrets.map((s) => s.id))].sort(cmp),
    });
  }
  const certs = apps.flatMap((a) => credentialLines(a, 'keyCredentials').map((l) => ({ id: a.id, l })));
  if (certs.length) {
    steps.push({
      id: 'manual:certificate',
      kind: 'certificate',
      title: `Upload certificates for ${new Set(certs.map((s) => s.id)).size} recreated app(s)`,
      instructions: `Upload the public certificates again (keyCredentials). Archived certificates: ${certs.map((s) => s.l).join('; ')}.`,
      objects: [...new Set(certs.map((s) => s.id))].sort(cmp),
    });
  }
  return steps;
}

/** Users of the archived tenant's own initial domain, which only that tenant can hold: on the target's, for good. */
function initialNote(initial: readonly string[], domainMap: Readonly<Record<string, string>>): string {
  if (initial.length === 0) return '';
  return ` Users of ${initial.join(', ')} (the archived tenant's own initial domain, which no other tenant can add) are created on ${initial.map((d) => domainMap[d]).filter((v, i, a) => a.indexOf(v) === i).join(', ')} and stay there.`;
}

/** DNS verification of archived domains the target lacks, and licences of recreated users. */
function domainAndLicenceSteps(input: ManualInput, users: DirObject[], created: DirObject[]): ManualStep[] {
  const steps: ManualStep[] = [];
  // another tenant's <name>.onmicrosoft.com is never added nor verified here: its users stay on the target's own
  const ownedElsewhere = (d: string): boolean => d.toLowerCase().endsWith('.onmicrosoft.com');
  const domains = Object.keys(input.domainMap).filter((d) => !ownedElsewhere(d)).sort(cmp);
  const initial = Object.keys(input.domainMap).filter(ownedElsewhere).sort(cmp);
  const createdDomains = created.map((d) => d.id).sort(cmp);
  if (domains.length || createdDomains.length) {
    const all = [...new Set([...domains, ...createdDomains])].sort(cmp);
    const mapped = domains.map((d) => `${d} → ${input.domainMap[d] as string}`).join(', ');
    steps.push({
      id: 'manual:domainVerification',
      kind: 'domainVerification',
      title: `Verify ${all.length} domain(s) by DNS`,
      instructions: `Add the DNS TXT records the target tenant shows for ${all.join(', ')} and verify them.${mapped ? ` Until then users are created on the initial domain (${mapped}); run an attributes restore of userPrincipalName afterwards.` : ''}${domainSettings(created)}${initialNote(initial, input.domainMap)}`,
      objects: createdDomains,
    });
  }
  const licensed = users.filter((u) => Array.isArray(u['assignedLicenses']) && (u['assignedLicenses'] as Json[]).length > 0);
  if (licensed.length) {
    const skus = new Set<string>();
    for (const u of licensed) {
      for (const l of u['assignedLicenses'] as Json[]) {
        if (l && typeof l === 'object' && !Array.isArray(l) && typeof l['skuId'] === 'string') skus.add(l['skuId']);
      }
    }
    steps.push({
      id: 'manual:licence',
      kind: 'licence',
      title: `Assign licences to ${licensed.length} recreated user(s)`,
      instructions: `Licences need subscriptions in the target tenant; assign them again (assignLicense or group-based licensing). SKU ids: ${[...skus].sort(cmp).join(', ')}.`,
      objects: licensed.map((u) => u.id).sort(cmp),
    });
  }
  return steps;
}

/** A created domain's settings beyond its name, archived as they were. */
const DOMAIN_SETTINGS = ['isDefault', 'supportedServices', 'passwordValidityPeriodInDays', 'passwordNotificationWindowInDays'] as const;

/**
 * The archived settings of the domains the plan creates: a create names the domain only, and
 * "Only verified domains can be updated" (docs/graph-facts.md S68), so they are set after the
 * verification, by an attributes restore of the domains or in the admin center.
 */
function domainSettings(created: DirObject[]): string {
  const lines = created.sort((a, b) => cmp(a.id, b.id)).map((d) => {
    const set = DOMAIN_SETTINGS.filter((k) => d[k] !== undefined && d[k] !== null).map((k) => `${k} ${JSON.stringify(d[k])}`);
    return set.length ? `\n- ${d.id}: ${set.join(', ')}` : '';
  }).join('');
  return lines ? ` Once verified, set each domain's settings as archived (restore --scenario attributes --objects <the domains> --attributes ${DOMAIN_SETTINGS.join(',')}, or the admin center):${lines}` : '';
}

/** What directory sync, dynamic-group rules and CA review leave to the operator. */
function reviewSteps(input: ManualInput): ManualStep[] {
  const steps: ManualStep[] = [];
  if (input.syncedMissingIds.size) {
    steps.push({
      id: 'manual:onPremisesSync',
      kind: 'onPremisesSync',
      title: `Let directory sync bring back ${input.syncedMissingIds.size} on-premises object(s)`,
      instructions:
        'Objects synced from on-premises AD are not recreated through Graph. Run directory sync (Entra Connect / Cloud Sync) against the target, then plan again: entra-vault matches them by onPremisesImmutableId / SID and re-applies their cloud-only attributes and relationships.',
      objects: [...input.syncedMissingIds].sort(cmp),
    });
  }
  const paused = input.pausedDynamicGroups ?? [];
  if (paused.length) {
    steps.push({
      id: 'manual:pausedDynamicGroups',
      kind: 'other',
      title: `Re-evaluate ${paused.length} dynamic group(s) with paused rule processing`,
      instructions:
        `Entra computes dynamic groups' members from their rule and refuses manual member changes; these groups had processing paused, so their members were frozen: ${paused.map((g) => displayNameOf(g)).sort(cmp).join(', ')}. Set membershipRuleProcessingState to On, review the members the rule gives, then pause it again if needed.`,
      objects: paused.map((g) => g.id).sort(cmp),
    });
  }
  if (input.reportOnly.length) {
    steps.push({
      id: 'manual:conditionalAccessReview',
      kind: 'conditionalAccessReview',
      title: `Review ${input.reportOnly.length} CA policy(ies) left report-only`,
      instructions:
        'These policies reference objects that could not be resolved; they are restored report-only and never enabled by this plan. Fix or remove the references, then enable them by hand. A reference marked "not in the archive" named nothing in the source either (Graph keeps the id of a deleted user or group in a policy), so the policy enforced the same there without it: once you have checked it is not an exclusion you still need, remove it and enable the policy.',
      objects: input.reportOnly.map((r) => r.archivedId).sort(cmp),
    });
  }
  return steps;
}

/** The manual steps a plan needs, in a fixed order (deterministic). */
export function manualSteps(input: ManualInput): ManualStep[] {
  const created = input.operations.filter((o): o is Extract<Operation, { kind: 'create' }> => o.kind === 'create');
  const createdOf = (t: string): DirObject[] =>
    created.filter((o) => o.type === t).map((o) => input.archivedById.get(o.archivedId)).filter((o): o is DirObject => o !== undefined);
  const users = createdOf('user');
  const breakGlass = input.operations.filter((o) => o.kind === 'createBreakGlassAdmin').length;
  return [
    ...accountSteps(users, breakGlass),
    ...appCredentialSteps([...createdOf('application'), ...createdOf('servicePrincipal')]),
    ...domainAndLicenceSteps(input, users, createdOf('domain')),
    ...reviewSteps(input),
  ];
}
