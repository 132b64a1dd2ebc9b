import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { WithoutCaller } from 'src/auth/authentication.guard';
import { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { ApiAnswer, ApiJsonAnswer } from 'src/common/openapi/openapi-answers';
import { ApiProblem } from 'src/common/problem/problem.openapi';
import { ProblemError } from 'src/common/problem/problem-error';
import { explorerContentSecurityPolicy } from 'src/explorer/explorer-csp';
import { explorerAsset, explorerIndex } from 'src/explorer/explorer-files';

const HTML = { 'text/html': { type: 'string' } };
const NOT_BUILT = 'The explorer is not built on this installation (web/dist missing): the detail says how to build it';
const CONFIG_SCHEMA = {
  type: 'object',
  required: ['tileUrl', 'tileAttribution', 'oidc'],
  properties: {
    tileUrl: { type: ['string', 'null'], description: 'EXPLORER_TILE_URL; null: a plain background with the county outline' },
    tileAttribution: { type: 'string' },
    oidc: {
      type: ['object', 'null'],
      description: 'Sign-in with the OIDC provider (authorization code with PKCE); null when no explorer client is configured',
      required: ['issuer', 'clientId', 'scopes'],
      properties: { issuer: { type: 'string' }, clientId: { type: 'string' }, scopes: { type: 'string' } },
    },
  },
};

/**
 * The web explorer (web/, built by Vite): one page whose scripts read everything through the public
 * API with the visitor's own credentials. The explorer itself has none, so it needs no caller.
 */
@ApiTags('Explorer')
@WithoutCaller()
@Controller('explore')
export class ExplorerController {
  private readonly csp: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.csp = explorerContentSecurityPolicy(config.explorer, config.auth.issuer);
  }

  @Get()
  @ApiOperation({ summary: 'The explorer: search datasets, see them on a map and over time, and govern your own' })
  @ApiAnswer(200, 'The page (never cached: it names the current build\'s files)', { content: HTML })
  @ApiProblem(503, NOT_BUILT)
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.index(reply);
  }

  @Get('config.json')
  @ApiOperation({ summary: 'What the explorer needs to know of this installation: the base map and the OIDC client' })
  @ApiJsonAnswer(200, 'The explorer\'s settings', CONFIG_SCHEMA)
  settings(@Res({ passthrough: true }) reply: FastifyReply): Record<string, unknown> {
    void reply.header('cache-control', 'no-cache');
    const { explorer, auth } = this.config;
    return {
      tileUrl: explorer.tileUrl ?? null,
      tileAttribution: explorer.tileAttribution,
      oidc: explorer.oidcClientId && auth.issuer ? { issuer: auth.issuer, clientId: explorer.oidcClientId, scopes: explorer.oidcScopes } : null,
    };
  }

  @Get('assets/:asset')
  @ApiOperation({ summary: 'A file of the explorer; its name carries a hash of its content, so it may be kept for a year' })
  @ApiAnswer(200, 'The file', { content: { 'text/javascript': { type: 'string' }, 'text/css': { type: 'string' }, 'image/svg+xml': { type: 'string' } } })
  @ApiProblem(404, 'No such file')
  @ApiProblem(503, NOT_BUILT)
  asset(@Param('asset') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = explorerAsset(name);
    if (!asset) throw new ProblemError('about:blank', 404, 'Not Found', `The explorer has no file ${name}`);
    void reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.contentType);
    return asset.body;
  }

  // Fastify's wildcard: the rest of the path, whatever its segments (documented as {path}).
  @Get('*')
  @ApiParam({ name: 'path', description: 'The page\'s path inside the explorer', schema: { type: 'string' } })
  @ApiOperation({ summary: 'A page of the explorer (/explore/datasets/{id}, /explore/entities/{id}...): the same page, which shows what the path names' })
  @ApiAnswer(200, 'The page', { content: HTML })
  @ApiProblem(503, NOT_BUILT)
  deepLink(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.index(reply);
  }

  private index(reply: FastifyReply): Buffer {
    const body = explorerIndex();
    void reply.header('cache-control', 'no-cache').header('content-security-policy', this.csp).type('text/html; charset=utf-8');
    return body;
  }
}
