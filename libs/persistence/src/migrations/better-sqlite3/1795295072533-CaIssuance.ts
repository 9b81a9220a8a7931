import { MigrationInterface, QueryRunner } from "typeorm";

export class CaIssuance1795295072533 implements MigrationInterface {
    name = 'CaIssuance1795295072533'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ca_authority" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(64) NOT NULL, "key_uri" varchar(512) NOT NULL, "certificate" blob NOT NULL, "profiles" varchar(1024) NOT NULL, "crl_urls" text NOT NULL, "aia_url" varchar(1024), "crl_validity_hours" integer NOT NULL, "updated_at" datetime NOT NULL)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_authority_name" ON "ca_authority" ("name") `);
        await queryRunner.query(`CREATE TABLE "ca_certificate" ("id" varchar(36) PRIMARY KEY NOT NULL, "authority_id" varchar(36) NOT NULL, "serial" varchar(40) NOT NULL, "subject" varchar(1024) NOT NULL, "profile" varchar(64) NOT NULL, "not_before" datetime NOT NULL, "not_after" datetime NOT NULL, "fingerprint" varchar(64) NOT NULL, "der" blob NOT NULL, "status" varchar(16) NOT NULL, "revoked_at" datetime, "revocation_reason" varchar(32), "invalidity_date" datetime, "requester" varchar(256) NOT NULL, "issued_at" datetime NOT NULL, CONSTRAINT "ca_certificate_status" CHECK ("status" IN ('good', 'revoked')))`);
        await queryRunner.query(`CREATE INDEX "ca_certificate_authority_status" ON "ca_certificate" ("authority_id", "status") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_certificate_fingerprint" ON "ca_certificate" ("fingerprint") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_certificate_authority_serial" ON "ca_certificate" ("authority_id", "serial") `);
        await queryRunner.query(`CREATE TABLE "ca_crl" ("id" varchar(36) PRIMARY KEY NOT NULL, "authority_id" varchar(36) NOT NULL, "crl_number" integer NOT NULL, "delta" boolean NOT NULL, "base_crl_number" integer, "this_update" datetime NOT NULL, "next_update" datetime NOT NULL, "der" blob NOT NULL)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_crl_authority_number" ON "ca_crl" ("authority_id", "crl_number") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "ca_crl_authority_number"`);
        await queryRunner.query(`DROP TABLE "ca_crl"`);
        await queryRunner.query(`DROP INDEX "ca_certificate_authority_serial"`);
        await queryRunner.query(`DROP INDEX "ca_certificate_fingerprint"`);
        await queryRunner.query(`DROP INDEX "ca_certificate_authority_status"`);
        await queryRunner.query(`DROP TABLE "ca_certificate"`);
        await queryRunner.query(`DROP INDEX "ca_authority_name"`);
        await queryRunner.query(`DROP TABLE "ca_authority"`);
    }

}
