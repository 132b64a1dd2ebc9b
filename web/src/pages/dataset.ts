import { apiGet } from '../api';
import { h, link, replace, shortName } from '../dom';
import { formatDateTime, localised, messages, t } from '../i18n/i18n';
import { datasetEntities, dataModelOf, organisations, type Dataset, type DatasetEntity } from '../datasets-api';
import { chartPanel } from '../chart/chart-panel';
import { displayValue } from '../map/map-popup';
import { followChanges } from '../live';
import type { ExplorerSettings } from '../owner/oidc';
import type { MapView } from '../map/map-view';
import { examples } from './examples';
import { errorBox } from './page-error';
import { shortLicence } from './datasets';

/** A dataset: what it is, its entities on a map and over time, its downloads and examples. */
export async function renderDataset(main: HTMLElement, [id]: string[], settings: ExplorerSettings): Promise<() => void> {
  const [dataset, orgs, { total, entities }] = await Promise.all([
    apiGet<Dataset>(`/api/v1/datasets/${encodeURIComponent(id)}`),
    organisations(),
    datasetEntities(id),
  ]);
  const org = orgs.get(dataset.organisation);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const numeric = [...new Set(entities.flatMap((e) => Object.entries(e.attributes).filter(([, a]) => typeof a.value === 'number').map(([name]) => name)))];

  const mapContainer = h('div', { id: 'map', class: 'map', role: 'region', tabindex: 0, 'aria-label': t('mapLabel') });
  const entityTable = h('tbody', {});
  const drawEntityRows = () => replace(entityTable, [...byId.values()].map(entityRow));
  drawEntityRows();
  const chart = numeric.length ? chartPanel([...byId.keys()], numeric) : undefined;
  const liveStatus = h('p', { role: 'status', class: 'live', id: 'live-status' });

  replace(
    main,
    h('h1', {}, localised(dataset.title)),
    h('span', { class: `badge badge-${dataset.accessRights.toLowerCase()}` }, messages.accessRights[dataset.accessRights] ?? dataset.accessRights),
    h('p', { class: 'description' }, localised(dataset.description)),
    facts(dataset, org ? localised(org.name) : dataset.organisation, org?.homepage),
    h('section', { 'aria-labelledby': 'map-title' },
      h('h2', { id: 'map-title' }, t('map')),
      entities.some((e) => e.geometry) ? mapContainer : h('p', {}, t('mapNoGeometry')),
      h('h3', {}, t('entitiesList'), ` (${total})`),
      h('table', { class: 'entities' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('entityTitle')), h('th', { scope: 'col' }, t('value')), h('th', { scope: 'col' }, t('lastUpdated')))), entityTable),
    ),
    chart ? h('section', { 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, t('chart')), chart.element) : null,
    h('section', { 'aria-labelledby': 'downloads-title' }, h('h2', { id: 'downloads-title' }, t('downloads')), downloads(dataset)),
    h('section', { 'aria-labelledby': 'examples-title' }, h('h2', { id: 'examples-title' }, t('examples')), examples(dataset, entities[0]?.id)),
    dataset.open ? liveStatus : null,
  );

  let map: MapView | undefined;
  if (entities.some((e) => e.geometry)) {
    // A map that cannot be drawn says why in its place; the rest of the page stays.
    try {
      const { createMap } = await import('../map/map-view');
      map = await createMap(mapContainer, entities, settings);
    } catch (error) {
      mapContainer.replaceWith(errorBox(error));
    }
  }
  void chart?.refresh();
  let pending: number | undefined;
  const stopFollowing = dataset.open
    ? followChanges(dataset.id, (entity: DatasetEntity) => {
        if (!byId.has(entity.id) && byId.size >= 100) return;
        byId.set(entity.id, entity);
        map?.update(entity);
        drawEntityRows();
        liveStatus.textContent = t('liveUpdated', { entity: shortName(entity.id) });
        // Several changes in a burst redraw the chart once.
        clearTimeout(pending);
        pending = window.setTimeout(() => void chart?.refresh(), 500);
      })
    : () => undefined;
  if (dataset.open) liveStatus.textContent = t('live');
  return () => {
    stopFollowing();
    clearTimeout(pending);
    map?.destroy();
    chart?.destroy();
  };
}

function entityRow(entity: DatasetEntity): HTMLElement {
  const values = Object.entries(entity.attributes).filter(([, a]) => a.type === 'Property' && typeof a.value === 'number');
  const latest = values.map(([, a]) => a.observedAt).filter(Boolean).sort().pop();
  return h('tr', { 'data-entity': entity.id },
    h('th', { scope: 'row' }, link(`/entities/${encodeURIComponent(entity.id)}`, shortName(entity.id))),
    h('td', {}, values.map(([name, a]) => `${shortName(name)}: ${displayValue(a)}`).join(', ')),
    h('td', {}, formatDateTime(latest)),
  );
}

function facts(d: Dataset, publisher: string, homepage: string | undefined): HTMLElement {
  const k = d.classification;
  const row = (term: string, ...value: (Node | string | null)[]) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h('dl', { class: 'facts wide' },
    row(t('publisher'), homepage ? h('a', { href: homepage, rel: 'noopener' }, publisher) : publisher),
    row(t('contact'), d.contactPoint ? [d.contactPoint.name, d.contactPoint.email].filter(Boolean).join(', ') : t('none')),
    row(t('licence'), d.licence ? h('a', { href: d.licence, rel: 'noopener license' }, shortLicence(d.licence)) : t('none')),
    h('dt', {}, t('classification')),
    h('dd', {}, h('ul', { class: 'klassa' },
      h('li', {}, `${t('confidentiality')}: ${messages.levels[k.confidentiality]}`),
      h('li', {}, `${t('integrity')}: ${messages.levels[k.integrity]}`),
      h('li', {}, `${t('availability')}: ${messages.levels[k.availability]}`))),
    row(t('dataModel'), d.conformsTo ? h('a', { href: d.conformsTo, rel: 'noopener' }, dataModelOf(d) ?? d.conformsTo) : (dataModelOf(d) ?? t('none'))),
    row(t('themes'), d.themes.join(', ') || t('none')),
    row(t('spatialCoverage'), d.spatialCoverage ? JSON.stringify(d.spatialCoverage) : t('mapOutline')),
    // The service keeps no temporal coverage for a dataset yet (the catalog will derive it): none rather than a guess.
    row(t('temporalCoverage'), t('none')),
    row(t('updateFrequency'), d.updateFrequency ?? t('none')),
    row(t('lastUpdated'), formatDateTime(d.modified)),
  );
}

function downloads(d: Dataset): HTMLElement {
  const base = `/api/v1/datasets/${encodeURIComponent(d.id)}/download`;
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const item = (href: string, label: string) => h('li', {}, h('a', { href, download: '' }, label));
  return h('ul', { class: 'downloads' },
    item(`${base}/current.csv`, t('downloadCsv')),
    item(`${base}/current.geojson`, t('downloadGeoJson')),
    item(`${base}/current.jsonld`, t('downloadJsonLd')),
    item(`${base}/history.csv?from=${from}&to=${to}`, t('downloadHistory')),
    h('li', {}, h('a', { href: `/catalog/${encodeURIComponent(d.organisation)}` }, t('catalogRecord'))),
  );
}
