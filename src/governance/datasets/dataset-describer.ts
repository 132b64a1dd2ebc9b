import { AccessContext } from 'src/common/access/access-context';
import { RdfFormat } from 'src/linked-data/rdf/rdf-format';

/**
 * Renders a dataset as RDF for its URL (GET /api/v1/datasets/{id} with an RDF Accept): its DCAT
 * description. The catalog (src/catalog/) provides it; governance names only this contract, so
 * that it depends on no catalog code while the catalog depends on its datasets.
 */
export abstract class DatasetDescriber {
  /** The dataset's description in `format`; 404 for a dataset the caller may not see, as for JSON. */
  abstract describe(access: AccessContext, id: string, format: RdfFormat): Promise<string>;
}
