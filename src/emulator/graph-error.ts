/**
 * Graph's error envelope (docs/graph-facts.md §5 "Errors"): every failure the emulator
 * answers is a GraphHttpError turned into `{error:{code,message,innerError}}`.
 */

/** A failure with the HTTP status and Graph error code the real service would give. */
export class GraphHttpError extends Error {
  /** The envelope's optional `details` (docs/graph-facts.md §5 "Errors"): what Graph names beside the message. */
  details?: Array<{ target: string; code: string }>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Graph's refusal of a property's value (docs/graph-facts.md §3 "Documented value sets and
 * lengths", S403): 400 `Request_BadRequest` "Invalid value specified for property '<p>' of
 * resource '<R>'.", with `details` naming the property and `InvalidValue`.
 */
export function invalidValue(property: string, resource: string): GraphHttpError {
  const e = badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);
  e.details = [{ target: property, code: 'InvalidValue' }];
  return e;
}

/** Graph's real-world not-found (docs/graph-facts.md §5, S11). */
export function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(message: string, code = 'Request_BadRequest'): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

export function unknownSegment(segment: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

export function forbidden(): GraphHttpError {
  return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

export function unsupportedQuery(message: string): GraphHttpError {
  return new GraphHttpError(400, 'Request_UnsupportedQuery', message);
}

/** The envelope body for an error, with the request ids Graph echoes. */
export function errorBody(e: GraphHttpError, requestId: string, clientRequestId: string, date: Date): object {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details ? { details: e.details } : {}),
      innerError: {
        date: date.toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}
