import { hasLuhnCheckDigit, newOrganisationSchema, organisationNumberSchema } from 'src/governance/organisations/organisation.schema';

describe('organisation numbers', () => {
  it.each(['2120001355', '2120001561', '2321000131', '5560602145'])('accepts %s, whose check digit holds', (digits) => {
    expect(hasLuhnCheckDigit(digits)).toBe(true);
  });

  it.each(['2120001356', '2120001560', '123456789', '21200013550', 'abcdefghij'])('refuses %s', (digits) => {
    expect(hasLuhnCheckDigit(digits)).toBe(false);
  });

  it('accepts NNNNNN-NNNN and stores it without the hyphen', () => {
    expect(organisationNumberSchema.parse(' 212000-1355 ')).toBe('2120001355');
    expect(organisationNumberSchema.parse('2120001355')).toBe('2120001355');
  });

  it('names the check digit when it is wrong, and the format when that is', () => {
    expect(organisationNumberSchema.safeParse('212000-1356').error?.issues[0].message).toMatch(/check digit/);
    expect(organisationNumberSchema.safeParse('21200-01355').error?.issues[0].message).toMatch(/NNNNNN-NNNN/);
  });

  it('refuses unknown kinds and fields', () => {
    const parsed = newOrganisationSchema.safeParse({ id: 'x', name: { sv: 'X' }, organisationNumber: '2120001355', kind: 'county', extra: 1 });
    expect(parsed.error?.issues.map((i) => i.path.join('.') || i.message).join(' ')).toMatch(/kind.*extra|extra.*kind/);
  });
});
