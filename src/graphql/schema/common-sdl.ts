/** The fields every entity has: the Entity interface's, and so every entity type's. */
export const ENTITY_FIELDS = `  """The entity id, a URI (urn:ngsi-ld:WaterQualityObserved:...)."""
  id: ID!
  """The entity type as an expanded IRI (the first one when it has several)."""
  type: String!
  types: [String!]!
  """The dataset the entity is published in."""
  dataset: Dataset
  scopes: [String!]
  createdAt: DateTime
  modifiedAt: DateTime
  """Attributes as NGSI-LD normalized JSON keyed by expanded IRI (or core term); all of them without names. Names are terms of the entity's data model or of the core context (its default vocabulary), or expanded IRIs."""
  attributes(names: [String!]): JSON!
  """The history of one attribute (named as in attributes)."""
  history(attribute: String!, from: DateTime, to: DateTime, last: Int): [Instance!]!
  """One attribute's history aggregated per period, computed by the database."""
  aggregate(attribute: String!, every: String, method: AggregationMethod!, from: DateTime, to: DateTime, last: Int): [Bucket!]!
`;

/**
 * The part of the schema every deployment has, whatever models are registered: scalars, the
 * Entity interface, attribute and history types, paging, filters, datasets and subscriptions.
 */
export const COMMON_SDL = /* GraphQL */ `
"""Any JSON value, as stored."""
scalar JSON
"""An instant, ISO 8601 in UTC (2026-07-01T12:00:00.000Z)."""
scalar DateTime
"""A GeoJSON geometry (RFC 7946), longitude before latitude, EPSG:4326."""
scalar GeoJSON

"""An NGSI-LD entity of any type, with or without a registered data model."""
interface Entity {
${ENTITY_FIELDS}}

"""An entity whose type has no registered data model: its attributes are in \`attributes\`."""
type GenericEntity implements Entity {
${ENTITY_FIELDS}}

"""One value of an attribute's history."""
type Instance {
  value: JSON
  """For relationships: the entity pointed at."""
  object: ID
  observedAt: DateTime
  unitCode: String
  datasetId: String
}

"""How an attribute's values are summarised per period (NGSI-LD aggrMethods)."""
enum AggregationMethod { TOTAL_COUNT DISTINCT_COUNT SUM AVG MIN MAX STDDEV SUMSQ }

"""One period of an aggregated history: [start, end)."""
type Bucket {
  start: DateTime!
  end: DateTime!
  value: JSON
}

"""A relationship: the id it points at, and the entity when you may read it."""
type RelationshipAttribute {
  object: ID
  entity: Entity
  observedAt: DateTime
  datasetId: String
  """Every instance (NGSI-LD multi-attribute instances, told apart by datasetId)."""
  instances: [RelationshipAttribute!]!
  history(from: DateTime, to: DateTime, last: Int): [Instance!]!
}

"""The order of a collection's pages (ties by id)."""
enum EntityOrder { ID_ASC ID_DESC CREATED_AT_ASC CREATED_AT_DESC MODIFIED_AT_ASC MODIFIED_AT_DESC }

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type EntityEdge { cursor: String! node: Entity! }
type EntityConnection {
  """How many entities the query finds in all (asked of the database only when selected)."""
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [EntityEdge!]!
  nodes: [Entity!]!
}

"""Entities near a point: within maxDistance metres (and beyond minDistance)."""
input NearInput {
  longitude: Float!
  latitude: Float!
  maxDistance: Float
  minDistance: Float
}

"""Entities within a bounding box or a polygon (GeoJSON coordinates of a Polygon)."""
input WithinInput {
  bbox: BoundingBox
  polygon: JSON
}

input BoundingBox { west: Float! south: Float! east: Float! north: Float! }

input FloatFilter { eq: Float ne: Float gt: Float gte: Float lt: Float lte: Float in: [Float!] exists: Boolean }
input IntFilter { eq: Int ne: Int gt: Int gte: Int lt: Int lte: Int in: [Int!] exists: Boolean }
"""pattern: a POSIX regular expression (NGSI-LD q's ~=)."""
input StringFilter { eq: String ne: String in: [String!] pattern: String exists: Boolean }
input BooleanFilter { eq: Boolean exists: Boolean }
input DateTimeFilter { eq: DateTime gt: DateTime gte: DateTime lt: DateTime lte: DateTime exists: Boolean }
"""Relationships pointing at one of these entities."""
input RelationshipFilter { eq: ID in: [ID!] exists: Boolean }
input ExistsFilter { exists: Boolean }

"""KLASSA levels 0-4: confidentiality (K), integrity (R) and availability (T)."""
type Classification { confidentiality: Int! integrity: Int! availability: Int! }

"""A published, classified collection of entities (a DCAT dataset)."""
type Dataset {
  id: ID!
  """The publishing organisation's id."""
  organisation: String!
  """The title in a language (sv or en; the other when the one asked for is missing)."""
  title(lang: String = "sv"): String
  description(lang: String = "sv"): String
  keywords: JSON
  themes: [String!]!
  licence: String
  accessRights: String!
  classification: Classification!
  open: Boolean!
  personalData: String!
  """The data model the dataset's entities conform to (its JSON Schema URL), when it declares one."""
  conformsTo: String
  updateFrequency: String
  hvdCategory: String
  status: String!
  created: DateTime!
  modified: DateTime!
  """The dataset's entities you may read."""
  entities(type: String, q: String, near: NearInput, within: WithinInput, orderBy: EntityOrder = ID_ASC, first: Int = 20, after: String): EntityConnection!
}

type DatasetEdge { cursor: String! node: Dataset! }
type DatasetConnection { totalCount: Int! pageInfo: PageInfo! edges: [DatasetEdge!]! nodes: [Dataset!]! }

"""A data model the service knows (Smart Data Models), and the GraphQL type its entities have."""
type DataModel {
  name: String!
  typeIri: String!
  graphqlType: String!
  schemaUrl: String!
  description(lang: String = "en"): String
  attributes: [DataModelAttribute!]!
}

type DataModelAttribute {
  name: String!
  graphqlField: String!
  iri: String!
  kind: String!
  valueType: String!
  unitCode: String
  enum: [String!]
  description(lang: String = "en"): String
}

enum ChangeKind { CREATED UPDATED DELETED }

"""An entity created, changed or deleted, as the change feed recorded it."""
type EntityChange {
  """Where this change is in the feed: pass it as \`after\` to resume after it."""
  cursor: String!
  kind: ChangeKind!
  at: DateTime!
  id: ID!
  """The entity after the change (before it, when deleted), under your view of its dataset."""
  entity: Entity!
  """Attributes the change touched (expanded IRIs)."""
  attributes: [String!]!
}

"""One attribute of an entity changed."""
type AttributeChange {
  cursor: String!
  kind: ChangeKind!
  at: DateTime!
  id: ID!
  attribute: String!
  """The attribute after the change (normalized NGSI-LD JSON); null when deleted."""
  value: JSON
  entity: Entity!
}
`;
