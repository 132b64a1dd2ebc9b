import { ProblemError } from 'src/common/problem/problem-error';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

/**
 * A refused data-subject request: the same problem as Forbidden, but not a Forbidden, because the
 * refusal audit that catches those records the request path, which holds the subject id, and the
 * audit log keeps forever what it is given. The service records the refusal itself, with a hash.
 */
export class DataSubjectRequestRefused extends ProblemError {
  constructor(detail: string) {
    super(`${PROJECT_PROBLEMS}forbidden`, 403, 'Forbidden', detail);
  }
}
