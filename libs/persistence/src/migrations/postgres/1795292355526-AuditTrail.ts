import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditTrail1795292355526 implements MigrationInterface {
    name = 'AuditTrail1795292355526'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_checkpoint" ("seq" bigint NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "head_hash" bytea NOT NULL, "prev_checkpoint_hash" bytea NOT NULL, "hash" bytea NOT NULL, "signature" bytea NOT NULL, "signer_key_uri" character varying(512) NOT NULL, "signer_spki" bytea NOT NULL, CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE TABLE "audit_event" ("seq" bigint NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "service" character varying(64) NOT NULL, "actor" character varying(256), "action" character varying(128) NOT NULL, "target" character varying(512), "outcome" character varying(16) NOT NULL, "details" text NOT NULL, "prev_hash" bytea NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "audit_event_outcome" CHECK ("outcome" IN ('success', 'failure', 'denied')), CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE INDEX "audit_event_time" ON "audit_event"  ("time") `);
        await queryRunner.query(`CREATE TABLE "audit_head" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "last_hash" bytea NOT NULL, "checkpoint_seq" bigint NOT NULL, "checkpoint_hash" bytea NOT NULL, CONSTRAINT "audit_head_single_row" CHECK ("id" = 1), CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "audit_head"`);
        await queryRunner.query(`DROP INDEX "public"."audit_event_time"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
        await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    }

}
