// The baseline: a minimal Fastify + pg server answering the same requests with the same SQL
// as vg-datashare, minus everything else (no authentication or access filter, no JSON-LD, no
// validation, no compaction). Entities go into the dataset DATASET_ID, as the column requires.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
const COLUMNS = 'e.id, e.types, e.scopes, e.attrs, e.created_at, e.modified_at';

app.get('/entity/:id', async (request, reply) => {
  // Prepared, as vg-datashare prepares it.
  const { rows } = await pool.query({ name: 'entity', text: `SELECT ${COLUMNS} FROM entity e WHERE e.tenant = $1 AND e.id = $2`, values: ['', request.params.id] });
  if (rows.length === 0) return reply.status(404).send();
  return rows[0];
});

app.get('/type-and-q', async (request) => {
  const { type, attr, min, max } = request.query;
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM entity e
     WHERE e.tenant = $1 AND e.types @> ARRAY[$2]::text[]
       AND e.id IN (SELECT v.entity_id FROM entity_attr_value v WHERE v.tenant = $1 AND v.attr = $3 AND v.member <> 'observedAt' AND v.num >= $4::numeric AND v.num <= $5::numeric)
     ORDER BY e.id LIMIT 100`,
    ['', type, attr, min, max],
  );
  return rows;
});

app.get('/near', async (request) => {
  const { lon, lat, distance } = request.query;
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM entity e
     WHERE e.tenant = $1 AND ST_DWithin((e.location)::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4)
     ORDER BY e.id LIMIT 100`,
    ['', Number(lon), Number(lat), Number(distance)],
  );
  return rows;
});

app.post('/upsert', async (request) => {
  const now = new Date();
  // Every instance of a replaced entity is new: all of them go into the history, as vg-datashare does.
  const { rows } = await pool.query(
    `WITH written AS (
       INSERT INTO entity (tenant, id, types, scopes, attrs, created_at, modified_at, dataset_id)
       SELECT $1, r.id, r.types, r.scopes, r.attrs, $3, $3, $4
       FROM jsonb_to_recordset($2::jsonb) AS r(id text, types text[], scopes text[], attrs jsonb)
       ON CONFLICT (tenant, id) DO UPDATE SET types = EXCLUDED.types, scopes = EXCLUDED.scopes, attrs = EXCLUDED.attrs, modified_at = EXCLUDED.modified_at
       RETURNING id, attrs, modified_at),
     history AS (
       INSERT INTO attribute_instance (retention_class, time, tenant, entity_id, attribute, dataset_id, multi_instance_key, created_at, modified_at, instance)
       SELECT 'keep', coalesce((i.value->>'observedAt')::timestamptz, w.modified_at), $1, w.id, a.key, $4, i.value->>'datasetId', w.modified_at, w.modified_at, i.value - 'createdAt' - 'modifiedAt'
       FROM written w CROSS JOIN LATERAL jsonb_each(w.attrs) a CROSS JOIN LATERAL jsonb_array_elements(a.value) i)
     SELECT id FROM written`,
    ['', JSON.stringify(request.body), now, process.env.DATASET_ID],
  );
  return { upserted: rows.length };
});

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.stdout.write('ready\n');
