import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessContext } from 'src/common/access/access-context';
import { ReadLog } from 'src/governance/privacy/read-log/read-log.service';

/** The access context a handler was given (set by the @Access decorator). */
export type RequestWithAccess = FastifyRequest & { access?: AccessContext };

/**
 * What every HTTP answer that disclosed entity data says and records, whichever door it came
 * through: `VGDS-View` (full, or minimised when any of it was) and, once it was sent successfully,
 * the read log entries of its personal data.
 */
@Injectable()
export class ReadDisclosureHooks implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly readLog: ReadLog,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onSend', async (request: RequestWithAccess, reply, payload) => {
      const view = request.access?.disclosure.view;
      if (view) void reply.header('vgds-view', view);
      return payload;
    });
    fastify.addHook('onResponse', async (request: RequestWithAccess, reply) => {
      if (request.access && reply.statusCode < 400) this.readLog.record(request.access, `${request.method} ${request.routeOptions.url ?? request.url}`);
    });
  }
}
