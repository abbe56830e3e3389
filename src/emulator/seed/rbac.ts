/**
 * Directory RBAC of a seeded tenant: role definitions (built-in, id == templateId;
 * and custom), role assignments at tenant and administrative-unit scope to users,
 * role-assignable groups and service principals, the PIM schedules behind them, and
 * the scoped role memberships AUs expose.
 */
import type { DirObject } from '../../model.js';
import type { SeedContext } from './context.js';
import type { SeededAu, SeededGroup } from './directory.js';
import { BUILT_IN_ROLES, builtInRoleDefinition, directoryRoleId, ROLE } from './roles.js';
import { base64url, compositeId, guidBytes, iso, pastDate, Rng, SEED_NOW_MS } from './rng.js';

interface Principal { id: string; displayName: string }

export class RoleAssigner {
  constructor(private readonly ctx: SeedContext, private readonly rng: Rng) {}

  private schedule(kind: 'roleAssignmentSchedule' | 'roleEligibilitySchedule', roleDefinitionId: string, principalId: string,
    directoryScopeId: string, endMs: number | null, extra: Partial<DirObject>): void {
    const start = pastDate(this.rng, SEED_NOW_MS - 400 * 86400000, SEED_NOW_MS - 86400000);
    const id = this.rng.guid();
    this.ctx.add(kind, {
      id,
      '@odata.type': kind === 'roleAssignmentSchedule' ? '#microsoft.graph.unifiedRoleAssignmentSchedule' : '#microsoft.graph.unifiedRoleEligibilitySchedule',
      appScopeId: null,
      createdDateTime: start,
      createdUsing: id,
      directoryScopeId,
      memberType: 'Direct',
      modifiedDateTime: null,
      principalId,
      roleDefinitionId,
      scheduleInfo: {
        startDateTime: start,
        recurrence: null,
        expiration: endMs === null
          ? { type: 'noExpiration', endDateTime: null, duration: null }
          : { type: 'afterDateTime', endDateTime: iso(endMs), duration: null },
      },
      status: 'Provisioned',
      ...extra,
    });
  }

  /**
   * An active assignment and the PIM assignment schedule that backs it.
   * `endMs` null: permanent; otherwise an activation that expires then.
   */
  assign(roleDefinitionId: string, principal: Principal, directoryScopeId = '/', endMs: number | null = null): void {
    const scopeSuffix = directoryScopeId === '/' ? [] : [directoryScopeId.split('/').pop()!];
    // Graph's ids for role assignments: base64url of role and principal id bytes, then "-1"
    const id = directoryScopeId === '/'
      ? `${compositeId(roleDefinitionId, principal.id)}-1`
      : `${base64url(new Uint8Array([...guidBytes(roleDefinitionId), ...guidBytes(principal.id), ...guidBytes(scopeSuffix[0]!)]))}-1`;
    this.ctx.add('roleAssignment', {
      id,
      '@odata.type': '#microsoft.graph.unifiedRoleAssignment',
      appScopeId: null,
      condition: null,
      directoryScopeId,
      principalId: principal.id,
      principalOrganizationId: this.ctx.tenantId,
      roleDefinitionId,
    });
    this.schedule('roleAssignmentSchedule', roleDefinitionId, principal.id, directoryScopeId, endMs, { assignmentType: endMs === null ? 'Assigned' : 'Activated' });
  }

  /** A PIM eligibility (no active assignment until activated). */
  eligible(roleDefinitionId: string, principal: Principal, directoryScopeId = '/', endMs: number | null = null): void {
    this.schedule('roleEligibilitySchedule', roleDefinitionId, principal.id, directoryScopeId, endMs, {});
  }
}

/** Built-in role definitions (every tenant, the empty one too). */
export function seedBuiltInRoleDefinitions(ctx: SeedContext): void {
  for (const r of BUILT_IN_ROLES) ctx.add('roleDefinition', builtInRoleDefinition(r));
}

function customRole(rng: Rng, displayName: string, description: string, actions: string[]): DirObject {
  const id = rng.guid();
  return {
    id,
    '@odata.type': '#microsoft.graph.unifiedRoleDefinition',
    description,
    displayName,
    isBuiltIn: false,
    isEnabled: true,
    resourceScopes: ['/'],
    rolePermissions: [{ allowedResourceActions: actions, condition: null, excludedResourceActions: [] }],
    // custom roles: Graph sets templateId to the definition's own id
    templateId: id,
    version: null,
  };
}

