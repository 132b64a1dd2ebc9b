import { Module } from '@nestjs/common';
import { EntityRdfRenderer } from 'src/linked-data/entities/entity-rdf.renderer';

/**
 * RDF views of entities (and, with the catalog, of datasets). A leaf module: the NGSI-LD entity
 * routes, which own the URLs, hand RDF requests to its renderer, so it depends on nothing of them.
 */
@Module({
  providers: [EntityRdfRenderer],
  exports: [EntityRdfRenderer],
})
export class LinkedDataModule {}
