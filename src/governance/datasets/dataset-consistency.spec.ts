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
  listedInCatalog: false,
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

describe('High-Value Dataset rules', () => {
  const hvd: DatasetContent = {
    ...base,
    hvdCategory: 'http://data.europa.eu/bna/c_dd313021',
    licence: 'http://creativecommons.org/licenses/by/4.0/',
    contactPoint: { name: 'Miljöförvaltningen', email: 'miljo@goteborg.se' },
  };

  it('accepts an open dataset with a CC BY 4.0 or CC0 licence and a contact point', () => {
    expect(datasetInconsistencies(hvd, false)).toEqual([]);
    for (const licence of ['https://creativecommons.org/licenses/by/4.0', 'http://creativecommons.org/publicdomain/zero/1.0/', 'http://publications.europa.eu/resource/authority/licence/CC_BY_4_0']) {
      expect(datasetInconsistencies({ ...hvd, licence }, false)).toEqual([]);
    }
  });

  it('says everything a tagged dataset lacks, at once', () => {
    const problems = datasetInconsistencies({ ...hvd, open: false, confidentiality: 1, licence: null, contactPoint: null }, false);
    expect(problems.filter((p) => p.startsWith('hvdCategory'))).toEqual([
      'hvdCategory: a High-Value Dataset (Regulation (EU) 2023/138) must be open (open: true; K0, no personal data)',
      'hvdCategory: a High-Value Dataset (Regulation (EU) 2023/138) must carry a licence of CC BY 4.0 or freer (licence)',
      'hvdCategory: a High-Value Dataset (Regulation (EU) 2023/138) must name a contact point (contactPoint)',
    ]);
  });

  it('refuses a licence less free than CC BY 4.0, naming it', () => {
    const [problem] = datasetInconsistencies({ ...hvd, licence: 'https://creativecommons.org/licenses/by-nc/4.0/' }, false);
    expect(problem).toContain('https://creativecommons.org/licenses/by-nc/4.0/ is not');
  });

  it('does not list an organisation default dataset in the catalog', () => {
    const defaults = { ...base, open: false, confidentiality: 1, entities: [], listedInCatalog: true };
    expect(datasetInconsistencies(defaults, true)).toEqual(["listedInCatalog: an organisation's default dataset holds unassigned entities and is not listed in the catalog"]);
  });
});
