import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import { createApp } from 'src/app.factory';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { createTestDatabase } from 'test/support/test-database';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly http: Server;
  readonly config: AppConfig;
  close(): Promise<void>;
}

/** The application as main.ts builds it, on a fresh database of its own. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.VGDS_TEST_LOG_LEVEL ?? 'fatal',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(database.poolSize),
    ...env,
  });
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    app,
    http: app.getHttpServer() as Server,
    config,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
