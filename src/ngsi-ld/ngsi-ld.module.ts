import { Module } from '@nestjs/common';
import { GovernanceModule } from 'src/governance/governance.module';
import { EntityPlacement } from 'src/ngsi-ld/entities/entity-placement';
import { EntitiesController } from 'src/ngsi-ld/entities/entities.controller';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';
import { EntityAttributesController } from 'src/ngsi-ld/entities/entity-attributes.controller';
import { EntityUpdatesService } from 'src/ngsi-ld/entities/entity-updates.service';
import { EntityOperationsController } from 'src/ngsi-ld/entity-operations/entity-operations.controller';
import { EntityOperationsService } from 'src/ngsi-ld/entity-operations/entity-operations.service';
import { DiscoveryController } from 'src/ngsi-ld/discovery/discovery.controller';
import { DiscoveryRepository } from 'src/ngsi-ld/discovery/discovery.repository';
import { DiscoveryService } from 'src/ngsi-ld/discovery/discovery.service';
import { JsonLdContextsController } from 'src/ngsi-ld/contexts/jsonld-contexts.controller';
import { JsonLdContextsService } from 'src/ngsi-ld/contexts/jsonld-contexts.service';
import { RequestContexts } from 'src/ngsi-ld/common/request-contexts';
import { TenantDirectory } from 'src/ngsi-ld/tenants/tenant-directory';
import { TenantsRepository } from 'src/ngsi-ld/tenants/tenants.repository';

@Module({
  imports: [GovernanceModule],
  controllers: [
    EntitiesController,
    EntityAttributesController,
    EntityOperationsController,
    DiscoveryController,
    JsonLdContextsController,
  ],
  providers: [
    RequestContexts,
    EntitiesService,
    EntityUpdatesService,
    EntityOperationsService,
    EntitiesRepository,
    DiscoveryService,
    DiscoveryRepository,
    JsonLdContextsService,
    TenantDirectory,
    TenantsRepository,
    EntityPlacement,
  ],
})
export class NgsiLdModule {}
