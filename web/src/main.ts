import './styles.css';
import { apiGet } from './api';
import { h, link, replace } from './dom';
import { lang, setLang, t, type Lang } from './i18n/i18n';
import { completeSignIn, type ExplorerSettings } from './owner/oidc';
import { credential, signOut } from './session';
import { renderDatasets } from './pages/datasets';
import { renderDataset } from './pages/dataset';
import { renderEntity } from './pages/entity';
import { errorBox, renderError } from './pages/page-error';

/*
 * The single page: a router over location.pathname under /explore, so that deep links work (the
 * service answers every /explore path with this page). A page returns what stops its live parts.
 */
export type Cleanup = () => void;
type Page = (main: HTMLElement, parts: string[], settings: ExplorerSettings) => Promise<Cleanup | void>;

const ROUTES: [RegExp, Page][] = [
  [/^\/?$/, renderDatasets],
  [/^\/datasets\/([^/]+)$/, renderDataset],
  [/^\/entities\/([^/]+)$/, renderEntity],
  // The owner's pages pull in their own code only when visited.
  [/^\/owner$/, async (main, parts, settings) => (await import('./owner/owner-page')).renderOwner(main, parts, settings)],
];

let cleanup: Cleanup | void;
let settings: ExplorerSettings;

async function show(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const main = document.getElementById('main')!;
  const path = decodeURI(location.pathname.replace(/^\/explore/, ''));
  renderHeader();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) {
    replace(main, h('h1', {}, t('notFound')));
    return;
  }
  const parts = route[0].exec(path)!.slice(1).map(decodeURIComponent);
  replace(main, h('p', { role: 'status' }, t('loading')));
  try {
    cleanup = await route[1](main, parts, settings);
  } catch (error) {
    renderError(main, error);
  }
}

function renderHeader(): void {
  const header = document.getElementById('header')!;
  const chooser = h('select', { id: 'lang', 'aria-label': t('language') }, h('option', { value: 'sv' }, 'Svenska'), h('option', { value: 'en' }, 'English'));
  chooser.value = lang;
  chooser.addEventListener('change', () => {
    setLang(chooser.value as Lang);
    void show();
  });
  const signedIn = credential();
  replace(
    header,
    h('a', { class: 'brand', href: '/explore/', 'data-internal': 'true' }, t('appName')),
    h('nav', { 'aria-label': t('mainNavigation') }, h('ul', {}, h('li', {}, link('/', t('navDatasets'))), h('li', {}, link('/owner', t('navOwner'))))),
    h('div', { class: 'header-tools' },
      h('label', { for: 'lang', class: 'visually-hidden' }, t('language')),
      chooser,
      signedIn ? h('button', { type: 'button', onclick: () => { signOut(); void show(); } }, t('signOut')) : null,
    ),
  );
  document.querySelector('.skip-link')!.textContent = t('skipToContent');
  document.getElementById('footer')!.textContent = t('footer');
}

/** Navigates inside the explorer. */
export function navigate(path: string): void {
  history.pushState(null, '', `/explore${path}`);
  void show().then(() => document.getElementById('main')?.focus());
}

document.addEventListener('click', (event) => {
  const anchor = (event.target as Element).closest?.('a[data-internal]') as HTMLAnchorElement | null;
  if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(anchor.pathname.replace(/^\/explore/, '') || '/');
});
window.addEventListener('popstate', () => void show());

async function start(): Promise<void> {
  setLang(lang);
  settings = await apiGet<ExplorerSettings>('/explore/config.json');
  let signInFailure: unknown;
  if (location.pathname === '/explore/callback') {
    await completeSignIn(settings).catch((error: unknown) => (signInFailure = error));
    history.replaceState(null, '', '/explore/owner');
  }
  await show();
  if (signInFailure) document.getElementById('main')!.prepend(errorBox(signInFailure));
}
void start();
