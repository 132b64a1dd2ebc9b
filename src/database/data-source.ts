import { DataSource } from 'typeorm';
import { loadConfig } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source-options';

/*
 * For the TypeORM CLI (`npm run migration:run`, `migration:revert`) against the server in
 * DATABASE_URL. The service itself runs pending migrations at start, on either database.
 */
const config = loadConfig(process.env);
if (!config.database.url) {
  throw new Error('The TypeORM CLI needs DATABASE_URL; the embedded database is migrated when the service starts.');
}
export default new DataSource(
  dataSourceOptions(config.database.url, config.database.poolSize, config.database.statementTimeoutMs),
);
