import { Client } from 'pg';

/** What global set-up prepares and test files copy from; no imports from src/ (set-up runs outside Jest's resolver). */
export const TEMPLATE_ENV = 'VGDS_E2E_TEMPLATE';
/** Where the process serving embedded test databases takes requests (test/support/embedded-postgres-server.mjs). */
export const EMBEDDED_CONTROL_ENV = 'VGDS_E2E_EMBEDDED_CONTROL';

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
