/**
 * A parsed `lang` parameter: language ranges by preference. `*` (Accept-Language's "any
 * language") takes whichever language there is, so that a LanguageProperty is still shown in one.
 */
export interface LanguagePreference {
  readonly ranges: readonly string[];
}

/** Reads Accept-Language syntax (`sv, en;q=0.8`); ranges are ordered by weight, ties by position. */
export function parseLanguagePreference(lang: string): LanguagePreference {
  const ranges = lang
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const weight = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find((q) => q !== undefined);
      return { range: range.trim().toLowerCase(), weight: weight === undefined ? 1 : Number(weight), index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return { ranges: ranges.map((entry) => entry.range) };
}

/**
 * The entry of a language map that best fits the preference (RFC 4647 basic filtering: "sv" also
 * takes "sv-FI"); failing that, or for "*", the "@none" entry, failing that the first tag in
 * order, so that a value is always shown.
 */
export function chooseLanguage(
  map: Readonly<Record<string, string | string[]>>,
  preference: { ranges: readonly string[] },
): { tag: string; value: string | string[] } | undefined {
  const tags = Object.keys(map).sort();
  for (const range of preference.ranges) {
    if (range === '*') break;
    const tag = tags.find((t) => t.toLowerCase() === range || t.toLowerCase().startsWith(`${range}-`));
    if (tag !== undefined) return { tag, value: map[tag] };
  }
  const fallback = '@none' in map ? '@none' : tags[0];
  return fallback === undefined ? undefined : { tag: fallback, value: map[fallback] };
}
