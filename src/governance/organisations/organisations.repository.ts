import { Injectable } from '@nestjs/common';
import { AlreadyExists } from 'src/common/problem/ngsi-ld-errors';
import { Sql, SqlTransaction } from 'src/database/sql';
import { ContactPoint, OrganisationKind } from 'src/governance/organisations/organisation.schema';

export interface OrganisationRecord {
  readonly id: string;
  readonly nameSv: string;
  readonly nameEn: string | null;
  readonly organisationNumber: string;
  readonly kind: OrganisationKind;
  readonly homepage: string | null;
  readonly contactName: string | null;
  readonly contactEmail: string | null;
  readonly contactPhone: string | null;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

export interface OrganisationContent {
  readonly name: { sv: string; en?: string };
  readonly organisationNumber: string;
  readonly kind: OrganisationKind;
  readonly homepage: string | null;
  readonly contactPoint: ContactPoint | null;
}

const COLUMNS = `id, name_sv AS "nameSv", name_en AS "nameEn", organisation_number AS "organisationNumber", kind, homepage,
  contact_name AS "contactName", contact_email AS "contactEmail", contact_phone AS "contactPhone", created_at AS "createdAt", modified_at AS "modifiedAt"`;

const UNIQUE_VIOLATION = '23505';

/** The `organisation` table. */
@Injectable()
export class OrganisationsRepository {
  constructor(private readonly sql: Sql) {}

  async findById(id: string): Promise<OrganisationRecord | undefined> {
    const { rows } = await this.sql.query<OrganisationRecord>(`SELECT ${COLUMNS} FROM organisation WHERE id = $1`, [id]);
    return rows[0];
  }

  async list(query: { limit: number; offset: number }): Promise<{ organisations: OrganisationRecord[]; total: number }> {
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.sql.query<OrganisationRecord>(`SELECT ${COLUMNS} FROM organisation ORDER BY id LIMIT $1 OFFSET $2`, [query.limit, query.offset]),
      this.sql.query<{ total: number }>('SELECT count(*)::int AS total FROM organisation'),
    ]);
    return { organisations: rows, total: counted[0].total };
  }

  async insert(tx: SqlTransaction, id: string, content: OrganisationContent): Promise<void> {
    await uniquely(id, content.organisationNumber, () =>
      tx.query(
        `INSERT INTO organisation (id, name_sv, name_en, organisation_number, kind, homepage, contact_name, contact_email, contact_phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, ...contentValues(content)],
      ),
    );
  }

  async update(tx: SqlTransaction, id: string, content: OrganisationContent): Promise<void> {
    await uniquely(id, content.organisationNumber, () =>
      tx.query(
        `UPDATE organisation SET name_sv = $2, name_en = $3, organisation_number = $4, kind = $5, homepage = $6,
           contact_name = $7, contact_email = $8, contact_phone = $9, modified_at = now()
         WHERE id = $1`,
        [id, ...contentValues(content)],
      ),
    );
  }

  /** Locks the row for a read-modify-write. */
  async lock(tx: SqlTransaction, id: string): Promise<OrganisationRecord | undefined> {
    const { rows } = await tx.query<OrganisationRecord>(`SELECT ${COLUMNS} FROM organisation WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }
}

/** Both the id and the organisation number name one organisation: a second one is a conflict (409), not a server error. */
async function uniquely(id: string, organisationNumber: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    const constraint = (error as { constraint?: string }).constraint ?? '';
    throw new AlreadyExists(
      constraint.includes('number') ? `Organisation number ${organisationNumber} is already registered for another organisation` : `Organisation ${id} is already registered`,
    );
  }
}

function contentValues(c: OrganisationContent): unknown[] {
  return [c.name.sv, c.name.en ?? null, c.organisationNumber, c.kind, c.homepage, c.contactPoint?.name ?? null, c.contactPoint?.email ?? null, c.contactPoint?.phone ?? null];
}

/** The columns of an OrganisationRecord (table `organisation`), for the catalog's statements that read the same records. */
export const ORGANISATION_COLUMNS = COLUMNS;
