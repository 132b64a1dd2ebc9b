import { Global, Module } from '@nestjs/common';
import { ModelRegistry } from 'src/models/model-registry';
import { ModelValidator } from 'src/models/model-validator';

/** The data-model registry and write validation; global, as the JSON-LD loader, the write path and governance all use it. */
@Global()
@Module({
  providers: [ModelRegistry, ModelValidator],
  exports: [ModelRegistry, ModelValidator],
})
export class ModelsModule {}
