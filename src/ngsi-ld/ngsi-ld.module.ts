import { Module } from '@nestjs/common';
import { GovernanceModule } from 'src/governance/governance.module';
import { ChangesModule } from 'src/changes/changes.module';
import { LinkedDataModule } from 'src/linked-data/linked-data.module';
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
import { CombinationCheck } from 'src/ngsi-ld/entities/combination-check';
import { PurposeCheck } from 'src/ngsi-ld/entities/purpose-check';
import { HistoryRepository } from 'src/ngsi-ld/temporal/history.repository';
import { HistoryPartitions } from 'src/ngsi-ld/temporal/history-partitions';
import { TemporalController } from 'src/ngsi-ld/temporal/temporal.controller';
import { TemporalQueryService } from 'src/ngsi-ld/temporal/temporal-query.service';
import { TemporalSeriesService } from 'src/ngsi-ld/temporal/temporal-series.service';
import { TemporalWritesService } from 'src/ngsi-ld/temporal/temporal-writes.service';
import { SubscriptionsController } from 'src/ngsi-ld/subscriptions/subscriptions.controller';
import { SubscriptionsService } from 'src/ngsi-ld/subscriptions/subscriptions.service';
import { SubscriptionsRepository } from 'src/ngsi-ld/subscriptions/subscriptions.repository';
import { SubscriptionLoader } from 'src/ngsi-ld/subscriptions/subscription-loader';
import { SubscriptionChecks } from 'src/ngsi-ld/subscriptions/subscription-checks';
import { DeliveryAccess } from 'src/ngsi-ld/subscriptions/delivery/delivery-access';
import { DeliveryStatus } from 'src/ngsi-ld/subscriptions/delivery/delivery-status';
import { NotificationDispatcher } from 'src/ngsi-ld/subscriptions/delivery/notification-dispatcher';
import { Notifier } from 'src/ngsi-ld/subscriptions/delivery/notifier';
import { PeriodicNotifications } from 'src/ngsi-ld/subscriptions/delivery/periodic-notifications';
import { Acknowledgements } from 'src/ngsi-ld/subscriptions/delivery/acknowledgements';

@Module({
  imports: [GovernanceModule, ChangesModule, LinkedDataModule],
  controllers: [
    EntitiesController,
    EntityAttributesController,
    EntityOperationsController,
    DiscoveryController,
    JsonLdContextsController,
    TemporalController,
    SubscriptionsController,
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
    CombinationCheck,
    PurposeCheck,
    HistoryRepository,
    HistoryPartitions,
    TemporalQueryService,
    TemporalWritesService,
    TemporalSeriesService,
    SubscriptionsService,
    SubscriptionsRepository,
    SubscriptionLoader,
    SubscriptionChecks,
    DeliveryAccess,
    DeliveryStatus,
    NotificationDispatcher,
    Notifier,
    PeriodicNotifications,
    Acknowledgements,
  ],
  // Device ingestion writes through the same write path and history.
  exports: [EntitiesRepository, EntityPlacement, HistoryRepository, TenantDirectory, EntitiesService, TemporalSeriesService],
})
export class NgsiLdModule {}
