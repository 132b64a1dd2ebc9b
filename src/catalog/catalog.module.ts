import { Global, Module } from '@nestjs/common';
import { CatalogController } from 'src/catalog/catalog.controller';
import { CatalogRepository } from 'src/catalog/catalog.repository';
import { CatalogService } from 'src/catalog/catalog.service';
import { DatasetDescriber } from 'src/governance/datasets/dataset-describer';
import { GovernanceModule } from 'src/governance/governance.module';

/**
 * The DCAT-AP-SE catalogs (issue 16): the main catalog, one per organisation, and each dataset's
 * DCAT description. Global for one export: the datasets controller (GovernanceModule, which this
 * module imports) renders a dataset's URL in RDF through DatasetDescriber.
 */
@Global()
@Module({
  imports: [GovernanceModule],
  controllers: [CatalogController],
  providers: [CatalogRepository, CatalogService, { provide: DatasetDescriber, useExisting: CatalogService }],
  exports: [CatalogService, DatasetDescriber],
})
export class CatalogModule {}
