import { ApiError } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n/i18n';

/** A page that could not be shown: the service's own words (problem details), in an alert. */
export function renderError(main: HTMLElement, error: unknown): void {
  replace(main, errorBox(error));
}

export function errorBox(error: unknown): HTMLElement {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return h('p', { role: 'alert', class: 'error' }, t('errorPrefix', { message }));
}
