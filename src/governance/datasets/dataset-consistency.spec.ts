import { datasetInconsistencies } from 'src/governance/datasets/dataset-consistency';
import { DatasetContent } from 'src/governance/datasets/datasets.repository';

const base: DatasetContent = {
  title: { sv: 'Badtemperaturer' },
  description: { sv: 'Vattentemperatur vid badplatser' },
  keywords: {},
  themes: ['ENVI'],
  licence: null,
  contactPoint: null,
  updateFrequency: null,
  spatialCoverage: null,
  hvdCategory: null,
  confidentiality: 0,
  integrity: 1,
  availability: 1,
  open: true,
  personalData: { category: 'none', legalBasis: [], purposes: [], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' as const },
  retentionPeriod: null,
  retentionIncludesCurrentValues: false,
  jsonldContext: null,
  conformsTo: null,
  entities: [{ type: 'https://smartdatamodels.org/dataModel.Environment/WaterQualityObserved' }],
};

describe('dataset consistency', () => {
  it('accepts an open K0 dataset without personal data', () => {
    expect(datasetInconsistencies(base, false)).toEqual([]);
  });

  it('refuses open data above K0 or with personal data', () => {
    expect(datasetInconsistencies({ ...base, confidentiality: 1 }, false)).toEqual([expect.stringContaining('only K0')]);
    const personal = { ...base, personalData: { category: 'pseudonymised' as const, legalBasis: ['dpv:PublicTask'], purposes: ['dpv:ServiceProvision'], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' as const } };
    expect(datasetInconsistencies(personal, false)).toEqual([expect.stringContaining('never open')]);
  });

  it('needs K2 for special categories of personal data', () => {
    const special = { ...base, open: false, confidentiality: 1, personalData: { category: 'special-category' as const, legalBasis: ['dpv:Consent'], purposes: ['dpv:ServiceProvision'], identifyingAttributes: [], dataCategories: [], minimisation: { removeAttributes: [] }, erasure: 'delete' as const } };
    expect(datasetInconsistencies(special, false)).toEqual([expect.stringContaining('at least K2')]);
    expect(datasetInconsistencies({ ...special, confidentiality: 2 }, false)).toEqual([]);
  });

  it('keeps a default dataset restricted and without rules', () => {
    expect(datasetInconsistencies(base, true)).toHaveLength(3);
    expect(datasetInconsistencies({ ...base, open: false, confidentiality: 2, entities: [] }, true)).toEqual([]);
  });
});
