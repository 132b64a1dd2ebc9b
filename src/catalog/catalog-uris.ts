/*
 * The HTTP URIs of everything the catalog describes, built from the public base URL. Catalogs and
 * datasets are the URLs that serve their description; distributions, data services and a
 * dataset's own contact point are fragments of the dataset's URL (dereferencing the dataset gives
 * the document that describes them); an organisation's contact point is a fragment of its
 * registry resource; publishers are DIGG's recommended http://dataportal.se/organisation/SE<number>.
 */

export function mainCatalogUri(base: string): string {
  return `${base}/catalog`;
}

export function organisationCatalogUri(base: string, organisation: string): string {
  return `${base}/catalog/${organisation}`;
}

export function datasetUri(base: string, id: string): string {
  return `${base}/api/v1/datasets/${id}`;
}

export function organisationContactUri(base: string, organisation: string): string {
  return `${base}/api/v1/organisations/${organisation}#contact`;
}

export function downloadUrl(base: string, id: string, file: string): string {
  return `${base}/api/v1/datasets/${id}/download/${file}`;
}
