/**
 * The dry-run guard: a GraphClient wrapper that lets reads through and refuses every
 * mutating call. A restore's live reads, diff and plan run behind it, so "dry run makes zero
 * mutating calls" (docs/reliability.md 19) does not rest on the planner and reader being careful.
 */
import type { BatchRequest, GraphClient } from './types.js';

/**
 * Wraps a client so any mutating call is refused (a bug, never an operator path): the
 * dry run's guarantee does not rest on the planner and reader being careful. A `$batch`
 * of GETs is a read.
 */
export function readOnlyGraph(graph: GraphClient): GraphClient {
  const refuse = (what: string): never => {
    throw new Error(`dry run attempted a mutating call (${what})`);
  };
  // Each refusal is thrown inside an async function: a rejected promise, like any failed call.
  return {
    get: (p, h) => graph.get(p, h),
    list: (p, h) => graph.list(p, h),
    delta: (p) => graph.delta(p),
    post: async () => refuse('POST'),
    patch: async () => refuse('PATCH'),
    put: async () => refuse('PUT'),
    delete: async () => refuse('DELETE'),
    getBytes: (p) => graph.getBytes(p),
    putBytes: async () => refuse('PUT (stream)'),
    batch: async (reqs: BatchRequest[]) => (reqs.every((r) => r.method === 'GET') ? graph.batch(reqs) : refuse('$batch with writes')),
    stats: () => graph.stats(),
  };
}
