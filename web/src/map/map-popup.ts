import { h, link, shortName } from '../dom';
import { formatDateTime, formatNumber } from '../i18n/i18n';
import type { DatasetEntity, NgsiAttribute } from '../datasets-api';

export type MapEntity = DatasetEntity;
/** The latest values of an entity, as shown in its popup (and nowhere as markup). */
export function popupContent(entity: MapEntity): HTMLElement {
  const rows = Object.entries(entity.attributes)
    .filter(([, a]) => a.type === 'Property' && (typeof a.value === 'number' || typeof a.value === 'string'))
    .map(([name, a]) => h('tr', {}, h('th', { scope: 'row' }, shortName(name)), h('td', {}, displayValue(a)), h('td', {}, formatDateTime(a.observedAt))));
  return h('div', { class: 'popup' }, h('strong', {}, link(`/entities/${encodeURIComponent(entity.id)}`, shortName(entity.id))), h('table', {}, h('tbody', {}, rows)));
}

export function displayValue(a: NgsiAttribute): string {
  const value = typeof a.value === 'number' ? formatNumber(a.value) : typeof a.value === 'string' ? a.value : JSON.stringify(a.value ?? a.object);
  return a.unitCode ? `${value} ${unitLabel(a.unitCode)}` : value;
}

/** UN/CEFACT common codes the region's sensors use, as people write them. */
const UNITS: Record<string, string> = { CEL: '°C', P1: '%', MTR: 'm', MMT: 'mm', KMH: 'km/h', MTS: 'm/s', A97: 'hPa', GQ: 'µg/m³', MTQ: 'm³', LTR: 'l', KWH: 'kWh', WTT: 'W' };
export function unitLabel(code: string): string {
  return UNITS[code] ?? code;
}
