import { DatasetContent } from 'src/governance/datasets/datasets.repository';

/**
 * Licences at least as free as CC BY 4.0, which High-Value Datasets must carry (Regulation (EU)
 * 2023/138, art. 4): CC BY 4.0 and CC0 1.0, as Creative Commons writes them and as the EU licence
 * vocabulary names them.
 */
const HVD_LICENCES = [
  /^https?:\/\/creativecommons\.org\/licenses\/by\/4\.0\/?$/,
  /^https?:\/\/creativecommons\.org\/publicdomain\/zero\/1\.0\/?$/,
  /^http:\/\/publications\.europa\.eu\/resource\/authority\/licence\/(CC_BY_4_0|CC0)$/,
];

/**
 * Rules that tie the fields of a dataset together, beyond each field's own shape. Returns the
 * problems, empty when the dataset is consistent.
 */
export function datasetInconsistencies(content: DatasetContent, isDefault: boolean): string[] {
  const problems: string[] = [];
  const { confidentiality } = content;
  const category = content.personalData.category;
  if (content.open && confidentiality !== 0) problems.push(`open: only K0 data can be open, and this dataset is K${confidentiality}`);
  if (content.open && category !== 'none') problems.push(`open: data with personal data (${category}) is never open`);
  if (category === 'special-category' && confidentiality < 2) {
    problems.push('classification.confidentiality: special categories of personal data (GDPR art. 9) need at least K2');
  }
  if (isDefault) {
    if (content.open) problems.push("open: an organisation's default dataset holds unassigned entities and is never open");
    if (content.listedInCatalog) problems.push("listedInCatalog: an organisation's default dataset holds unassigned entities and is not listed in the catalog");
    if (confidentiality < 1) problems.push("classification.confidentiality: an organisation's default dataset stays restricted (at least K1)");
    if (content.entities.length > 0) problems.push("entities: the default dataset takes what no rule claims; it has no rules of its own");
  }
  return [...problems, ...highValueDatasetProblems(content)];
}

/**
 * What a dataset tagged with a High-Value Dataset category lacks. The regulation also asks for an
 * API and a bulk download; every dataset has both here (NGSI-LD, GraphQL, /download), so they are
 * not checked.
 */
function highValueDatasetProblems(content: DatasetContent): string[] {
  if (content.hvdCategory === null) return [];
  const missing: string[] = [];
  if (!content.open) missing.push('be open (open: true; K0, no personal data)');
  if (content.licence === null) missing.push('carry a licence of CC BY 4.0 or freer (licence)');
  else if (!HVD_LICENCES.some((licence) => licence.test(content.licence!))) {
    missing.push(`carry a licence of CC BY 4.0 or freer, and ${content.licence} is not (licence: http://creativecommons.org/licenses/by/4.0/ or http://creativecommons.org/publicdomain/zero/1.0/)`);
  }
  if (content.contactPoint === null) missing.push('name a contact point (contactPoint)');
  return missing.map((problem) => `hvdCategory: a High-Value Dataset (Regulation (EU) 2023/138) must ${problem}`);
}
