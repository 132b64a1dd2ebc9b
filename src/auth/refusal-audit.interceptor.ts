import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { ANONYMOUS } from 'src/auth/principal';
import { AuthenticatedRequest } from 'src/auth/authentication.guard';
import { ProblemError } from 'src/common/problem/problem-error';
import { AuditLog } from 'src/governance/audit/audit-log.service';
import { PROJECT_PROBLEMS } from 'src/governance/problems';

/**
 * Every refused request (403) lands in the audit log, whichever path refused it. Combination
 * refusals are recorded where they are decided, with the organisation whose data it was.
 */
@Injectable()
export class RefusalAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof ProblemError && error.status === 403 && error.type === `${PROJECT_PROBLEMS}forbidden`) {
          const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
          return new Observable<never>((subscriber) => {
            void this.audit
              .record(request.principal ?? ANONYMOUS, {
                event: 'access.refused',
                details: { method: request.method, path: request.url.split('?')[0], reason: error.detail },
              })
              .finally(() => subscriber.error(error));
          });
        }
        return throwError(() => error);
      }),
    );
  }
}
