/**
 * Guests' sponsors (issue 15 item 10): every guest is sponsored by an enabled cloud member, and
 * the first guest also by a security group, as administrators record who answers for a guest's
 * access (docs/graph-facts.md S195). Deterministic (no draw), so the rest of the seed is unchanged.
 */
import type { SeedContext } from './context.js';
import type { SeededGroup } from './directory.js';

export function seedSponsors(ctx: SeedContext, groups: readonly SeededGroup[]): void {
  const sponsors = ctx.users.filter((u) => !u.guest && !u.hybrid && u.enabled && !ctx.admins.includes(u) && !ctx.emergencyAccess.includes(u));
  if (sponsors.length === 0) return;
  const group = groups.find((g) => g.kind === 'security');
  ctx.users.filter((u) => u.guest).forEach((guest, i) => {
    ctx.rel('userSponsors', guest.id, sponsors[(i * 7) % sponsors.length]!.id, 'user');
    if (i === 0 && group) ctx.rel('userSponsors', guest.id, group.id, 'group');
  });
}
