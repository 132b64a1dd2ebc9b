import { dpvTerm } from 'src/governance/privacy/purposes/purpose';
import { ProblemError } from 'src/common/problem/problem-error';

/*
 * NGSI-LD defines no error types for authentication and authorisation (ETSI GS CIM 009 clause
 * 5.5.2 lists none for 401 and 403), so these carry the project's own problem types.
 */
export const PROJECT_PROBLEMS = 'urn:vg-datashare:problem:';

export class Unauthorized extends ProblemError {
  constructor(detail: string) {
    super(`${PROJECT_PROBLEMS}unauthorized`, 401, 'Unauthorized', detail);
  }
}

/** Failed authentications from one address, or with one key, past the limit (README, "Failed authentication"). */
export class TooManyAuthenticationFailures extends ProblemError {
  override readonly headers: Readonly<Record<string, string>>;

  /** `reason`: why this attempt failed, so that a client that is merely misconfigured learns it too. */
  constructor(reason: string, retryAfterSeconds: number) {
    super(
      `${PROJECT_PROBLEMS}too-many-authentication-failures`,
      429,
      'Too many failed authentications',
      `${reason}. Too many failed authentications from this address or with this key: wait ${retryAfterSeconds} s without failing before trying again (valid credentials are always accepted)`,
    );
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

export class Forbidden extends ProblemError {
  constructor(
    detail: string,
    /** The organisation whose data or governance the refused act was about (audited for it; not shown). */
    readonly concerns?: string,
  ) {
    super(`${PROJECT_PROBLEMS}forbidden`, 403, 'Forbidden', detail);
  }
}

/** A read whose answer would combine datasets into a classification above the caller's. */
export class CombinationRefused extends ProblemError {
  constructor(rule: { id: string; name: string; confidentiality: number }) {
    super(
      `${PROJECT_PROBLEMS}combination-refused`,
      403,
      'Combination of datasets refused',
      `The answer would combine the datasets of the rule "${rule.name}", classified K${rule.confidentiality} together, above what you may read; narrow the request to fewer of them`,
      { combinationRule: { id: rule.id, name: rule.name, confidentiality: rule.confidentiality } },
    );
  }
}

/** A read of personal data without a declared purpose the dataset allows (VGDS-Purpose, a token claim, the API key's or subscription's purpose). */
export class PurposeRequired extends ProblemError {
  constructor(datasets: ReadonlyMap<string, readonly string[]>, declared: string | undefined) {
    const allowed = [...new Set([...datasets.values()].flat())].map(dpvTerm);
    super(
      `${PROJECT_PROBLEMS}purpose-required`,
      403,
      'A purpose the data may be used for is required',
      `${declared ? `The declared purpose ${dpvTerm(declared)} is not one` : 'No purpose was declared; declare one'} of the purposes this personal data may be read for (header VGDS-Purpose): ${allowed.join(', ')}`,
      { allowedPurposes: allowed, datasets: [...datasets.keys()], ...(declared ? { declaredPurpose: dpvTerm(declared) } : {}) },
    );
  }
}
