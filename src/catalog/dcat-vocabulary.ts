/*
 * The namespaces and controlled vocabularies the DCAT-AP-SE 3.0.1 catalog refers to. The SEMIC
 * shapes check `sh:class` against the rdf:type triples of the catalog itself, and a skos:Concept
 * must carry a skos:prefLabel there, so every concept the catalog names comes with its labels
 * (Swedish and English, as the EU vocabularies and DIGG's profile give them).
 */

import { RDF_PREFIXES } from 'src/linked-data/rdf/prefixes';

/** The namespaces: the shared prefixes every RDF answer of the service uses. */
export const NS = RDF_PREFIXES;

const EU_AUTHORITY = 'http://publications.europa.eu/resource/authority/';

export const DATA_THEME_SCHEME = `${EU_AUTHORITY}data-theme`;
export const ACCESS_RIGHTS = `${EU_AUTHORITY}access-right/`;
export const FREQUENCY = `${EU_AUTHORITY}frequency/`;
export const FILE_TYPE = `${EU_AUTHORITY}file-type/`;
export const LANGUAGE = `${EU_AUTHORITY}language/`;
/** DIGG's profile lists the Publications Office's planned-availability table for dcatap:availability. */
export const AVAILABILITY_STABLE = `${EU_AUTHORITY}planned-availability/STABLE`;
export const CC0 = 'http://creativecommons.org/publicdomain/zero/1.0/';
export const HVD_LEGISLATION = 'http://data.europa.eu/eli/reg_impl/2023/138/oj';
export const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types/';

export type Labels = Readonly<{ sv: string; en: string }>;

export const DATA_THEME_LABELS: Readonly<Record<string, Labels>> = {
  AGRI: { sv: 'Jordbruk, fiske, skogsbruk och livsmedel', en: 'Agriculture, fisheries, forestry and food' },
  ECON: { sv: 'Ekonomi och finans', en: 'Economy and finance' },
  EDUC: { sv: 'Utbildning, kultur och sport', en: 'Education, culture and sport' },
  ENER: { sv: 'Energi', en: 'Energy' },
  ENVI: { sv: 'Miljö', en: 'Environment' },
  GOVE: { sv: 'Regeringen och den offentliga sektorn', en: 'Government and public sector' },
  HEAL: { sv: 'Hälsa', en: 'Health' },
  INTR: { sv: 'Internationella frågor', en: 'International issues' },
  JUST: { sv: 'Rättvisa, rättsliga system och allmän säkerhet', en: 'Justice, legal system and public safety' },
  REGI: { sv: 'Regioner och städer', en: 'Regions and cities' },
  SOCI: { sv: 'Befolkning och samhälle', en: 'Population and society' },
  TECH: { sv: 'Vetenskap och teknik', en: 'Science and technology' },
  TRAN: { sv: 'Transport', en: 'Transport' },
};

export const ACCESS_RIGHTS_LABELS: Readonly<Record<'PUBLIC' | 'RESTRICTED' | 'NON_PUBLIC', Labels>> = {
  PUBLIC: { sv: 'Publik', en: 'Public' },
  RESTRICTED: { sv: 'Begränsad', en: 'Restricted' },
  NON_PUBLIC: { sv: 'Ej offentlig', en: 'Non-public' },
};

export const PUBLISHER_TYPE_LABELS: Readonly<Record<string, Labels>> = {
  LocalAuthority: { sv: 'Lokal myndighet/kommun', en: 'Local Authority' },
  RegionalAuthority: { sv: 'Regional myndighet', en: 'Regional authority' },
  Company: { sv: 'Företag', en: 'Company' },
  NonProfitOrganisation: { sv: 'Ej vinstdrivande organisation', en: 'Non-Profit Organisation' },
};

/**
 * HVD categories (http://data.europa.eu/bna/) the region's sensor data falls under: the six
 * top categories and the environmental and mobility ones below them. A category outside this list
 * is still published, labelled with its code.
 */
export const HVD_CATEGORY_LABELS: Readonly<Record<string, Labels>> = {
  c_ac64a52d: { sv: 'Geospatiala data', en: 'Geospatial' },
  c_dd313021: { sv: 'Jordobservation och miljö', en: 'Earth observation and environment' },
  c_164e0bf5: { sv: 'Meteorologiska data', en: 'Meteorological' },
  c_e1da4e07: { sv: 'Statistik', en: 'Statistics' },
  c_a9135398: { sv: 'Företag och företagsägande', en: 'Companies and company ownership' },
  c_b79e35eb: { sv: 'Rörlighet', en: 'Mobility' },
  c_63b37dd4: { sv: 'Luft', en: 'Air' },
  c_43f88346: { sv: 'Vatten', en: 'Water' },
  c_e4358335: { sv: 'Buller', en: 'Noise' },
  c_38933a65: { sv: 'Avfall', en: 'Waste' },
  c_4ba9548e: { sv: 'Utsläpp', en: 'Emissions' },
  c_59e64dd4: { sv: 'Klimat', en: 'Climate' },
  c_3af3368c: { sv: 'Observationsdata som uppmätts av väderstationer', en: 'Observations data measured by weather stations' },
  c_be47b010: { sv: 'Vädervarningar', en: 'Weather alerts' },
  c_4b74ea13: { sv: 'Transportnät', en: 'Transport networks' },
  c_7b8fbb64: { sv: 'Anläggningar för miljöövervakning', en: 'Environmental monitoring facilities' },
};

/** The distribution formats of the bulk downloads: EU file type and IANA media type. */
export const DOWNLOAD_FORMATS = {
  csv: { fileType: 'CSV', mediaType: 'text/csv', file: 'current.csv', title: { sv: 'Aktuellt läge som CSV', en: 'Current state as CSV' } },
  geojson: { fileType: 'GEOJSON', mediaType: 'application/geo+json', file: 'current.geojson', title: { sv: 'Aktuellt läge som GeoJSON', en: 'Current state as GeoJSON' } },
  jsonld: { fileType: 'JSON_LD', mediaType: 'application/ld+json', file: 'current.jsonld', title: { sv: 'Aktuellt läge som NGSI-LD (JSON-LD)', en: 'Current state as NGSI-LD (JSON-LD)' } },
} as const;

export type DownloadFormat = keyof typeof DOWNLOAD_FORMATS;
