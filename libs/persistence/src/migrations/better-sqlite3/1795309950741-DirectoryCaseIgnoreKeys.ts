import { MigrationInterface, QueryRunner } from "typeorm";

export class DirectoryCaseIgnoreKeys1795309950741 implements MigrationInterface {
    name = 'DirectoryCaseIgnoreKeys1795309950741'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "directory_entry_meter_id"`);
        await queryRunner.query(`DROP INDEX "directory_entry_cn"`);
        await queryRunner.query(`DROP INDEX "directory_entry_dn_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_parent_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_serial"`);
        await queryRunner.query(`DROP INDEX "directory_entry_fingerprint"`);
        await queryRunner.query(`DROP INDEX "directory_entry_ca_kind"`);
        await queryRunner.query(`CREATE TABLE "temporary_directory_entry" ("dn" varchar(512) PRIMARY KEY NOT NULL, "dn_key" varchar(512) NOT NULL, "parent_key" varchar(512) NOT NULL, "kind" varchar(16) NOT NULL, "ca" varchar(64) NOT NULL, "certificate" blob, "crl" blob, "crl_number" integer, "crl_updated_at" datetime, "delta_crl" blob, "delta_crl_number" integer, "serial" varchar(40), "fingerprint" varchar(64), "common_name" varchar(128), "meter_id" varchar(32), "revoked" boolean NOT NULL, "version" datetime NOT NULL, "updated_at" datetime NOT NULL, "common_name_key" varchar(128), "meter_id_key" varchar(32), CONSTRAINT "directory_entry_kind" CHECK (("kind" IN ('ca', 'certificate'))))`);
        await queryRunner.query(`INSERT INTO "temporary_directory_entry"("dn", "dn_key", "parent_key", "kind", "ca", "certificate", "crl", "crl_number", "crl_updated_at", "delta_crl", "delta_crl_number", "serial", "fingerprint", "common_name", "meter_id", "revoked", "version", "updated_at") SELECT "dn", "dn_key", "parent_key", "kind", "ca", "certificate", "crl", "crl_number", "crl_updated_at", "delta_crl", "delta_crl_number", "serial", "fingerprint", "common_name", "meter_id", "revoked", "version", "updated_at" FROM "directory_entry"`);
        await queryRunner.query(`DROP TABLE "directory_entry"`);
        await queryRunner.query(`ALTER TABLE "temporary_directory_entry" RENAME TO "directory_entry"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "directory_entry_dn_key" ON "directory_entry" ("dn_key") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_parent_key" ON "directory_entry" ("parent_key") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_serial" ON "directory_entry" ("serial") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_fingerprint" ON "directory_entry" ("fingerprint") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_ca_kind" ON "directory_entry" ("ca", "kind") `);
        // Added by hand: entries published before this migration get their lowercase filter keys.
        await queryRunner.query(`UPDATE "directory_entry" SET "common_name_key" = lower("common_name"), "meter_id_key" = lower("meter_id")`);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn_key" ON "directory_entry" ("common_name_key") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id_key" ON "directory_entry" ("meter_id_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "directory_entry_meter_id_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_cn_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_ca_kind"`);
        await queryRunner.query(`DROP INDEX "directory_entry_fingerprint"`);
        await queryRunner.query(`DROP INDEX "directory_entry_serial"`);
        await queryRunner.query(`DROP INDEX "directory_entry_parent_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_dn_key"`);
        await queryRunner.query(`ALTER TABLE "directory_entry" RENAME TO "temporary_directory_entry"`);
        await queryRunner.query(`CREATE TABLE "directory_entry" ("dn" varchar(512) PRIMARY KEY NOT NULL, "dn_key" varchar(512) NOT NULL, "parent_key" varchar(512) NOT NULL, "kind" varchar(16) NOT NULL, "ca" varchar(64) NOT NULL, "certificate" blob, "crl" blob, "crl_number" integer, "crl_updated_at" datetime, "delta_crl" blob, "delta_crl_number" integer, "serial" varchar(40), "fingerprint" varchar(64), "common_name" varchar(128), "meter_id" varchar(32), "revoked" boolean NOT NULL, "version" datetime NOT NULL, "updated_at" datetime NOT NULL, CONSTRAINT "directory_entry_kind" CHECK (("kind" IN ('ca', 'certificate'))))`);
        await queryRunner.query(`INSERT INTO "directory_entry"("dn", "dn_key", "parent_key", "kind", "ca", "certificate", "crl", "crl_number", "crl_updated_at", "delta_crl", "delta_crl_number", "serial", "fingerprint", "common_name", "meter_id", "revoked", "version", "updated_at") SELECT "dn", "dn_key", "parent_key", "kind", "ca", "certificate", "crl", "crl_number", "crl_updated_at", "delta_crl", "delta_crl_number", "serial", "fingerprint", "common_name", "meter_id", "revoked", "version", "updated_at" FROM "temporary_directory_entry"`);
        await queryRunner.query(`DROP TABLE "temporary_directory_entry"`);
        await queryRunner.query(`CREATE INDEX "directory_entry_ca_kind" ON "directory_entry" ("ca", "kind") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_fingerprint" ON "directory_entry" ("fingerprint") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_serial" ON "directory_entry" ("serial") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_parent_key" ON "directory_entry" ("parent_key") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "directory_entry_dn_key" ON "directory_entry" ("dn_key") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn" ON "directory_entry" ("common_name") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id" ON "directory_entry" ("meter_id") `);
    }

}
