import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from 'src/app.factory';
import { ConfigError, loadConfig } from 'src/config/app-config';
import { StartupError } from 'src/database/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.http.port} is in use; stop what uses it or set PORT.`);
    }
    throw error;
  }
  new Logger('Main').log({
    msg: 'vg-datashare is listening',
    url: await app.getUrl(),
    database: config.database.url ? 'external' : `embedded in ${config.dataDir}`,
    docs: '/docs',
  });
}

main().catch((error: unknown) => {
  // Start-up problems are the operator's to fix: say what, without a stack trace to dig through.
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`vg-datashare cannot start. ${error.message}\n`);
  } else {
    process.stderr.write(`vg-datashare cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
