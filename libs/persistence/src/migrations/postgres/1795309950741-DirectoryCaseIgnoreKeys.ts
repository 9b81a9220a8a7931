import { MigrationInterface, QueryRunner } from "typeorm";

export class DirectoryCaseIgnoreKeys1795309950741 implements MigrationInterface {
    name = 'DirectoryCaseIgnoreKeys1795309950741'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."directory_entry_cn"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_meter_id"`);
        await queryRunner.query(`ALTER TABLE "directory_entry" ADD "common_name_key" character varying(128)`);
        await queryRunner.query(`ALTER TABLE "directory_entry" ADD "meter_id_key" character varying(32)`);
        // Added by hand: entries published before this migration get their lowercase filter keys.
        await queryRunner.query(`UPDATE "directory_entry" SET "common_name_key" = lower("common_name"), "meter_id_key" = lower("meter_id")`);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn_key" ON "directory_entry"  ("common_name_key") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id_key" ON "directory_entry"  ("meter_id_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."directory_entry_meter_id_key"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_cn_key"`);
        await queryRunner.query(`ALTER TABLE "directory_entry" DROP COLUMN "meter_id_key"`);
        await queryRunner.query(`ALTER TABLE "directory_entry" DROP COLUMN "common_name_key"`);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id" ON "directory_entry" USING btree ("meter_id") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn" ON "directory_entry" USING btree ("common_name") `);
    }

}
