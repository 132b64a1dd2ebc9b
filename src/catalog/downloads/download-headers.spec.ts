import { cacheControl, compactDate, contentDisposition, headerText, slugOf } from 'src/catalog/downloads/download-headers';

describe('download headers', () => {
  it('makes ASCII file names from titles', () => {
    expect(slugOf('Badtemperaturer i Göteborg', 'x')).toBe('badtemperaturer-i-goteborg');
    expect(slugOf('Vatten & avlopp: Älvsborg (2026)', 'x')).toBe('vatten-avlopp-alvsborg-2026');
    expect(slugOf('Øresund – Straße', 'x')).toBe('oresund-strasse');
    expect(slugOf('***', 'dataset-id')).toBe('dataset-id');
    expect(slugOf('a'.repeat(100), 'x')).toHaveLength(60);
    expect(contentDisposition('a-current.csv')).toBe('attachment; filename="a-current.csv"');
  });

  it('sends UTF-8 text as an RFC 8187 ext-value, ASCII as it is', () => {
    expect(headerText('City of Gothenburg (goteborg)')).toBe('City of Gothenburg (goteborg)');
    expect(headerText("Göteborgs Stad (goteborg)")).toBe("UTF-8''G%C3%B6teborgs%20Stad%20%28goteborg%29");
    expect(decodeURIComponent(headerText("Borås Stad's").slice(7))).toBe("Borås Stad's");
  });

  it('lets shared caches keep only public answers', () => {
    expect(cacheControl(true)).toBe('public, max-age=300');
    expect(cacheControl(false)).toBe('private, no-cache');
  });

  it('shortens instants to dates for file names', () => {
    expect(compactDate('2026-11-01T00:00:00.000Z')).toBe('20261101');
  });
});
