import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeysController } from 'src/auth/api-keys/api-keys.controller';
import { ApiKeysRepository } from 'src/auth/api-keys/api-keys.repository';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { AuthenticationGuard } from 'src/auth/authentication.guard';
import { BootstrapAdminKey } from 'src/auth/bootstrap-admin-key';
import { MeController } from 'src/auth/me.controller';
import { RefusalAuditInterceptor } from 'src/auth/refusal-audit.interceptor';
import { AuthenticationFailures } from 'src/auth/throttling/authentication-failures';
import { TokenVerifier } from 'src/auth/token-verifier';
import { GovernanceModule } from 'src/governance/governance.module';

/** Who the caller is: bearer tokens, API keys, anonymous; decided by one global guard before every handler. */
@Module({
  imports: [GovernanceModule],
  controllers: [ApiKeysController, MeController],
  providers: [
    TokenVerifier,
    AuthenticationFailures,
    ApiKeysRepository,
    ApiKeysService,
    BootstrapAdminKey,
    AuthenticationGuard,
    { provide: APP_GUARD, useExisting: AuthenticationGuard },
    { provide: APP_INTERCEPTOR, useClass: RefusalAuditInterceptor },
  ],
  exports: [ApiKeysService, AuthenticationGuard],
})
export class AuthModule {}
