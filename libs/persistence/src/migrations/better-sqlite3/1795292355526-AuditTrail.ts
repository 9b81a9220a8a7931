import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditTrail1795292355526 implements MigrationInterface {
    name = 'AuditTrail1795292355526'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_checkpoint" ("seq" bigint PRIMARY KEY NOT NULL, "time" datetime NOT NULL, "head_hash" blob NOT NULL, "prev_checkpoint_hash" blob NOT NULL, "hash" blob NOT NULL, "signature" blob NOT NULL, "signer_key_uri" varchar(512) NOT NULL, "signer_spki" blob NOT NULL)`);
        await queryRunner.query(`CREATE TABLE "audit_event" ("seq" bigint PRIMARY KEY NOT NULL, "time" datetime NOT NULL, "service" varchar(64) NOT NULL, "actor" varchar(256), "action" varchar(128) NOT NULL, "target" varchar(512), "outcome" varchar(16) NOT NULL, "details" text NOT NULL, "prev_hash" blob NOT NULL, "hash" blob NOT NULL, CONSTRAINT "audit_event_outcome" CHECK ("outcome" IN ('success', 'failure', 'denied')))`);
        await queryRunner.query(`CREATE INDEX "audit_event_time" ON "audit_event" ("time") `);
        await queryRunner.query(`CREATE TABLE "audit_head" ("id" smallint PRIMARY KEY NOT NULL, "last_seq" bigint NOT NULL, "last_hash" blob NOT NULL, "checkpoint_seq" bigint NOT NULL, "checkpoint_hash" blob NOT NULL, CONSTRAINT "audit_head_single_row" CHECK ("id" = 1))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "audit_head"`);
        await queryRunner.query(`DROP INDEX "audit_event_time"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
        await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    }

}
