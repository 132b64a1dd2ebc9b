import { apiFetch, apiGet } from '../api';
import { h, replace } from '../dom';
import { formatDateTime, t } from '../i18n/i18n';
import { errorBox } from '../pages/page-error';
import { dataTable, panel } from './table';

interface ApiKey {
  id: string;
  name: string;
  write: boolean;
  status: string;
  createdAt: string;
}

/** The organisation's API keys: issue one (its secret shown once, here), revoke one. */
export async function keysPanel(): Promise<HTMLElement> {
  const list = h('div', {});
  const status = h('div', { role: 'status', id: 'keys-status' });
  const draw = async () => {
    const keys = (await apiGet<ApiKey[]>('/api/v1/api-keys')).filter((k) => k.status === 'active');
    replace(list, keys.length === 0 ? h('p', {}, t('noKeys')) : dataTable('keys', [t('keyName'), t('keyWrite'), t('created'), t('actions')], keys.map((k) => [
      k.name, k.write ? '✓' : '', formatDateTime(k.createdAt),
      h('button', { type: 'button', 'aria-label': `${t('revoke')} ${k.name}`, onclick: () => void act(async () => {
        await apiFetch(`/api/v1/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
        status.textContent = t('done');
      }) }, t('revoke')),
    ])));
  };
  const act = async (action: () => Promise<void>) => {
    try {
      await action();
      await draw();
    } catch (error) {
      replace(status, errorBox(error));
    }
  };
  const name = h('input', { id: 'key-name', required: true, autocomplete: 'off' });
  const write = h('input', { id: 'key-write', type: 'checkbox' });
  const form = h('form', { id: 'issue-key', class: 'inline-form', onsubmit: (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const { body } = await apiFetch<{ key: string }>('/api/v1/api-keys', { method: 'POST', json: { name: name.value, write: write.checked } });
      replace(status, h('p', {}, t('keyShownOnce', { key: '' }), h('code', { id: 'new-key' }, body.key)));
      name.value = '';
    });
  } },
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, t('keyName')), name),
    h('div', { class: 'field checkbox' }, write, h('label', { for: 'key-write' }, t('keyWrite'))),
    h('button', { type: 'submit' }, t('issue')),
  );
  await draw();
  return panel('api-keys', t('apiKeys'), list, form, status);
}
