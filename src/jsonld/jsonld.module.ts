import { Global, Module } from '@nestjs/common';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';

@Global()
@Module({ providers: [ContextDocumentLoader, ContextCompiler], exports: [ContextDocumentLoader, ContextCompiler] })
export class JsonLdModule {}
