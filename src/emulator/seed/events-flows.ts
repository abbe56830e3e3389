/**
 * A drill tenant's external-tenant sign-up flow (issue 15: "a drill tenant holds it"), stored as
 * the emulator keeps one created through Graph (src/emulator/events-flows.ts): the apps, identity
 * providers and attributes the create body names inline are kept as `@em.*` lists and served only
 * from the flow's navigations, as the v1.0 pages show (docs/graph-facts.md S361, S373-S375). The
 * flow signs partners up with an email one-time passcode for one seeded application and collects
 * their email and the tenant's custom shoe size attribute: every reference the restore re-links
 * (a new appId and a new custom attribute id after a tenant loss; the built-in provider keeps its id).
 */
import type { JsonObject } from '../../model.js';
import { COLLECTION, FLOW, LOAD_START } from '../events-flows.js';
import type { SeedContext } from './context.js';
import { Rng } from './rng.js';
import { shoeSizeAttributeId } from './user-flow-attributes.js';

/** The flow the drill restores; `appId` is the application it signs users up to. */
export function seedEventsFlow(ctx: SeedContext, appId: string): void {
  const rng = new Rng(ctx.seed, 'authenticationEventsFlows');
  const shoeSize = shoeSizeAttributeId(ctx.tenantId);
  const input = (attribute: string, label: string): JsonObject => ({ attribute, label, inputType: 'text', hidden: false, editable: true, writeToDirectory: true, required: attribute === 'email' });
  ctx.add('authenticationEventsFlow', {
    id: rng.guid(), '@odata.type': FLOW, displayName: 'Partner self-service sign-up', description: 'Partners sign up with an email one-time passcode', priority: 300,
    conditions: { applications: {} },
    onAuthenticationMethodLoadStart: { '@odata.type': `#${LOAD_START}` },
    onInteractiveAuthFlowStart: { '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp', isSignUpAllowed: true },
    onAttributeCollection: {
      '@odata.type': `#${COLLECTION}`,
      attributeCollectionPage: { views: [{ inputs: [input('email', 'Email Address'), input(shoeSize, 'Shoe size')] }] },
    },
    onAttributeCollectionStart: null, onAttributeCollectionSubmit: null, onUserCreateStart: null,
    '@em.includeApplications': [appId], '@em.identityProviders': ['EmailOtpSignup-OAUTH'], '@em.attributes': ['email', shoeSize],
  });
}
