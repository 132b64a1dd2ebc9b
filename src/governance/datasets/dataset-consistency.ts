import { DatasetContent } from 'src/governance/datasets/datasets.repository';

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
    if (confidentiality < 1) problems.push("classification.confidentiality: an organisation's default dataset stays restricted (at least K1)");
    if (content.entities.length > 0) problems.push("entities: the default dataset takes what no rule claims; it has no rules of its own");
  }
  return problems;
}
