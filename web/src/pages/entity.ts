import { apiGet, graphql } from '../api';
import { h, link, replace, shortName } from '../dom';
import { formatDateTime, lang, t } from '../i18n/i18n';
import { fromNormalized, type NgsiAttribute } from '../datasets-api';
import { chartPanel } from '../chart/chart-panel';
import { displayValue } from '../map/map-popup';

/** One entity: its attributes with units and times, its relationships as links, its history. */
export async function renderEntity(main: HTMLElement, [id]: string[]): Promise<() => void> {
  const [raw, found] = await Promise.all([
    apiGet<Record<string, unknown>>(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}?options=sysAttrs`),
    graphql<{ entity: { dataset: { id: string; title: string | null } | null } | null }>('query E($id: ID!, $lang: String) { entity(id: $id) { dataset { id title(lang: $lang) } } }', { id, lang }).catch(() => undefined),
  ]);
  const entity = fromNormalized(raw);
  const entries = Object.entries(entity.attributes).filter(([name]) => !['createdAt', 'modifiedAt'].includes(name));
  const relationships = entries.filter(([, a]) => a.type === 'Relationship');
  const properties = entries.filter(([, a]) => a.type !== 'Relationship');
  const numeric = properties.filter(([, a]) => typeof a.value === 'number').map(([name]) => name);
  const chart = numeric.length ? chartPanel([entity.id], numeric, 'history') : undefined;
  const dataset = found?.entity?.dataset;

  replace(
    main,
    h('h1', {}, shortName(entity.id)),
    h('p', {}, h('code', {}, entity.id), ' · ', shortName(String(raw.type))),
    dataset ? h('p', {}, `${t('dataset')}: `, link(`/datasets/${encodeURIComponent(dataset.id)}`, dataset.title ?? dataset.id)) : null,
    h('section', { 'aria-labelledby': 'attrs-title' },
      h('h2', { id: 'attrs-title' }, t('attributes')),
      h('table', { class: 'attributes' },
        h('thead', {}, h('tr', {}, ['attribute', 'value', 'unit', 'observedAt'].map((key) => h('th', { scope: 'col' }, t(key as 'value'))))),
        h('tbody', {}, properties.map(([name, a]) => attributeRow(name, a))),
      ),
    ),
    relationships.length
      ? h('section', { 'aria-labelledby': 'rels-title' }, h('h2', { id: 'rels-title' }, t('relationships')),
          h('ul', {}, relationships.map(([name, a]) => h('li', {}, `${shortName(name)}: `, link(`/entities/${encodeURIComponent(a.object ?? '')}`, a.object ?? '')))))
      : null,
    chart ? h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, t('history')), chart.element) : null,
  );
  void chart?.refresh();
  return () => chart?.destroy();
}

function attributeRow(name: string, a: NgsiAttribute): HTMLElement {
  const value = a.type === 'GeoProperty' ? JSON.stringify(a.value) : displayValue({ ...a, unitCode: undefined });
  return h('tr', {}, h('th', { scope: 'row' }, shortName(name)), h('td', {}, value), h('td', {}, a.unitCode ?? ''), h('td', {}, formatDateTime(a.observedAt)));
}
