import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { shortName } from '../dom';
import { formatNumber, lang, t } from '../i18n/i18n';
import type { Series } from './history';

/*
 * The chart (loaded with import() only where one is shown): uPlot draws on a canvas and stays smooth
 * with 100,000 points. Several entities share one time axis (uPlot.join aligns their times).
 */
const COLOURS = ['#0b5cad', '#b3261e', '#1e7d32', '#7b3fa0', '#a65b00', '#00708a'];

export interface ChartView {
  destroy(): void;
}

/** `period` is the time axis: the one the visitor chose, also when the values are few (uPlot would otherwise pad one value by a year). */
export function drawChart(container: HTMLElement, series: Series[], label: string, period: [Date, Date]): ChartView {
  const data = uPlot.join(series.map((s) => [s.times, s.values] as uPlot.AlignedData)) as uPlot.AlignedData;
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' });
  const tickFormat = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const plot = new uPlot(
    {
      width: Math.max(300, container.clientWidth || 640),
      height: 280,
      scales: { x: { time: true, range: () => [period[0].getTime() / 1000, period[1].getTime() / 1000] } },
      series: [
        { label: t('chartTime'), value: (_u, v) => (v == null ? '' : dateFormat.format(new Date(v * 1000))) },
        ...series.map((s, i) => ({
          label: shortName(s.entityId),
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          points: { show: true },
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => (v == null ? '' : formatNumber(v)),
        })),
      ],
      // Ticks in the visitor's language (uPlot's own formats are English).
      axes: [{ space: 120, values: (_u, ticks) => ticks.map((v) => tickFormat.format(new Date(v * 1000))) }, { label, values: (_u, ticks) => ticks.map((v) => formatNumber(v)) }],
    },
    data,
    container,
  );
  const resize = () => plot.setSize({ width: Math.max(300, container.clientWidth), height: 280 });
  window.addEventListener('resize', resize);
  return {
    destroy: () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    },
  };
}
