import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { ApiKeysRepository } from 'src/auth/api-keys/api-keys.repository';
import { ApiKeysService } from 'src/auth/api-keys/api-keys.service';
import { Principal } from 'src/auth/principal';

export const BOOTSTRAP_KEY_FILE = 'admin-api-key';
const SYSTEM: Principal = { kind: 'anonymous', subject: 'system:bootstrap', roles: new Set(), mfa: false };

/**
 * A fresh installation has no administrator and no identity provider yet. When enabled
 * (BOOTSTRAP_ADMIN_KEY, on by default in embedded mode) and no active platform-admin key exists,
 * one is created, written to `<DATA_DIR>/admin-api-key` with mode 0600, and its path (never the
 * key) is logged once. No default password exists anywhere.
 */
@Injectable()
export class BootstrapAdminKey implements OnApplicationBootstrap {
  private readonly logger = new Logger('bootstrap');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly keys: ApiKeysService,
    private readonly repository: ApiKeysRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.bootstrap.adminKey) return;
    const { organisation } = this.config.bootstrap;
    const created = await this.keys.issue(
        SYSTEM,
        { name: 'bootstrap administrator', organisation, roles: ['platform-admin', 'admin', 'writer'], canRead: true, canWrite: true, datasets: null, expiresAt: null },
        async (tx) => {
          await this.repository.lockBootstrap(tx);
          return !(await this.repository.hasActivePlatformAdminKey(tx));
        },
    );
    if (!created) return; // an active platform-admin key exists already
    const file = join(this.config.dataDir, BOOTSTRAP_KEY_FILE);
    await mkdir(this.config.dataDir, { recursive: true });
    await writeFile(file, `${created.key}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // the mode above applies only when the file is new
    this.logger.warn(`Created the first administrator API key (platform-admin of "${organisation}"); it is in ${file}. Use it as X-API-Key, then revoke it once you have your own administrators.`);
  }
}
