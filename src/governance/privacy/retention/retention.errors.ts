import { ProblemError } from 'src/common/problem/problem-error';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

export const RETENTION_RUN_UNDER_WAY = `${PROJECT_PROBLEMS}retention-run-under-way`;

/** Another retention run holds the lock (on this replica or another): this one did nothing. */
export class RetentionRunUnderWay extends ProblemError {
  constructor() {
    super(RETENTION_RUN_UNDER_WAY, 409, 'A retention run is under way', 'Another retention run is under way; nothing was done. Try again when it has finished (GET /api/v1/retention shows the last run)');
  }
}
