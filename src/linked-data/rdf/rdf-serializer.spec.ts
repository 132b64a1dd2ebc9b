import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { canonicalGraph, ParsedFormat, parseRdf } from 'test/support/rdf-graphs';
import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';
import { RDF_MEDIA_TYPES, RdfFormat, rdfFormatFor } from 'src/linked-data/rdf/rdf-format';
import { quadSerializerStream, serializePages, serializeQuads, StreamableRdfFormat } from 'src/linked-data/rdf/rdf-serializer';
import { NotExpressibleInRdfXml } from 'src/linked-data/rdf/rdf-xml-writer';

const { namedNode, literal, blankNode, quad } = DataFactory;
const DCT = RDF_PREFIXES.dct;
const XSD = RDF_PREFIXES.xsd;
const RDF_TYPE = namedNode(`${RDF_PREFIXES.rdf}type`);

/** A graph with what trips writers up: languages, datatypes, blank nodes, markup, odd namespaces. */
function sampleGraph(): Quad[] {
  const dataset = namedNode('https://data.example.se/api/v1/datasets/6f1c?a=1&b=2');
  const period = blankNode('period');
  return [
    quad(dataset, RDF_TYPE, namedNode(`${RDF_PREFIXES.dcat}Dataset`)),
    quad(dataset, namedNode(`${DCT}title`), literal('Badtemperatur <Göteborg> & "Mölndal"', 'sv')),
    quad(dataset, namedNode(`${DCT}title`), literal('Bathing water\ntemperatures', 'en')),
    quad(dataset, namedNode(`${DCT}identifier`), literal('6f1c')),
    quad(dataset, namedNode(`${DCT}modified`), literal('2026-12-01T10:00:00Z', namedNode(`${XSD}dateTime`))),
    quad(dataset, namedNode(`${DCT}temporal`), period),
    quad(period, namedNode(`${RDF_PREFIXES.dcat}startDate`), literal('2026-06-01', namedNode(`${XSD}date`))),
    quad(dataset, namedNode('https://smartdatamodels.org/dataModel.Environment/temperature'), literal('21.5', namedNode(`${XSD}double`))),
    quad(dataset, namedNode('urn:vg:N-TOT'), literal('7', namedNode(`${XSD}integer`))),
    quad(namedNode('urn:ngsi-ld:WaterQualityObserved:1'), RDF_TYPE, namedNode('https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved')),
  ];
}

const PARSED: Record<RdfFormat, ParsedFormat> = {
  turtle: 'text/turtle',
  'n-triples': 'application/n-triples',
  'n-quads': 'application/n-quads',
  'rdf-xml': 'application/rdf+xml',
  'json-ld': 'application/ld+json',
};

describe('serializeQuads', () => {
  it.each(Object.keys(PARSED) as RdfFormat[])('writes %s that an independent parser reads back to the same graph', async (format) => {
    const written = await serializeQuads(sampleGraph(), format);
    expect(await canonicalGraph(await parseRdf(written, PARSED[format]))).toBe(await canonicalGraph(sampleGraph()));
  });

  it('shortens IRIs with the prefixes in Turtle and RDF/XML', async () => {
    expect(await serializeQuads(sampleGraph(), 'turtle')).toContain('dct:title');
    const xml = await serializeQuads(sampleGraph(), 'rdf-xml');
    expect(xml).toContain('<dct:title xml:lang="sv">Badtemperatur &lt;Göteborg&gt; &amp; "Mölndal"</dct:title>');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/);
  });

  it('merges named graphs into the default graph in the triple formats and keeps them in N-Quads', async () => {
    const inGraph = quad(namedNode('urn:a'), namedNode('urn:p:q'), literal('x'), namedNode('urn:graph'));
    expect(await serializeQuads([inGraph], 'n-triples')).toBe('<urn:a> <urn:p:q> "x" .\n');
    expect(await serializeQuads([inGraph], 'n-quads')).toBe('<urn:a> <urn:p:q> "x" <urn:graph> .\n');
  });

  it('keeps named graphs and blank nodes in JSON-LD', async () => {
    const graph = [...sampleGraph(), quad(namedNode('urn:a'), namedNode('urn:p:q'), blankNode('x'), namedNode('https://data.example.se/g')), quad(blankNode('x'), namedNode('urn:p:r'), literal('y'), namedNode('https://data.example.se/g'))];
    const written = await serializeQuads(graph, 'json-ld');
    expect(await canonicalGraph(await parseRdf(written, 'application/ld+json'))).toBe(await canonicalGraph(graph));
  });

  it('refuses in RDF/XML a property whose IRI ends in no XML name, naming it', async () => {
    await expect(serializeQuads([quad(namedNode('urn:a'), namedNode('http://example.org/p/'), literal('x'))], 'rdf-xml')).rejects.toThrow(NotExpressibleInRdfXml);
  });

  it('replaces in RDF/XML the characters XML cannot carry, and nothing else', async () => {
    const xml = await serializeQuads([quad(namedNode('urn:a'), namedNode(`${DCT}title`), literal('bell\u0007 tab\t'))], 'rdf-xml');
    const [parsed] = await parseRdf(xml, 'application/rdf+xml');
    expect(parsed.object.value).toBe('bell\uFFFD tab\t');
  });
});

describe('quadSerializerStream', () => {
  it.each(['turtle', 'n-triples', 'n-quads', 'rdf-xml'] as StreamableRdfFormat[])('streams %s that parses to the same graph as the whole', async (format) => {
    const written = await text(Readable.from(sampleGraph(), { objectMode: true }).pipe(quadSerializerStream(format)));
    expect(await canonicalGraph(await parseRdf(written, PARSED[format]))).toBe(await canonicalGraph(sampleGraph()));
  });

  it('writes an empty but well-formed document for an empty graph', async () => {
    const xml = await text(Readable.from([], { objectMode: true }).pipe(quadSerializerStream('rdf-xml')));
    expect(await parseRdf(xml, 'application/rdf+xml')).toEqual([]);
  });
});

describe('rdfFormatFor', () => {
  const offered: RdfFormat[] = ['rdf-xml', 'turtle', 'n-triples', 'json-ld'];
  it.each([
    [undefined, 'rdf-xml'],
    ['*/*', 'rdf-xml'],
    ['text/turtle', 'turtle'],
    ['application/n-triples, text/turtle;q=0.5', 'n-triples'],
    ['application/ld+json', 'json-ld'],
    ['text/html, application/rdf+xml;q=0.9', 'rdf-xml'],
  ])('answers Accept %p with %p', (accept, format) => {
    expect(rdfFormatFor(accept, offered)).toBe(format);
  });

  it('answers undefined when nothing offered is acceptable', () => {
    expect(rdfFormatFor('application/n-quads', offered)).toBeUndefined();
    expect(RDF_MEDIA_TYPES['n-quads']).toBe('application/n-quads');
  });
});

describe('serializePages', () => {
  async function* pagesOf(quads: Quad[], size: number) {
    for (let i = 0; i < quads.length; i += size) yield quads.slice(i, i + size);
  }

  it.each(['turtle', 'n-quads', 'rdf-xml'] as StreamableRdfFormat[])('writes %s page by page to the graph of the whole', async (format) => {
    const chunks: string[] = [];
    for await (const chunk of serializePages(pagesOf(sampleGraph(), 3), format)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(await canonicalGraph(await parseRdf(chunks.join(''), PARSED[format]))).toBe(await canonicalGraph(sampleGraph()));
  });
});
