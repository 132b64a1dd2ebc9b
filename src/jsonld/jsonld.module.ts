import { Global, Module } from '@nestjs/common';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { HostedContextsRepository } from 'src/jsonld/hosted-contexts.repository';

@Global()
@Module({
  providers: [ContextDocumentLoader, ContextCompiler, HostedContextsRepository],
  exports: [ContextDocumentLoader, ContextCompiler, HostedContextsRepository],
})
export class JsonLdModule {}
