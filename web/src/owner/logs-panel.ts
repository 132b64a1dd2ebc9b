import { apiGet } from '../api';
import { h } from '../dom';
import { formatDateTime, t } from '../i18n/i18n';
import { errorBox } from '../pages/page-error';
import type { Dataset } from '../datasets-api';
import { dataTable, panel } from './table';

interface Device { id: string; deviceId: string; }
interface DeviceStatus { lastSeen?: string; accepted?: number; rejected?: number; }
interface AuditRecord { seq?: number; at: string; event: string; principal?: string; target?: string; }
interface ReadRecord { at: string; principalOrganisation?: string; principal: string; purpose?: string; readPath: string; }

/** The organisation's devices and whether they are heard from. */
export async function devicesPanel(): Promise<HTMLElement> {
  try {
    const devices = await apiGet<Device[]>('/api/v1/devices?limit=100');
    const rows = await Promise.all(devices.map(async (d) => {
      const s = await apiGet<DeviceStatus>(`/api/v1/devices/${encodeURIComponent(d.id)}/status`).catch(() => ({}) as DeviceStatus);
      return [d.deviceId, formatDateTime(s.lastSeen), `${s.accepted ?? 0} / ${s.rejected ?? 0}`];
    }));
    return panel('devices', t('devices'), rows.length ? dataTable('devices-table', [t('name'), t('lastSeen'), t('status')], rows) : h('p', {}, t('noDevices')));
  } catch (error) {
    return panel('devices', t('devices'), errorBox(error));
  }
}

/** The audit log of the organisation (newest last, as the service keeps it) and the read log of its personal data. */
export async function logsPanel(organisation: string): Promise<HTMLElement> {
  const audit = await apiGet<AuditRecord[]>(`/api/v1/audit-log?organisation=${encodeURIComponent(organisation)}&limit=100`).catch((error) => error as Error);
  const auditContent = audit instanceof Error ? errorBox(audit)
    : audit.length === 0 ? h('p', {}, t('noEntries'))
    : dataTable('audit-table', [t('at'), t('event'), t('principal')], audit.slice(-50).reverse().map((r) => [formatDateTime(r.at), r.event, r.principal ?? '']));
  const personal = (await apiGet<Dataset[]>(`/api/v1/datasets?organisation=${encodeURIComponent(organisation)}&limit=100`).catch(() => [] as Dataset[]))
    .filter((d) => d.personalData?.category && d.personalData.category !== 'none');
  const reads = (await Promise.all(personal.map((d) => apiGet<ReadRecord[]>(`/api/v1/datasets/${d.id}/reads`).catch(() => [] as ReadRecord[])))).flat();
  const readContent = reads.length === 0 ? h('p', {}, t('noEntries'))
    : dataTable('reads-table', [t('at'), t('principal'), t('event')], reads.slice(-50).map((r) => [formatDateTime(r.at), `${r.principal} (${r.principalOrganisation ?? ''})`, `${r.readPath} ${r.purpose ?? ''}`]));
  return h('div', {}, panel('audit-log', t('auditLog'), auditContent), panel('read-log', t('readLog'), readContent));
}
