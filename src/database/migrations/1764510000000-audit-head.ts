import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's head: one row naming its newest record (seq and hash), moved in the transaction
 * that appends a record, so that removing the newest records shows (the head names one that is
 * gone) instead of leaving a shorter chain that verifies (src/governance/audit/).
 *
 * - Appends link to the head, not to whichever row is newest: a record appended after a removal
 *   does not link to the surviving rows, so the removal stays visible.
 * - A trigger lets the head move only to the record appended right after it (one that links to
 *   it), and refuses to delete it. Rewinding it takes disabling triggers, which needs the table's
 *   owner or a superuser; with AUDIT_SIGNING_KEY the head also carries an HMAC that nobody without
 *   the key can make for an older record.
 */
export class AuditHead1764510000000 implements MigrationInterface {
  name = 'AuditHead1764510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_head (
        singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq        bigint NOT NULL,
        hash       text NOT NULL,
        signature  text,
        moved_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO audit_head (seq, hash) SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    await queryRunner.query(`
      CREATE FUNCTION vgds_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'the audit head cannot be removed' USING ERRCODE = '42501';
        END IF;
        IF NEW.seq = OLD.seq AND NEW.hash = OLD.hash THEN
          RETURN NEW; -- signed again in place
        END IF;
        IF NEW.seq <= OLD.seq OR NOT EXISTS (
          SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash AND previous_hash = OLD.hash
        ) THEN
          RAISE EXCEPTION 'the audit head moves only to the record appended after it' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
      FOR EACH ROW EXECUTE FUNCTION vgds_audit_head_forward_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_head_not_truncated BEFORE TRUNCATE ON audit_head
      FOR EACH STATEMENT EXECUTE FUNCTION vgds_audit_head_forward_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_head`);
    await queryRunner.query(`DROP FUNCTION vgds_audit_head_forward_only()`);
  }
}
