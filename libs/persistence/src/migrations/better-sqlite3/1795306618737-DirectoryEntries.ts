import { MigrationInterface, QueryRunner } from "typeorm";

export class DirectoryEntries1795306618737 implements MigrationInterface {
    name = 'DirectoryEntries1795306618737'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "directory_entry" ("dn" varchar(512) PRIMARY KEY NOT NULL, "dn_key" varchar(512) NOT NULL, "parent_key" varchar(512) NOT NULL, "kind" varchar(16) NOT NULL, "ca" varchar(64) NOT NULL, "certificate" blob, "crl" blob, "crl_number" integer, "crl_updated_at" datetime, "delta_crl" blob, "delta_crl_number" integer, "serial" varchar(40), "fingerprint" varchar(64), "common_name" varchar(128), "meter_id" varchar(32), "revoked" boolean NOT NULL, "version" datetime NOT NULL, "updated_at" datetime NOT NULL, CONSTRAINT "directory_entry_kind" CHECK ("kind" IN ('ca', 'certificate')))`);
        await queryRunner.query(`CREATE INDEX "directory_entry_ca_kind" ON "directory_entry" ("ca", "kind") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_fingerprint" ON "directory_entry" ("fingerprint") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_serial" ON "directory_entry" ("serial") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn" ON "directory_entry" ("common_name") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id" ON "directory_entry" ("meter_id") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_parent_key" ON "directory_entry" ("parent_key") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "directory_entry_dn_key" ON "directory_entry" ("dn_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "directory_entry_dn_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_parent_key"`);
        await queryRunner.query(`DROP INDEX "directory_entry_meter_id"`);
        await queryRunner.query(`DROP INDEX "directory_entry_cn"`);
        await queryRunner.query(`DROP INDEX "directory_entry_serial"`);
        await queryRunner.query(`DROP INDEX "directory_entry_fingerprint"`);
        await queryRunner.query(`DROP INDEX "directory_entry_ca_kind"`);
        await queryRunner.query(`DROP TABLE "directory_entry"`);
    }

}
