import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { createApp } from 'src/app.factory';
import { ConfigError, loadConfig } from 'src/config/app-config';
import { StartupError } from 'src/database/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Before anything slow (the embedded database, migrations): a taken port is said at once.
  await assertPortFree(config.http.host, config.http.port);
  const app = await createApp(config);
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(config.http.port);
    throw error;
  }
  new Logger('Main').log({
    msg: 'vg-datashare is listening',
    url: await app.getUrl(),
    database: config.database.url ? 'external' : `embedded in ${config.dataDir}`,
    docs: '/docs',
  });
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port) : error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function portInUse(port: number): StartupError {
  return new StartupError(`Port ${port} is in use; stop what uses it or set PORT.`);
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
