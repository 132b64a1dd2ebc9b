import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable } from 'rxjs';
import { ANONYMOUS } from 'src/auth/principal';
import { AuthenticatedRequest } from 'src/auth/authentication.guard';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { Forbidden } from 'src/governance/problems';

/**
 * Every refused request (403 Forbidden) lands in the audit log, whichever path refused it, filed
 * with the organisation it concerned. Combination refusals are recorded where they are decided.
 */
@Injectable()
export class RefusalAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError(async (error: unknown): Promise<never> => {
        if (error instanceof Forbidden) {
          const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
          const principal = request.principal ?? ANONYMOUS;
          await this.audit.record(principal, {
            event: 'access.refused',
            // Filed with the organisation the act was about, so that its admins see attempts on their data.
            organisation: error.concerns ?? principal.organisation,
            details: { method: request.method, path: request.url.split('?')[0], reason: error.detail, caller: principal.organisation ?? null },
          });
        }
        throw error;
      }),
    );
  }
}
