import { MigrationInterface, QueryRunner } from "typeorm";

export class MeterRegistry1795304719416 implements MigrationInterface {
    name = 'MeterRegistry1795304719416'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "publication_outbox" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(16) NOT NULL, "ca" varchar(64) NOT NULL, "serial" varchar(40), "crl_number" integer, "created_at" datetime NOT NULL, "published_at" datetime, CONSTRAINT "publication_outbox_kind" CHECK ("kind" IN ('certificate', 'crl')))`);
        await queryRunner.query(`CREATE INDEX "publication_outbox_pending" ON "publication_outbox" ("published_at", "created_at") `);
        await queryRunner.query(`CREATE TABLE "manufacturer" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(256) NOT NULL, "gln" varchar(13) NOT NULL, "flag_id" varchar(3) NOT NULL, "status" varchar(16) NOT NULL, "created_at" datetime NOT NULL, CONSTRAINT "manufacturer_status" CHECK ("status" IN ('active', 'suspended')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_flag_id" ON "manufacturer" ("flag_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_gln" ON "manufacturer" ("gln") `);
        await queryRunner.query(`CREATE TABLE "manufacturer_credential" ("id" varchar(36) PRIMARY KEY NOT NULL, "manufacturer_id" varchar(36) NOT NULL, "fingerprint" varchar(64) NOT NULL, "ca" varchar(64) NOT NULL, "serial" varchar(40) NOT NULL, "not_after" datetime NOT NULL, "created_at" datetime NOT NULL, "revoked_at" datetime)`);
        await queryRunner.query(`CREATE INDEX "manufacturer_credential_manufacturer" ON "manufacturer_credential" ("manufacturer_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_credential_fingerprint" ON "manufacturer_credential" ("fingerprint") `);
        await queryRunner.query(`CREATE TABLE "meter" ("id" varchar(36) PRIMARY KEY NOT NULL, "manufacturer_id" varchar(36) NOT NULL, "meter_id" varchar(32) NOT NULL, "type" varchar(16) NOT NULL, "model" varchar(128), "firmware_version" varchar(64), "calibration_date" varchar(10), "calibration_station" varchar(128), "status" varchar(16) NOT NULL, "certificate_serial" varchar(40), "key_fingerprint" varchar(64), "created_at" datetime NOT NULL, "updated_at" datetime NOT NULL, CONSTRAINT "meter_type" CHECK ("type" IN ('electricity', 'gas', 'water', 'heat', 'gateway')), CONSTRAINT "meter_status" CHECK ("status" IN ('registered', 'certified', 'replaced', 'retired')))`);
        await queryRunner.query(`CREATE INDEX "meter_manufacturer_meter_id" ON "meter" ("manufacturer_id", "meter_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "meter_meter_id" ON "meter" ("meter_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "meter_key_fingerprint" ON "meter" ("key_fingerprint") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "meter_key_fingerprint"`);
        await queryRunner.query(`DROP INDEX "meter_meter_id"`);
        await queryRunner.query(`DROP INDEX "meter_manufacturer_meter_id"`);
        await queryRunner.query(`DROP TABLE "meter"`);
        await queryRunner.query(`DROP INDEX "manufacturer_credential_fingerprint"`);
        await queryRunner.query(`DROP INDEX "manufacturer_credential_manufacturer"`);
        await queryRunner.query(`DROP TABLE "manufacturer_credential"`);
        await queryRunner.query(`DROP INDEX "manufacturer_gln"`);
        await queryRunner.query(`DROP INDEX "manufacturer_flag_id"`);
        await queryRunner.query(`DROP TABLE "manufacturer"`);
        await queryRunner.query(`DROP INDEX "publication_outbox_pending"`);
        await queryRunner.query(`DROP TABLE "publication_outbox"`);
    }

}
