import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { ApiAnswer } from 'src/common/openapi/openapi-answers';
import { ONTOLOGIES_DIR } from 'src/jsonld/core-contexts';

/**
 * The project's vocabulary (ontologies/vgds.ttl), which records of processing link to. Public and
 * without a caller: a vocabulary is documentation, and must answer when governance cannot load.
 */
@ApiTags('Datasets')
@WithoutCaller()
@Controller('ontologies')
export class VocabularyController {
  // Read once: the file ships with the service and never changes while it runs.
  private readonly turtle = readFileSync(join(ONTOLOGIES_DIR, 'vgds.ttl'), 'utf8');

  @Get('vgds.ttl')
  @ApiOperation({ summary: 'The vg-datashare vocabulary (vgds:, https://w3id.org/vg-datashare/vocab#): KLASSA levels, views, minimisation measures' })
  @ApiAnswer(200, 'The vocabulary in Turtle', { content: { 'text/turtle': { type: 'string' } } })
  vocabulary(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.type('text/turtle; charset=utf-8');
    return this.turtle;
  }
}
