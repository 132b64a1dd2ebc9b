/**
 * The one error family of the service. Services throw these (never `HttpException`), because the
 * same service answers REST, GraphQL and RDF; each surface renders them in its own way.
 */
export class ProblemError extends Error {
  /** Headers that belong to the answer (RFC 9110 `Retry-After` with 429 and 503); set by subclasses that have some. */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(
    /** Stable URI naming the kind of problem (RFC 9457 `type`). */
    readonly type: string,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    /** Extension members added to the problem body. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

/** An RFC 9457 problem-details body. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function toProblemBody(error: ProblemError, instance?: string): ProblemBody {
  return {
    type: error.type,
    title: error.title,
    status: error.status,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...error.extensions,
  };
}
