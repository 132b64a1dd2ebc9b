import { Injectable } from '@nestjs/common';
import { Sql } from 'src/database/sql';

/** Tenants are created by the database on their first entity (a trigger); here they are only read. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly sql: Sql) {}

  async exists(name: string): Promise<boolean> {
    const { rows } = await this.sql.query(`SELECT 1 FROM tenant WHERE name = $1`, [name]);
    return rows.length > 0;
  }
}
