import { chooseLanguage, parseLanguagePreference } from 'src/ngsi-ld/representation/language';

describe('language preference', () => {
  const map = { sv: 'Badplats', en: 'Bathing place', 'fi-FI': 'Uimapaikka' };

  it('orders ranges by weight', () => {
    expect(parseLanguagePreference('en;q=0.5, sv')).toEqual({ ranges: ['sv', 'en'] });
    expect(parseLanguagePreference('*')).toEqual({ ranges: ['*'] });
    expect(parseLanguagePreference('sv;q=0')).toEqual({ ranges: [] });
  });

  it('chooses the best entry, a prefix match, @none, then the first tag', () => {
    expect(chooseLanguage(map, { ranges: ['sv'] })).toEqual({ tag: 'sv', value: 'Badplats' });
    expect(chooseLanguage(map, { ranges: ['de', 'en'] })).toEqual({ tag: 'en', value: 'Bathing place' });
    expect(chooseLanguage(map, { ranges: ['fi'] })).toEqual({ tag: 'fi-FI', value: 'Uimapaikka' });
    expect(chooseLanguage({ ...map, '@none': 'x' }, { ranges: ['de'] })).toEqual({ tag: '@none', value: 'x' });
    expect(chooseLanguage(map, { ranges: ['de'] })).toEqual({ tag: 'en', value: 'Bathing place' });
    expect(chooseLanguage({}, { ranges: ['de'] })).toBeUndefined();
  });

  it('takes any language for "*", after those preferred', () => {
    expect(chooseLanguage(map, { ranges: ['*'] })).toEqual({ tag: 'en', value: 'Bathing place' });
    expect(chooseLanguage({ ...map, '@none': 'x' }, { ranges: ['*'] })).toEqual({ tag: '@none', value: 'x' });
    expect(chooseLanguage(map, { ranges: ['sv', '*'] })).toEqual({ tag: 'sv', value: 'Badplats' });
  });
});
