import { Injectable } from '@nestjs/common';
import { PREPARED, Sql, SqlTransaction } from 'src/database/sql';
import { PersonalDataProfile } from 'src/governance/datasets/dataset.schema';
import { PROFILE_DEFAULTS } from 'src/governance/datasets/datasets.repository';
import { dpvIri } from 'src/governance/privacy/purposes/purpose';
import { minimisedViewOf, minimisesAnything } from 'src/governance/privacy/views/minimised-view';
import { ApiKeyFacts, CombinationRuleFacts, DatasetPolicyFacts, GovernanceSnapshot, GrantFacts } from 'src/governance/governance-snapshot';

/**
 * Tells every replica that pending notifications were withdrawn (erased or past retention): a
 * new governance version, on which notification senders drop what they hold in memory and read
 * their pending changes from the database again, as they now are.
 */
export async function announceWithdrawnChanges(tx: SqlTransaction): Promise<void> {
  await tx.query('UPDATE governance_version SET version = version + 1 WHERE id = 1');
}

/** Reads the inputs of access decisions: the version counter and, when it moved, everything else. */
@Injectable()
export class GovernanceRepository {
  constructor(private readonly sql: Sql) {}

  async version(): Promise<string> {
    const { rows } = await this.sql.query<{ version: string }>('SELECT version FROM governance_version WHERE id = 1', [], PREPARED);
    return rows[0].version;
  }

  /** One consistent snapshot (a single repeatable-read transaction). */
  async load(): Promise<GovernanceSnapshot> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: version } = await tx.query<{ version: string }>('SELECT version FROM governance_version WHERE id = 1');
      const { rows } = await tx.query<DatasetRow>(
        `SELECT id, organisation, confidentiality, open, retired_at IS NOT NULL AS retired, is_default AS "isDefault",
                conforms_to AS "conformsTo", ${PROFILE_DEFAULTS} || personal_data AS profile FROM dataset`,
      );
      const { rows: grants } = await tx.query<GrantFacts>(
        `SELECT dataset_id AS "datasetId", grantee_kind AS "granteeKind", grantee, view FROM dataset_grant WHERE revoked_at IS NULL`,
      );
      const { rows: rules } = await tx.query<CombinationRuleFacts>(`SELECT id, name, datasets::text[] AS datasets, confidentiality FROM combination_rule`);
      const { rows: keys } = await tx.query<ApiKeyFacts>(
        `SELECT id, organisation, secret_hash AS "secretHash", roles, can_read AS "canRead", can_write AS "canWrite",
                datasets::text[] AS datasets, expires_at AS "expiresAt", revoked_at IS NOT NULL AS revoked, purpose
         FROM api_key`,
      );
      return new GovernanceSnapshot(version[0].version, rows.map(policyFactsOf), grants, rules, keys);
    });
  }
}

type DatasetRow = Omit<DatasetPolicyFacts, 'personalData' | 'minimisedView'> & { profile: PersonalDataProfile };

/** A dataset has a minimised view when it holds personal data or its profile minimises anything. */
function policyFactsOf({ profile, ...dataset }: DatasetRow): DatasetPolicyFacts {
  const personal = profile.category !== 'none';
  const view = minimisedViewOf(profile.identifyingAttributes, profile.minimisation);
  return {
    ...dataset,
    personalData: personal ? { category: profile.category, purposes: profile.purposes.map(dpvIri) } : null,
    ...(personal || minimisesAnything(view) ? { minimisedView: view } : {}),
  };
}
