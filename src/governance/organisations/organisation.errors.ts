import { ProblemError } from 'src/common/problem/problem-error';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

/** A dataset cannot be published for an organisation the registry does not know: the catalog could not name its publisher. */
export class OrganisationNotRegistered extends ProblemError {
  constructor(organisation: string) {
    super(
      `${PROJECT_PROBLEMS}organisation-not-registered`,
      409,
      'Organisation not registered',
      `Organisation ${organisation} is not registered, so its datasets cannot be published (the catalog names their publisher): ` +
        `ask a platform administrator to register it with POST /api/v1/organisations (names, organisation number, kind)`,
      { organisation },
    );
  }
}