/** Custom roles, assignments (tenant and AU scope, users, groups, SPs), PIM and scoped memberships. */
export function seedRbac(ctx: SeedContext, groups: SeededGroup[], aus: SeededAu[]): void {
  const rng = new Rng(ctx.seed, 'rbac');
  const r = new RoleAssigner(ctx, rng);
  seedBuiltInRoleDefinitions(ctx);
  const tier1 = ctx.add('roleDefinition', customRole(rng, 'Tier-1 Service Desk', 'Reset passwords and update basic profile data of standard users.',
    ['microsoft.directory/users/password/update', 'microsoft.directory/users/basic/update', 'microsoft.directory/users/invalidateAllRefreshTokens']));
  const rotator = ctx.add('roleDefinition', customRole(rng, 'App Credential Rotator', 'Rotate credentials of application registrations.',
    ['microsoft.directory/applications/credentials/update', 'microsoft.directory/servicePrincipals/credentials/update']));

  // emergency access: permanent Global Administrators (docs/graph-facts.md §7 "Prevention")
  for (const ea of ctx.emergencyAccess) r.assign(ROLE.globalAdministrator, ea);
  const cycle = [ROLE.helpdeskAdministrator, ROLE.groupsAdministrator, ROLE.applicationAdministrator, ROLE.securityAdministrator, ROLE.globalReader];
  ctx.admins.forEach((a, i) => {
    if (i === 0) r.assign(ROLE.globalAdministrator, a);
    else if (i === 1) r.assign(ROLE.privilegedRoleAdministrator, a);
    else if (i === 2) r.assign(ROLE.userAdministrator, a);
    else if (i === 3) r.assign(ROLE.conditionalAccessAdministrator, a);
    else r.assign(cycle[(i - 4) % cycle.length]!, a);
  });
  // PIM: standing eligibility for GA, and one live activation that expires
  for (const a of ctx.admins.slice(1, 3)) r.eligible(ROLE.globalAdministrator, a);
  for (const a of ctx.admins.slice(3)) if (rng.chance(0.5)) r.eligible(ROLE.securityAdministrator, a, '/', SEED_NOW_MS + 180 * 86400000);
  if (ctx.admins[2]) r.assign(ROLE.securityAdministrator, ctx.admins[2], '/', SEED_NOW_MS + 4 * 3600000);

  // the directory-sync service account
  const sync = ctx.objects.get('user')!.find((u) => (u.displayName as string).startsWith('On-Premises Directory Synchronization'));
  if (sync) r.assign(ROLE.directorySynchronizationAccounts, { id: sync.id, displayName: sync.displayName as string });

  // role-assignable groups: active and eligible
  const ra = groups.filter((g) => g.kind === 'roleAssignable');
  if (ra[0]) r.assign(ROLE.helpdeskAdministrator, ra[0]);
  if (ra[1]) r.eligible(ROLE.securityAdministrator, ra[1]);
  if (ra[2]) r.assign(ROLE.userAdministrator, ra[2]);

  // custom roles
  const itStaff = ctx.users.filter((u) => !u.guest && u.enabled && u.department.name === 'IT');
  for (const u of rng.sample(itStaff, Math.min(3, itStaff.length))) r.assign(tier1.id, u);
  const daemon = ctx.apps.find((a) => a.app.description !== null);
  if (daemon) {
    r.assign(ROLE.groupsAdministrator, { id: daemon.sp.id, displayName: daemon.displayName });
    r.assign(rotator.id, { id: daemon.sp.id, displayName: daemon.displayName });
  }

  // AU-scoped administrators, mirrored as scoped role memberships on the AU
  const scoped = aus.slice(2, 5).length ? aus.slice(2, 5) : aus.slice(0, 1);
  for (const au of scoped) {
    const admin = rng.pick(ctx.admins);
    const role = rng.chance(0.5) ? ROLE.helpdeskAdministrator : ROLE.userAdministrator;
    r.assign(role, admin, `/administrativeUnits/${au.id}`);
    ctx.add('scopedRoleMembership', {
      id: base64url(rng.bytes(32)),
      '@odata.type': '#microsoft.graph.scopedRoleMembership',
      administrativeUnitId: au.id,
      // the activated directory role's object id, never its template id (docs/graph-facts.md §3)
      roleId: directoryRoleId(ctx.tenantId, role),
      roleMemberInfo: { id: admin.id, displayName: admin.displayName },
    }, au.id);
  }
  if (itStaff[0] && aus[1]) r.eligible(ROLE.userAdministrator, itStaff[0], `/administrativeUnits/${aus[1].id}`, SEED_NOW_MS + 90 * 86400000);
}
