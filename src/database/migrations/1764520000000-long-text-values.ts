import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Long texts (descriptions, JSON kept as strings) are legitimate values, but a B-tree refuses an
 * index row over about 2,700 bytes: with `entity_attr_value_txt_idx` on the whole text, a value of
 * a few thousand characters that does not compress made every write of it fail.
 *
 * The text index now holds the first 128 characters of each value (at most 512 bytes; the q
 * compiler's `TEXT_KEY_LENGTH`), so no value is too long for it. A q comparison on text reads the index with the
 * matching comparison on the prefixes (equal prefixes for `==`, `>=` for `>` and `>=`, `<=` for
 * `<` and `<=`, which hold whenever the whole texts compare so: in the "C" collation, order by
 * bytes is order by code points and survives cutting both strings short) and checks the whole
 * text on the rows found. Values up to that length are found exactly as before.
 */
export class LongTextValues1764520000000 implements MigrationInterface {
  name = 'LongTextValues1764520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX entity_attr_value_txt_idx`);
    await queryRunner.query(
      `CREATE INDEX entity_attr_value_txt_prefix_idx ON entity_attr_value (tenant, attr, left(txt, 128)) WHERE txt IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Fails, as writes did before, if a text value too long for the whole-text index is stored.
    await queryRunner.query(`DROP INDEX entity_attr_value_txt_prefix_idx`);
    await queryRunner.query(`CREATE INDEX entity_attr_value_txt_idx ON entity_attr_value (tenant, attr, txt) WHERE txt IS NOT NULL`);
  }
}
