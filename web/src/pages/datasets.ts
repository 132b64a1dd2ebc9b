import { h, link, replace, shortName } from '../dom';
import { formatDateTime, localised, messages, t } from '../i18n/i18n';
import { allDatasets, dataModelOf, entityCounts, organisations, type Dataset, type Organisation } from '../datasets-api';

/** The start page: every dataset the visitor may see, searched and filtered in the page. */
export async function renderDatasets(main: HTMLElement): Promise<void> {
  const [datasets, orgs, counts] = await Promise.all([allDatasets(), organisations(), entityCounts().catch(() => new Map<string, number>())]);
  const active = datasets.filter((d) => d.status === 'active');
  const orgName = (id: string) => localised(orgs.get(id)?.name) || id;

  const search = h('input', { id: 'search', type: 'search', placeholder: t('searchPlaceholder'), autocomplete: 'off' });
  const filters = {
    organisation: select('f-org', unique(active.map((d) => d.organisation)).map((id) => [id, orgName(id)])),
    theme: select('f-theme', unique(active.flatMap((d) => d.themes)).map((v) => [v, v])),
    model: select('f-model', unique(active.map((d) => dataModelOf(d) ?? '')).filter(Boolean).map((v) => [v, v])),
    hvd: select('f-hvd', unique(active.map((d) => d.hvdCategory ?? '')).filter(Boolean).map((v) => [v, shortName(v)])),
    confidentiality: select('f-k', unique(active.map((d) => String(d.classification.confidentiality))).map((v) => [v, `K${v}`])),
  };
  const results = h('div', { id: 'results' });
  const status = h('p', { role: 'status', id: 'result-count' });

  const update = () => {
    const text = search.value.trim().toLowerCase();
    const shown = active.filter(
      (d) =>
        (!text || searchable(d, orgs).includes(text)) &&
        matches(filters.organisation, d.organisation) &&
        (!filters.theme.value || d.themes.includes(filters.theme.value)) &&
        matches(filters.model, dataModelOf(d)) &&
        matches(filters.hvd, d.hvdCategory) &&
        matches(filters.confidentiality, String(d.classification.confidentiality)),
    );
    status.textContent = t('resultCount', { count: shown.length });
    replace(results, shown.length ? h('ul', { class: 'cards' }, shown.map((d) => card(d, orgName(d.organisation), counts.get(d.id)))) : h('p', {}, t('noResults')));
  };
  search.addEventListener('input', update);
  for (const f of Object.values(filters)) f.addEventListener('change', update);

  replace(
    main,
    h('h1', {}, t('datasetsTitle')),
    h('p', {}, t('datasetsIntro')),
    h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      field('search', t('search'), search),
      field('f-org', t('filterOrganisation'), filters.organisation),
      field('f-theme', t('filterTheme'), filters.theme),
      field('f-model', t('filterDataModel'), filters.model),
      field('f-hvd', t('filterHvd'), filters.hvd),
      field('f-k', t('filterClassification'), filters.confidentiality),
    ),
    status,
    results,
  );
  update();
}

function card(d: Dataset, publisher: string, count: number | undefined): HTMLElement {
  return h('li', { class: 'card', 'data-dataset': d.id },
    h('h2', {}, link(`/datasets/${encodeURIComponent(d.id)}`, localised(d.title))),
    h('span', { class: `badge badge-${d.accessRights.toLowerCase()}` }, messages.accessRights[d.accessRights] ?? d.accessRights),
    h('dl', { class: 'facts' },
      h('dt', {}, t('publisher')), h('dd', {}, publisher),
      h('dt', {}, t('licence')), h('dd', {}, d.licence ? shortLicence(d.licence) : t('none')),
      h('dt', {}, t('lastUpdated')), h('dd', {}, formatDateTime(d.modified)),
    ),
    count === undefined ? null : h('p', { class: 'count' }, t('entityCount', { count })),
  );
}

export function shortLicence(uri: string): string {
  const cc = /creativecommons\.org\/(licenses|publicdomain)\/([a-z-]+)\/([\d.]+)/.exec(uri);
  return cc ? `CC ${cc[2].toUpperCase()} ${cc[3]}` : uri;
}

function searchable(d: Dataset, orgs: Map<string, Organisation>): string {
  const keywords = Object.values(d.keywords ?? {}).flat();
  return [...Object.values(d.title), ...Object.values(d.description), ...keywords, ...Object.values(orgs.get(d.organisation)?.name ?? {})].join(' ').toLowerCase();
}

function matches(filter: HTMLSelectElement, value: string | undefined): boolean {
  return !filter.value || filter.value === value;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function select(id: string, options: [string, string][]): HTMLSelectElement {
  return h('select', { id }, h('option', { value: '' }, t('filterAll')), options.map(([value, label]) => h('option', { value }, label)));
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
