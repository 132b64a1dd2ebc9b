import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Parser, Quad, Writer } from 'n3';

/*
 * SHACL validation against the SEMIC shapes in ../shared/reference (kept there, never copied into
 * the project), with rdf-validate-shacl. Violations come back as one readable line each.
 */

/** The reference files: VGDS_REFERENCE_DIR, else ../shared/reference beside the repository, else /work/shared/reference. */
export function referenceDir(): string {
  const repoRoot = resolve(__dirname, '..', '..');
  const candidates = [process.env.VGDS_REFERENCE_DIR, resolve(repoRoot, '..', 'shared', 'reference'), '/work/shared/reference'];
  const found = candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'dcat-ap-3.0.1')));
  if (!found) throw new Error(`No reference files in ${candidates.filter(Boolean).join(', ')} (set VGDS_REFERENCE_DIR)`);
  return found;
}

export const DCAT_AP_SHAPES = ['dcat-ap-3.0.1/dcat-ap-SHACL.ttl', 'dcat-ap-3.0.1/ranges.ttl'];
export const HVD_SHAPES = ['dcat-ap-3.0.1/hvd-SHACL.ttl'];

export function parseTurtle(text: string, baseIRI?: string): Quad[] {
  return new Parser({ baseIRI }).parse(text);
}

/** The violations of the data against the shapes of `files`, one line each: focus node, path, message, constraint. */
export async function shaclViolations(data: readonly Quad[], files: readonly string[]): Promise<string[]> {
  const dir = referenceDir();
  const ntriples = new Writer({ format: 'N-Triples' }).quadsToString([...data]);
  const output = await new Promise<string>((done, fail) => {
    const child = execFile(process.execPath, [join(__dirname, 'shacl-validate.mjs'), ...files.map((file) => join(dir, file))], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? fail(new Error(`SHACL validation failed to run: ${stderr || error.message}`)) : done(stdout),
    );
    child.stdin!.end(ntriples);
  });
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as string);
}
