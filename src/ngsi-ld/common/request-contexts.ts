import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ContextCompiler, RequestContext } from 'src/jsonld/context-compiler';
import { linkedContext, payloadContext } from 'src/ngsi-ld/common/json-ld-request';

/** The compiled @context of an NGSI-LD request: from its payload (writes) or its Link header (reads). */
@Injectable()
export class RequestContexts {
  constructor(private readonly compiler: ContextCompiler) {}

  forPayload(request: FastifyRequest, body: unknown, options?: { mergePatch?: boolean }): Promise<RequestContext> {
    return this.compiler.compile(payloadContext(request.headers, body, options));
  }

  forRead(request: FastifyRequest): Promise<RequestContext> {
    return this.compiler.compile(linkedContext(request.headers));
  }
}
