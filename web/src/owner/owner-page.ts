import { apiGet } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n/i18n';
import { credential, signInWith, signOut } from '../session';
import { errorBox } from '../pages/page-error';
import { beginSignIn, type ExplorerSettings } from './oidc';
import { keysPanel } from './keys-panel';
import { datasetsPanel } from './datasets-panel';
import { devicesPanel, logsPanel } from './logs-panel';

export interface Me {
  kind: string;
  subject: string;
  organisation?: string;
  roles: string[];
}

/** The owner's page: sign in, then the organisation's datasets, grants, keys, devices and logs. */
export async function renderOwner(main: HTMLElement, _parts: string[], settings: ExplorerSettings): Promise<void> {
  if (!credential()) return renderSignIn(main, settings);
  let me: Me;
  try {
    me = await apiGet<Me>('/api/v1/me');
  } catch (error) {
    signOut();
    renderSignIn(main, settings);
    main.prepend(errorBox(error));
    return;
  }
  const organisation = me.organisation ?? '';
  replace(
    main,
    h('h1', {}, t('ownerTitle')),
    h('p', { id: 'who' }, t('who', { principal: me.subject, organisation, roles: me.roles.join(', ') || t('none') })),
    await datasetsPanel(organisation),
    await keysPanel(),
    await devicesPanel(),
    await logsPanel(organisation),
  );
}

function renderSignIn(main: HTMLElement, settings: ExplorerSettings): void {
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { id: 'key-form', onsubmit: (e: Event) => {
    e.preventDefault();
    signInWith({ kind: 'api-key', key: key.value.trim() });
    // The header shows "sign out" now: render it and this page again.
    history.replaceState(null, '', '/explore/owner');
    window.dispatchEvent(new PopStateEvent('popstate'));
  } },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, t('apiKey')), key),
    h('button', { type: 'submit' }, t('useKey')),
  );
  replace(
    main,
    h('h1', {}, t('ownerTitle')),
    h('p', {}, t('ownerIntro')),
    settings.oidc ? h('p', {}, h('button', { type: 'button', onclick: () => void beginSignIn(settings).catch((error) => main.prepend(errorBox(error))) }, t('orSignInOidc'))) : h('p', {}, t('oidcUnavailable')),
    form,
  );
}
