// Validates N-Triples read from stdin against the SHACL shapes of the Turtle files named as
// arguments, with rdf-validate-shacl, and prints the violations as JSON lines. A process of its
// own: the validator and its @rdfjs dependencies are ES modules that Node loads natively, where
// Jest's CommonJS module loader cannot.
import { readFileSync } from 'node:fs';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Store(new Parser({ format: 'N-Triples' }).parse(Buffer.concat(chunks).toString('utf8')));
const shapes = new Store(process.argv.slice(2).flatMap((file) => new Parser().parse(readFileSync(file, 'utf8'))));
const report = await new SHACLValidator(shapes).validate(data);
for (const result of report.results) {
  const constraint = result.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', 'sh:') ?? '';
  const message = result.message.map((m) => m.value).join('; ');
  process.stdout.write(`${JSON.stringify(`${result.focusNode?.value ?? '?'} ${result.path?.value ?? ''}: ${message} (${constraint})`)}\n`);
}
