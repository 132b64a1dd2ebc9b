import { apiFetch, apiGet } from '../api';
import { h, link, replace } from '../dom';
import { localised, messages, t } from '../i18n/i18n';
import { errorBox } from '../pages/page-error';
import type { Dataset } from '../datasets-api';
import { dataTable, panel } from './table';

interface Grant {
  id: string;
  organisation?: string;
  principal?: string;
  view: string;
  status: string;
}

/** The organisation's datasets, restricted ones included, each with its grants to give and revoke. */
export async function datasetsPanel(organisation: string): Promise<HTMLElement> {
  const datasets = await apiGet<Dataset[]>(`/api/v1/datasets?organisation=${encodeURIComponent(organisation)}&limit=100`);
  const sections = await Promise.all(datasets.map(async (d) => {
    const grants = h('div', {});
    const status = h('div', { role: 'status' });
    const draw = async () => {
      const list = (await apiGet<Grant[]>(`/api/v1/datasets/${d.id}/grants`).catch(() => [] as Grant[])).filter((g) => g.status === 'active');
      replace(grants, list.length === 0 ? h('p', {}, t('noGrants')) : dataTable(`grants-${d.id}`, [t('grantTo'), t('grantView'), t('actions')], list.map((g) => [
        g.organisation ?? g.principal ?? '', g.view,
        h('button', { type: 'button', 'aria-label': `${t('revoke')} ${g.organisation ?? g.principal}`, onclick: () => void act(() => apiFetch(`/api/v1/datasets/${d.id}/grants/${g.id}`, { method: 'DELETE' })) }, t('revoke')),
      ])));
    };
    const act = async (action: () => Promise<unknown>) => {
      try {
        await action();
        status.textContent = t('done');
        await draw();
      } catch (error) {
        replace(status, errorBox(error));
      }
    };
    const grantee = h('input', { id: `grantee-${d.id}`, required: true, autocomplete: 'off', pattern: '[a-z0-9][a-z0-9-]*' });
    const view = h('select', { id: `view-${d.id}` }, h('option', { value: 'minimised' }, t('viewMinimised')), h('option', { value: 'full' }, t('viewFull')));
    const form = h('form', { class: 'inline-form grant-form', onsubmit: (e: Event) => {
      e.preventDefault();
      void act(() => apiFetch(`/api/v1/datasets/${d.id}/grants`, { method: 'POST', json: { organisation: grantee.value, view: view.value } }));
    } },
      h('div', { class: 'field' }, h('label', { for: grantee.id }, t('grantTo')), grantee),
      h('div', { class: 'field' }, h('label', { for: view.id }, t('grantView')), view),
      h('button', { type: 'submit' }, t('give')),
    );
    await draw();
    return h('article', { class: 'owned-dataset', 'data-dataset': d.id },
      h('h3', {}, link(`/datasets/${encodeURIComponent(d.id)}`, localised(d.title)), ' ',
        h('span', { class: `badge badge-${d.accessRights.toLowerCase()}` }, messages.accessRights[d.accessRights] ?? d.accessRights), ` K${d.classification.confidentiality}`),
      h('h4', {}, t('grants')), grants, form, status);
  }));
  return panel('own-datasets', t('ownDatasets'), ...sections);
}
