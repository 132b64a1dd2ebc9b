import { ProblemError } from 'src/common/problem/problem-error';

/** Error type URIs of ETSI GS CIM 009 (clause 5.5.2). */
export const NGSI_LD_ERRORS = 'https://uri.etsi.org/ngsi-ld/errors/';

export class InvalidRequest extends ProblemError {
  /** `status` lets 406 and 415 carry the closest NGSI-LD type; the specification names none for them. */
  constructor(detail: string, status = 400, title = 'Invalid request') {
    super(`${NGSI_LD_ERRORS}InvalidRequest`, status, title, detail);
  }
}

export class BadRequestData extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}BadRequestData`, 400, 'Bad request data', detail);
  }
}

export class AlreadyExists extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}AlreadyExists`, 409, 'Already exists', detail);
  }
}

export class ResourceNotFound extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}ResourceNotFound`, 404, 'Resource not found', detail);
  }
}

export class OperationNotSupported extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}OperationNotSupported`, 422, 'Operation not supported', detail);
  }
}

export class TooManyResults extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}TooManyResults`, 403, 'Too many results', detail);
  }
}

export class LdContextNotAvailable extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}LdContextNotAvailable`, 503, 'JSON-LD context not available', detail);
  }
}

export class InternalError extends ProblemError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(`${NGSI_LD_ERRORS}InternalError`, 500, 'Internal error', detail, extensions);
  }
}

export class NonexistentTenant extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}NonexistentTenant`, 404, 'Nonexistent tenant', detail);
  }
}

export class TooComplexQuery extends ProblemError {
  constructor(detail: string) {
    super(`${NGSI_LD_ERRORS}TooComplexQuery`, 403, 'Too complex query', detail);
  }
}
