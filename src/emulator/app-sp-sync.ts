/**
 * A home-tenant service principal follows its application: "Any changes that you make to your
 * application object are also reflected in its service principal object in the application's
 * home tenant only" (docs/graph-facts.md §3 "Applications and service principals", S65). The SP exposes the
 * app's `appRoles` and `api.oauth2PermissionScopes` as its own `appRoles` and
 * `oauth2PermissionScopes`, and names the app in `appDisplayName`.
 */
import type { DirObject, Json } from '../model.js';
import type { TenantStore } from './store.js';

/** Copies the exposed roles and scopes (and the app's name) onto the app's SP in this tenant, if any. */
export function syncServicePrincipal(store: TenantStore, app: DirObject, changed: Record<string, Json>): void {
  if (!('appRoles' in changed) && !('api' in changed) && !('displayName' in changed)) return;
  const sp = typeof app.appId === 'string' ? store.byKey('servicePrincipal', 'appId', app.appId) : undefined;
  if (!sp) return;
  const api = app.api as Record<string, Json> | null | undefined;
  store.replace('servicePrincipal', {
    ...sp,
    appRoles: structuredClone(app.appRoles ?? []),
    oauth2PermissionScopes: structuredClone(api?.oauth2PermissionScopes ?? []),
    appDisplayName: app.displayName ?? null,
  });
  store.touch('servicePrincipal', sp.id, 'live');
}
