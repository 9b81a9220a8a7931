import { MigrationInterface, QueryRunner } from "typeorm";

export class DirectoryEntries1795306618737 implements MigrationInterface {
    name = 'DirectoryEntries1795306618737'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "directory_entry" ("dn" character varying(512) NOT NULL, "dn_key" character varying(512) NOT NULL, "parent_key" character varying(512) NOT NULL, "kind" character varying(16) NOT NULL, "ca" character varying(64) NOT NULL, "certificate" bytea, "crl" bytea, "crl_number" integer, "crl_updated_at" TIMESTAMP WITH TIME ZONE, "delta_crl" bytea, "delta_crl_number" integer, "serial" character varying(40), "fingerprint" character varying(64), "common_name" character varying(128), "meter_id" character varying(32), "revoked" boolean NOT NULL, "version" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "directory_entry_kind" CHECK ("kind" IN ('ca', 'certificate')), CONSTRAINT "directory_entry_pkey" PRIMARY KEY ("dn"))`);
        await queryRunner.query(`CREATE INDEX "directory_entry_ca_kind" ON "directory_entry"  ("ca", "kind") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_fingerprint" ON "directory_entry"  ("fingerprint") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_serial" ON "directory_entry"  ("serial") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_cn" ON "directory_entry"  ("common_name") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_meter_id" ON "directory_entry"  ("meter_id") `);
        await queryRunner.query(`CREATE INDEX "directory_entry_parent_key" ON "directory_entry"  ("parent_key") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "directory_entry_dn_key" ON "directory_entry"  ("dn_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."directory_entry_dn_key"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_parent_key"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_meter_id"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_cn"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_serial"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."directory_entry_ca_kind"`);
        await queryRunner.query(`DROP TABLE "directory_entry"`);
    }

}
