import { en } from './en';
import { sv, type Messages } from './sv';

/*
 * The language: the one chosen before (localStorage: a preference, not personal data), else the
 * browser's, else Swedish. Dates and numbers are formatted by Intl in that language.
 */
export type Lang = 'sv' | 'en';
type StringKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

const CATALOGUES: Record<Lang, Messages> = { sv, en };
const STORAGE_KEY = 'vgds-explorer-lang';

export let lang: Lang = initialLang();
export let messages: Messages = CATALOGUES[lang];

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'sv' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('sv') ? 'sv' : 'en';
}

export function setLang(next: Lang): void {
  lang = next;
  messages = CATALOGUES[next];
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** The message of that key, with {name} placeholders filled in. */
export function t(key: StringKey, values: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_all, name: string) => (name in values ? String(values[name]) : `{${name}}`));
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return messages.none;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(value);
}

/** A language map ({sv, en}) in the current language, else the other. */
export function localised(map: Record<string, string> | undefined): string {
  if (!map) return '';
  return map[lang] ?? map.sv ?? map.en ?? Object.values(map)[0] ?? '';
}
