import { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { AuthenticatedRequest, AuthenticationGuard } from 'src/auth/authentication.guard';
import { accessContextOf } from 'src/common/access/access.decorator';
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
      return await this.contextOf(request as AuthenticatedRequest);
    } catch (error) {
      throw refusal(error);
    }
  }

  /**
   * The context of an operation over graphql-ws. Browsers cannot set headers on a WebSocket, so
   * the credentials and the other headers come in the connection's init payload
   * (`{ Authorization, X-API-Key, VGDS-Purpose, NGSILD-Tenant }`, any case) and are read as the
   * same headers of an HTTP request are. Throws the problem (Unauthorized, BadRequestData).
   */
  async forSocket(connectionParams: Readonly<Record<string, unknown>> | undefined, upgrade?: IncomingMessage): Promise<GraphqlContext> {
    const headers: Record<string, string> = {};
    const rawHeaders: string[] = [];
    for (const [name, value] of Object.entries(connectionParams ?? {})) {
      const header = name.toLowerCase();
      if (!SOCKET_HEADERS.has(header) || value === undefined || value === null) continue;
      headers[header] = String(value);
      rawHeaders.push(name, String(value));
    }
    const request = {
      headers,
      raw: { rawHeaders },
      method: 'GET',
      url: upgrade?.url ?? '/graphql',
      ip: upgrade?.socket.remoteAddress ?? '',
    } as unknown as AuthenticatedRequest;
    return this.contextOf(request);
  }

  /** The caller identified as on every route, and the operation's own loaders. */
  private async contextOf(request: AuthenticatedRequest): Promise<GraphqlContext> {
    await this.guard.identify(request);
    const access = accessContextOf(request);
    return { access, loaders: new GraphqlLoaders(access, this.services) };
  }
}

/** The headers a graphql-ws client may send in its connection init payload. */
const SOCKET_HEADERS = new Set(['authorization', 'x-api-key', 'vgds-purpose', 'ngsild-tenant']);

/** A refusal before execution, with the problem's HTTP status (Apollo answers a context error with it). */
export function refusal(error: unknown): GraphQLError {
  const { problem } = toProblem(error, '/graphql');
  return new GraphQLError(problem.detail ?? problem.title, {
    extensions: { ...problemExtensions(problem), http: { status: problem.status, headers: new Map(Object.entries(problem.headers)) } },
  });
}
