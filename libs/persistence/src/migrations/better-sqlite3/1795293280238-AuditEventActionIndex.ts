import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditEventActionIndex1795293280238 implements MigrationInterface {
    name = 'AuditEventActionIndex1795293280238'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "audit_event_action" ON "audit_event" ("action", "seq") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "audit_event_action"`);
    }

}
