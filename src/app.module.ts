import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { AuthModule } from 'src/auth/auth.module';
import { DatabaseModule } from 'src/database/database.module';
import { GovernanceModule } from 'src/governance/governance.module';
import { HealthModule } from 'src/health/health.module';
import { IngestModule } from 'src/ingest/ingest.module';
import { JsonLdModule } from 'src/jsonld/jsonld.module';
import { ModelsModule } from 'src/models/models.module';
import { NgsiLdModule } from 'src/ngsi-ld/ngsi-ld.module';
import { GraphqlModule } from 'src/graphql/graphql.module';
import { CatalogModule } from 'src/catalog/catalog.module';
import { LinkedDataModule } from 'src/linked-data/linked-data.module';
import { DownloadsModule } from 'src/catalog/downloads/downloads.module';
import { ExplorerModule } from 'src/explorer/explorer.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, ModelsModule, JsonLdModule, GovernanceModule, AuthModule, NgsiLdModule, LinkedDataModule, GraphqlModule, CatalogModule, DownloadsModule, IngestModule, HealthModule, ExplorerModule],
    };
  }
}
