import { GraphQLError } from 'graphql';
import { AuthenticatedRequest, AuthenticationGuard } from 'src/auth/authentication.guard';
import { accessContextOf } from 'src/common/access/access.decorator';
import { ProblemError } from 'src/common/problem/problem-error';
import { toProblem } from 'src/common/problem/problem-mapping';
import { GraphqlContext } from 'src/graphql/graphql-context';
import { problemExtensions } from 'src/graphql/graphql-errors';
import { GraphqlLoaders, GraphqlServices } from 'src/graphql/resolvers/graphql-loaders';

/**
 * Builds each operation's {@link GraphqlContext}: the caller is identified as for every other
 * route (bearer token, API key or anonymous; wrong credentials refused with 401), NGSILD-Tenant
 * and VGDS-Purpose are read the same way, and the operation gets its own loaders.
 */
export class GraphqlContextFactory {
  constructor(
    private readonly guard: AuthenticationGuard,
    private readonly services: GraphqlServices,
  ) {}

  async forHttp(request: unknown): Promise<GraphqlContext> {
    try {
      const authenticated = request as AuthenticatedRequest;
      await this.guard.identify(authenticated);
      const access = accessContextOf(authenticated);
      return { access, loaders: new GraphqlLoaders(access, this.services) };
    } catch (error) {
      throw refusal(error);
    }
  }
}

/** A refusal before execution, with the problem's HTTP status (Apollo answers a context error with it). */
export function refusal(error: unknown): GraphQLError {
  const { problem } = error instanceof ProblemError ? { problem: error } : toProblem(error, '/graphql');
  return new GraphQLError(problem.detail ?? problem.title, {
    extensions: { ...problemExtensions(problem), http: { status: problem.status, headers: new Map(Object.entries(problem.headers)) } },
  });
}
