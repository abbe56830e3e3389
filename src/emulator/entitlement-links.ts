/**
 * Where the emulator keeps an entitlement link Graph serves only as an expanded navigation
 * (./entitlement.ts, ./entitlement-resources.ts): never shown by a plain GET.
 */
export const LINK = {
  catalog: '@em.catalogId', accessPackage: '@em.accessPackageId', assignmentPolicy: '@em.assignmentPolicyId', target: '@em.target',
  // a resource role scope's role and scope (./entitlement-resources.ts)
  role: '@em.role', scope: '@em.scope',
  // a policy's questions (./entitlement-questions.ts)
  questions: '@em.questions',
  // a policy's custom extension stages (./entitlement-extensions.ts)
  stageSettings: '@em.stageSettings',
} as const;
