import { Module } from '@nestjs/common';
import { EntitiesController } from 'src/ngsi-ld/entities/entities.controller';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntitiesService } from 'src/ngsi-ld/entities/entities.service';

@Module({
  controllers: [EntitiesController],
  providers: [EntitiesService, EntitiesRepository],
})
export class NgsiLdModule {}
