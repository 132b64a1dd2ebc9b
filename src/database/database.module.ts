import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { Database } from 'src/database/database';
import { Sql } from 'src/database/sql';
import { StatisticsKeeper } from 'src/database/statistics-keeper';

@Global()
@Module({
  providers: [
    Sql,
    StatisticsKeeper,
    { provide: Database, useFactory: (config: AppConfig) => Database.open(config), inject: [APP_CONFIG] },
    { provide: DataSource, useFactory: (database: Database) => database.dataSource, inject: [Database] },
  ],
  exports: [Database, DataSource, Sql],
})
export class DatabaseModule {}
