/**
 * Directory settings the emulator answers outside the catalog's generic routes (issue 15 item
 * 10): the group lifecycle policy (./group-lifecycle.ts) and one group's settings
 * (./group-settings.ts), the device settings (./device-settings.ts), a partner's identity synchronization (./cross-tenant-sync.ts), the multi-tenant organization (./multi-tenant-org.ts) and the org contacts' refused writes (./org-contacts.ts) and the people settings (./people-settings.ts). One entry point, so the dispatcher (./resources.ts) names it once.
 */
import type { Answer, Ctx } from './context.js';
import { groupLifecycleRoute } from './group-lifecycle.js';
import { groupSettingsRoute } from './group-settings.js';
import { deviceSettingsRoute } from './device-settings.js';
import { crossTenantSyncRoute } from './cross-tenant-sync.js';
import { multiTenantOrgRoute } from './multi-tenant-org.js';

import { orgContactsRoute } from './org-contacts.js';
import { peopleSettingsRoute } from './people-settings.js';

/** Undefined when neither module answers the call. */
export function directorySettingsRoute(ctx: Ctx, segs: readonly string[]): Answer | undefined {
  return groupLifecycleRoute(ctx, segs) ?? groupSettingsRoute(ctx, segs) ?? deviceSettingsRoute(ctx, segs) ?? crossTenantSyncRoute(ctx, segs) ?? multiTenantOrgRoute(ctx, segs) ?? orgContactsRoute(ctx, segs) ?? peopleSettingsRoute(ctx, segs);
}
