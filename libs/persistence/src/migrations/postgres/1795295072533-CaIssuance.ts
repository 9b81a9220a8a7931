import { MigrationInterface, QueryRunner } from "typeorm";

export class CaIssuance1795295072533 implements MigrationInterface {
    name = 'CaIssuance1795295072533'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ca_authority" ("id" character varying(36) NOT NULL, "name" character varying(64) NOT NULL, "key_uri" character varying(512) NOT NULL, "certificate" bytea NOT NULL, "profiles" character varying(1024) NOT NULL, "crl_urls" text NOT NULL, "aia_url" character varying(1024), "crl_validity_hours" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ca_authority_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_authority_name" ON "ca_authority"  ("name") `);
        await queryRunner.query(`CREATE TABLE "ca_certificate" ("id" character varying(36) NOT NULL, "authority_id" character varying(36) NOT NULL, "serial" character varying(40) NOT NULL, "subject" character varying(1024) NOT NULL, "profile" character varying(64) NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "not_after" TIMESTAMP WITH TIME ZONE NOT NULL, "fingerprint" character varying(64) NOT NULL, "der" bytea NOT NULL, "status" character varying(16) NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revocation_reason" character varying(32), "invalidity_date" TIMESTAMP WITH TIME ZONE, "requester" character varying(256) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ca_certificate_status" CHECK ("status" IN ('good', 'revoked')), CONSTRAINT "ca_certificate_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ca_certificate_authority_status" ON "ca_certificate"  ("authority_id", "status") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_certificate_fingerprint" ON "ca_certificate"  ("fingerprint") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_certificate_authority_serial" ON "ca_certificate"  ("authority_id", "serial") `);
        await queryRunner.query(`CREATE TABLE "ca_crl" ("id" character varying(36) NOT NULL, "authority_id" character varying(36) NOT NULL, "crl_number" integer NOT NULL, "delta" boolean NOT NULL, "base_crl_number" integer, "this_update" TIMESTAMP WITH TIME ZONE NOT NULL, "next_update" TIMESTAMP WITH TIME ZONE NOT NULL, "der" bytea NOT NULL, CONSTRAINT "ca_crl_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ca_crl_authority_number" ON "ca_crl"  ("authority_id", "crl_number") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ca_crl_authority_number"`);
        await queryRunner.query(`DROP TABLE "ca_crl"`);
        await queryRunner.query(`DROP INDEX "public"."ca_certificate_authority_serial"`);
        await queryRunner.query(`DROP INDEX "public"."ca_certificate_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."ca_certificate_authority_status"`);
        await queryRunner.query(`DROP TABLE "ca_certificate"`);
        await queryRunner.query(`DROP INDEX "public"."ca_authority_name"`);
        await queryRunner.query(`DROP TABLE "ca_authority"`);
    }

}
