import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { ApiAnswer, JsonSchema } from 'src/common/openapi/openapi-answers';
import { ApiProblem, databaseUnavailable } from 'src/common/problem/problem.openapi';
import { RDF_MEDIA_TYPES, RdfFormat } from 'src/linked-data/rdf/rdf-format';

const text: JsonSchema = { type: 'string' };

/** The RDF media types of a DCAT description, each a string (a document in that syntax). */
export function rdfContent(formats: readonly RdfFormat[]): Record<string, JsonSchema> {
  return Object.fromEntries(formats.map((format) => [RDF_MEDIA_TYPES[format], format === 'json-ld' ? { type: 'object' } : text]));
}

/** The answers of a catalog route: the document, 304, 404, 406 and the database away. */
export function ApiCatalogAnswers(formats: readonly RdfFormat[], summary: string) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiAnswer(200, 'The catalog (DCAT-AP-SE 3.0.1), whole: no paging. gzip with Accept-Encoding: gzip; ETag and Last-Modified for conditional requests', {
      content: rdfContent(formats),
    }),
    ApiAnswer(304, 'Not modified (If-None-Match, If-Modified-Since)'),
    ApiProblem(406, 'None of the accepted representations (Accept) is offered: RDF/XML, Turtle, N-Triples or JSON-LD'),
    ApiResponse(databaseUnavailable()),
  );
}

export const ApiOrganisationParam = () =>
  ApiParam({ name: 'organisation', description: 'The id of a registered organisation, e.g. goteborg; its catalog is the URL it registers at Sveriges dataportal' });
