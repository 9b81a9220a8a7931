import { MigrationInterface, QueryRunner } from "typeorm";

export class SkmInvocationCounters1795311568946 implements MigrationInterface {
    name = 'SkmInvocationCounters1795311568946'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "skm_invocation_counter" ("id" varchar(36) PRIMARY KEY NOT NULL, "tenant_id" varchar(36) NOT NULL, "meter_id" varchar(16) NOT NULL, "key_id" varchar(32) NOT NULL, "direction" varchar(8) NOT NULL, "last_counter" bigint NOT NULL, "updated_at" datetime NOT NULL, CONSTRAINT "skm_invocation_counter_direction" CHECK ("direction" IN ('received', 'sent')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "skm_invocation_counter_slot" ON "skm_invocation_counter" ("tenant_id", "meter_id", "key_id", "direction") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "skm_invocation_counter_slot"`);
        await queryRunner.query(`DROP TABLE "skm_invocation_counter"`);
    }

}
