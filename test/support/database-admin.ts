import { Client } from 'pg';

/** What global set-up prepares and test files copy from; no imports from src/ (set-up runs outside Jest's resolver). */
export const TEMPLATE_ENV = 'VGDS_E2E_TEMPLATE';
export const SNAPSHOT_ENV = 'VGDS_E2E_SNAPSHOT';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
