/**
 * An access package assignment policy's questions to the requestor, as Graph v1.0 serves them
 * (docs/graph-facts.md §3 "Entitlement management", S240–S242):
 * - `questions` is a navigation of the policy, returned only with `$expand=questions` on the
 *   policy's get or list (S240), and written inline in the create body (S241) or the PUT of
 *   the whole policy (S242).
 * - A question is an `accessPackageTextInputQuestion` (text, isSingleLineQuestion,
 *   regexPattern) or an `accessPackageMultipleChoiceQuestion` (choices of `actualValue` and
 *   `text`, isMultipleSelectionAllowed); both carry `sequence`, `isRequired`,
 *   `isAnswerEditable`, `text` and `localizations` (`languageCode`, `text`) (S241).
 * - The emulator refuses what it cannot hold as Graph documents it: a question without its
 *   derived `@odata.type` or `text`, a multiple-choice question without choices, a property
 *   the type does not have, and (stricter than documented) an `id` on create, which is
 *   Graph's own; on PUT an `id` must name a question of the policy, which keeps it.
 * Kept with the policy under `@em.questions` (./entitlement-links.ts), never as objects of
 * their own.
 */
import type { DirObject, Json } from '../model.js';
import { badRequest } from './graph-error.js';
import { LINK } from './entitlement-links.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

const TEXT = '#microsoft.graph.accessPackageTextInputQuestion';
const CHOICE = '#microsoft.graph.accessPackageMultipleChoiceQuestion';
const COMMON = ['@odata.type', 'id', 'sequence', 'isRequired', 'isAnswerEditable', 'text', 'localizations'];
const ALLOWED: Record<string, readonly string[]> = {
  [TEXT]: [...COMMON, 'isSingleLineQuestion', 'regexPattern'],
  [CHOICE]: [...COMMON, 'isMultipleSelectionAllowed', 'choices'],
};

function checkLocalizations(v: Json | undefined, where: string): Json[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((l) => !isObj(l) || typeof l.languageCode !== 'string' || typeof l.text !== 'string')) {
    throw badRequest(`The localizations of ${where} must be a collection of { languageCode, text }.`, 'InvalidRequest');
  }
  return v;
}

function checkChoices(v: Json | undefined): Json[] {
  if (!Array.isArray(v) || v.length === 0) throw badRequest('A multiple choice question must have at least one answer choice.', 'InvalidRequest');
  for (const c of v) {
    if (!isObj(c) || typeof c.actualValue !== 'string' || typeof c.text !== 'string') {
      throw badRequest('An answer choice must have an actualValue and a text.', 'InvalidRequest');
    }
    checkLocalizations(c.localizations, 'an answer choice');
  }
  return v;
}

/** One question as stored: validated, with the defaults Graph shows (also a resource attribute's question, ./resource-requests.ts). */
export function parseQuestion(raw: Json, index: number, known: ReadonlySet<string> | undefined, guid: () => string): Obj {
  if (!isObj(raw)) throw badRequest('A question must be a JSON object.', 'InvalidRequest');
  const kind = raw['@odata.type'];
  const allowed = typeof kind === 'string' ? ALLOWED[kind] : undefined;
  if (!allowed) throw badRequest(`A question's @odata.type must be ${TEXT} or ${CHOICE}.`, 'InvalidRequest');
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw badRequest(`Property '${k}' does not exist on '${String(kind).slice(1)}'.`);
  if (typeof raw.text !== 'string' || raw.text.trim() === '') throw badRequest('A question must have a text.', 'InvalidRequest');
  const id = raw.id;
  if (id !== undefined && (!known || typeof id !== 'string' || !known.has(id))) {
    throw badRequest(`The question id ${String(id)} is set by the service; on create leave it out, on update name a question of this policy.`, 'InvalidRequest');
  }
  if (raw.sequence !== undefined && typeof raw.sequence !== 'number') throw badRequest("Property 'sequence' must be an Int32.");
  const out: Obj = {
    '@odata.type': kind as string, id: typeof id === 'string' ? id : guid(), sequence: raw.sequence ?? index + 1,
    isRequired: raw.isRequired ?? false, isAnswerEditable: raw.isAnswerEditable ?? false, text: raw.text,
    localizations: checkLocalizations(raw.localizations, 'a question'),
  };
  if (kind === TEXT) Object.assign(out, { isSingleLineQuestion: raw.isSingleLineQuestion ?? true, regexPattern: raw.regexPattern ?? null });
  else Object.assign(out, { isMultipleSelectionAllowed: raw.isMultipleSelectionAllowed ?? false, choices: checkChoices(raw.choices) });
  return out;
}

/**
 * Takes `questions` out of a policy body and keeps them validated on `target` (a create's new
 * policy, or the policy a PUT replaces); nothing when the body has none. `guid` makes the
 * ids Graph sets.
 * @throws GraphHttpError 400 for a malformed question.
 */
export function takeQuestions(body: Obj, target: DirObject, updating: boolean, guid: () => string): void {
  if (!('questions' in body)) return;
  const raw = body.questions;
  delete body.questions;
  if (raw === null) {
    delete target[LINK.questions];
    return;
  }
  if (!Array.isArray(raw)) throw badRequest("Property 'questions' must be a collection.");
  const known = updating ? new Set(questionsOf(target).map((q) => String(q.id))) : undefined;
  target[LINK.questions] = raw.map((q, i) => parseQuestion(q, i, known, guid));
}

/** The stored questions of a policy, as `$expand=questions` returns them (./expand.ts). */
export function questionsOf(o: DirObject): Obj[] {
  const v = o[LINK.questions];
  return Array.isArray(v) ? v.filter(isObj) : [];
}
