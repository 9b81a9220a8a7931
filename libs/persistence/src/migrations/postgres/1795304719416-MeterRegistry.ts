import { MigrationInterface, QueryRunner } from "typeorm";

export class MeterRegistry1795304719416 implements MigrationInterface {
    name = 'MeterRegistry1795304719416'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "publication_outbox" ("id" character varying(36) NOT NULL, "kind" character varying(16) NOT NULL, "ca" character varying(64) NOT NULL, "serial" character varying(40), "crl_number" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "publication_outbox_kind" CHECK ("kind" IN ('certificate', 'crl')), CONSTRAINT "publication_outbox_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "publication_outbox_pending" ON "publication_outbox"  ("published_at", "created_at") `);
        await queryRunner.query(`CREATE TABLE "manufacturer" ("id" character varying(36) NOT NULL, "name" character varying(256) NOT NULL, "gln" character varying(13) NOT NULL, "flag_id" character varying(3) NOT NULL, "status" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "manufacturer_status" CHECK ("status" IN ('active', 'suspended')), CONSTRAINT "manufacturer_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_flag_id" ON "manufacturer"  ("flag_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_gln" ON "manufacturer"  ("gln") `);
        await queryRunner.query(`CREATE TABLE "manufacturer_credential" ("id" character varying(36) NOT NULL, "manufacturer_id" character varying(36) NOT NULL, "fingerprint" character varying(64) NOT NULL, "ca" character varying(64) NOT NULL, "serial" character varying(40) NOT NULL, "not_after" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "manufacturer_credential_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "manufacturer_credential_manufacturer" ON "manufacturer_credential"  ("manufacturer_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_credential_fingerprint" ON "manufacturer_credential"  ("fingerprint") `);
        await queryRunner.query(`CREATE TABLE "meter" ("id" character varying(36) NOT NULL, "manufacturer_id" character varying(36) NOT NULL, "meter_id" character varying(32) NOT NULL, "type" character varying(16) NOT NULL, "model" character varying(128), "firmware_version" character varying(64), "calibration_date" character varying(10), "calibration_station" character varying(128), "status" character varying(16) NOT NULL, "certificate_serial" character varying(40), "key_fingerprint" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "meter_type" CHECK ("type" IN ('electricity', 'gas', 'water', 'heat', 'gateway')), CONSTRAINT "meter_status" CHECK ("status" IN ('registered', 'certified', 'replaced', 'retired')), CONSTRAINT "meter_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "meter_manufacturer_meter_id" ON "meter"  ("manufacturer_id", "meter_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "meter_meter_id" ON "meter"  ("meter_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "meter_key_fingerprint" ON "meter"  ("key_fingerprint") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."meter_key_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."meter_meter_id"`);
        await queryRunner.query(`DROP INDEX "public"."meter_manufacturer_meter_id"`);
        await queryRunner.query(`DROP TABLE "meter"`);
        await queryRunner.query(`DROP INDEX "public"."manufacturer_credential_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."manufacturer_credential_manufacturer"`);
        await queryRunner.query(`DROP TABLE "manufacturer_credential"`);
        await queryRunner.query(`DROP INDEX "public"."manufacturer_gln"`);
        await queryRunner.query(`DROP INDEX "public"."manufacturer_flag_id"`);
        await queryRunner.query(`DROP TABLE "manufacturer"`);
        await queryRunner.query(`DROP INDEX "public"."publication_outbox_pending"`);
        await queryRunner.query(`DROP TABLE "publication_outbox"`);
    }

}
