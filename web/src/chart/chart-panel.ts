import { h, replace, shortName } from '../dom';
import { formatDateTime, formatNumber, messages, t } from '../i18n/i18n';
import { errorBox } from '../pages/page-error';
import { readHistory, type HistoryRequest, type Series } from './history';
import type { ChartView } from './chart-view';

/*
 * The "over time" panel of dataset and entity pages: the visitor picks the attribute, entities,
 * period and aggregation; the chart is drawn with uPlot, and the same values are in a table for
 * those who do not see the chart (and for the browser tests).
 */
export interface ChartPanel {
  element: HTMLElement;
  refresh(): Promise<void>;
  destroy(): void;
}

const DAY = 86_400_000;

export function chartPanel(entityIds: string[], attributes: string[], idPrefix = 'chart'): ChartPanel {
  const id = (name: string) => `${idPrefix}-${name}`;
  const attribute = h('select', { id: id('attr') }, attributes.map((a) => h('option', { value: a }, shortName(a))));
  const entities = h('select', { id: id('entities'), multiple: true, size: Math.min(5, entityIds.length) }, entityIds.map((e, i) => h('option', { value: e, selected: i < 3 }, shortName(e))));
  const from = h('input', { id: id('from'), type: 'date', value: isoDate(new Date(Date.now() - 30 * DAY)) });
  const to = h('input', { id: id('to'), type: 'date', value: isoDate(new Date(Date.now() + DAY)) });
  const period = h('select', { id: id('period') },
    h('option', { value: '' }, t('chartRaw')), h('option', { value: 'PT1H' }, t('chartHour')), h('option', { value: 'P1D' }, t('chartDay')), h('option', { value: 'P1M' }, t('chartMonth')));
  const method = h('select', { id: id('method') }, (['avg', 'min', 'max'] as const).map((m) => h('option', { value: m }, messages.methods[m])));
  const canvas = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const status = h('div', { role: 'status', class: 'chart-status' });
  const table = h('details', { class: 'chart-table' });
  let view: ChartView | undefined;

  const refresh = async () => {
    const chosen = [...entities.selectedOptions].map((o) => o.value);
    if (!attribute.value || chosen.length === 0) return;
    const request: HistoryRequest = {
      entityIds: chosen, attribute: attribute.value, from: new Date(from.value), to: new Date(to.value),
      period: period.value || undefined, method: method.value as HistoryRequest['method'],
    };
    try {
      const [history, { drawChart }] = await Promise.all([readHistory(request), import('./chart-view')]);
      view?.destroy();
      canvas.replaceChildren();
      const points = history.series.reduce((n, s) => n + s.times.length, 0);
      status.textContent = points === 0 ? t('chartNoData') : history.partialUntil ? t('chartPartial', { until: formatDateTime(history.partialUntil) }) : '';
      view = points ? drawChart(canvas, history.series, shortName(request.attribute), [request.from, request.to]) : undefined;
      replace(table, h('summary', {}, t('chartTable')), valuesTable(history.series));
    } catch (error) {
      replace(status, errorBox(error));
    }
  };
  const form = h('form', { class: 'chart-form', onsubmit: (e: Event) => { e.preventDefault(); void refresh(); } },
    field(id('attr'), t('chartAttribute'), attribute), field(id('entities'), t('chartEntities'), entities),
    field(id('from'), t('chartFrom'), from), field(id('to'), t('chartTo'), to),
    field(id('period'), t('chartAggregation'), period), field(id('method'), t('chartMethod'), method),
    h('button', { type: 'submit' }, t('chartShow')),
  );
  return { element: h('div', {}, form, status, canvas, table), refresh, destroy: () => view?.destroy() };
}

function valuesTable(series: Series[]): HTMLTableElement {
  const rows = new Map<number, (number | null)[]>();
  series.forEach((s, column) => s.times.forEach((time, i) => {
    const row = rows.get(time) ?? series.map(() => null);
    row[column] = s.values[i];
    rows.set(time, row);
  }));
  return h('table', { class: 'values' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chartTime')), series.map((s) => h('th', { scope: 'col' }, shortName(s.entityId))))),
    h('tbody', {}, [...rows.entries()].sort(([a], [b]) => a - b).map(([time, values]) =>
      h('tr', { 'data-time': new Date(time * 1000).toISOString() }, h('th', { scope: 'row' }, formatDateTime(new Date(time * 1000).toISOString())),
        values.map((v) => h('td', { 'data-value': v ?? '' }, v === null ? '' : formatNumber(v)))))),
  );
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function field(forId: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: forId }, label), control);
}
