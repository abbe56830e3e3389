/**
 * User flow attributes in every tenant and, in a drill tenant, the attributes its sign-up flows
 * collect (src/emulator/user-flow-attributes.ts says what Graph documents). Built-in attributes
 * have the same ids in every tenant; a custom one's id embeds the tenant's b2c-extensions-app
 * (https://learn.microsoft.com/graph/api/identityuserflowattribute-post), so it differs after a
 * tenant loss. Two flows collect email and the custom shoe size: the assignment ids repeat across
 * flows (https://learn.microsoft.com/graph/api/b2xidentityuserflow-list-userattributeassignments),
 * which the archive keys by flow (src/catalog/contained-ids.ts). The suppliers' flow collects its
 * attributes in an order set by setOrder (docs/graph-facts.md S360).
 */
import { scopedArchiveId } from '../../catalog/contained-ids.js';
import { customAttributePrefix } from '../user-flow-attributes.js';
import { flowLanguages, withPage } from '../user-flow-languages.js';
import { withSetOrder } from '../user-flow-order.js';

/** A customized sign-up page (the shape of the documented PUT example). */
const PARTNER_PAGE = JSON.stringify({ LocalizedStrings: [{ ElementType: 'UxElement', ElementId: null, StringId: 'local_intro_email', Override: true, Value: 'Sign up as a Contoso partner' }] });
import type { DirObject } from '../../model.js';
import type { SeedContext } from './context.js';

/** Entra's built-in user flow attributes (id, displayName, dataType). */
const BUILT_IN: readonly [string, string, string][] = [
  ['city', 'City', 'string'], ['country', 'Country/Region', 'string'], ['displayName', 'Display Name', 'string'],
  ['email', 'Email Address', 'string'], ['givenName', 'Given Name', 'string'], ['jobTitle', 'Job Title', 'string'],
  ['postalCode', 'Postal Code', 'string'], ['state', 'State/Province', 'string'], ['streetAddress', 'Street Address', 'string'],
  ['surname', 'Surname', 'string'],
];

/** The built-in user flow attributes every tenant has. */
export function seedBuiltInUserFlowAttributes(ctx: SeedContext): void {
  for (const [id, displayName, dataType] of BUILT_IN) {
    ctx.add('userFlowAttribute', { id, '@odata.type': '#microsoft.graph.identityBuiltInUserFlowAttribute', displayName, description: displayName, userFlowAttributeType: 'builtIn', dataType });
  }
}

/** The id of a drill tenant's custom ShoeSize attribute (it embeds the tenant's b2c-extensions-app). */
export function shoeSizeAttributeId(tenantId: string): string {
  return `${customAttributePrefix(tenantId)}ShoeSize`;
}

/** A drill tenant's custom attribute, a second sign-up flow, and what each flow collects. */
export function seedUserFlowAttributeAssignments(ctx: SeedContext): void {
  const shoeSize = shoeSizeAttributeId(ctx.tenantId);
  ctx.add('userFlowAttribute', {
    id: shoeSize, '@odata.type': '#microsoft.graph.identityCustomUserFlowAttribute', displayName: 'ShoeSize', description: 'Your shoe size', userFlowAttributeType: 'custom', dataType: 'string',
  });
  // the suppliers' flow asks the boot size first: an order set with setOrder, not the order the assignments were added in
  ctx.add('b2xUserFlow', withSetOrder({ id: 'B2X_1_Suppliers', '@odata.type': '#microsoft.graph.b2xIdentityUserFlow', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1, apiConnectorConfiguration: {} }, [shoeSize, 'email']));
  const assign = (flow: string, attr: string, values: DirObject): void => {
    ctx.add('userFlowAttributeAssignment', {
      '@odata.type': '#microsoft.graph.identityUserFlowAttributeAssignment', isOptional: false, requiresVerification: false, userAttributeValues: [],
      ...values, id: scopedArchiveId(flow, attr),
    }, flow);
  };
  assign('B2X_1_Partner', 'email', { id: '', displayName: 'Email Address', userInputType: 'emailBox', requiresVerification: true });
  assign('B2X_1_Partner', 'city', { id: '', displayName: 'City', userInputType: 'textBox', isOptional: true });
  assign('B2X_1_Partner', shoeSize, {
    id: '',     displayName: 'Shoe size', userInputType: 'dropdownSingleSelect',
    userAttributeValues: [{ name: 'Small', value: 'S', isDefault: true }, { name: 'Large', value: 'L', isDefault: false }],
  });
  assign('B2X_1_Suppliers', 'email', { id: '', displayName: 'Work email', userInputType: 'emailBox', requiresVerification: true });
  // each flow's built-in languages; the partner flow has German switched off and a customized English page
  // (https://learn.microsoft.com/graph/api/userflowlanguagepage-put's example content)
  for (const flow of ['B2X_1_Partner', 'B2X_1_Suppliers']) {
    for (const l of flowLanguages(flow)) {
      const lang = l.id.endsWith('/de') && flow === 'B2X_1_Partner' ? { ...l, isEnabled: false } : l;
      ctx.add('userFlowLanguage', lang.id.endsWith('/en') && flow === 'B2X_1_Partner' ? withPage(lang, 'selfasserted1_1', PARTNER_PAGE) : lang, flow);
    }
  }
  assign('B2X_1_Suppliers', shoeSize, { id: '', displayName: 'Safety boot size', userInputType: 'textBox', isOptional: true });
}
