/** A DPV term as the API takes it: `dpv:ServiceProvision`, or a DPV IRI (of the core or an extension). */
export const DPV_TERM = /^(dpv:[A-Za-z][A-Za-z0-9-]*|https:\/\/w3id\.org\/dpv(\/[a-z-]+)*#[A-Za-z][A-Za-z0-9-]*)$/;

/** The W3C Data Privacy Vocabulary's namespace: purposes and legal bases are its terms. */
export const DPV = 'https://w3id.org/dpv#';

/** A DPV term as a full IRI: `dpv:ServiceProvision` and `https://w3id.org/dpv#ServiceProvision` name the same purpose. */
export function dpvIri(term: string): string {
  return term.startsWith('dpv:') ? `${DPV}${term.slice(4)}` : term;
}

/** A DPV IRI in its short form, as the API shows purposes. */
export function dpvTerm(iri: string): string {
  return iri.startsWith(DPV) ? `dpv:${iri.slice(DPV.length)}` : iri;
}

/** A purpose as a caller declares it: a DPV term (`dpv:ServiceProvision`) or a DPV IRI; undefined when it is neither. */
export function parsePurpose(declared: string | undefined): string | undefined {
  if (declared === undefined) return undefined;
  const term = declared.trim();
  return DPV_TERM.test(term) ? dpvIri(term) : undefined;
}
