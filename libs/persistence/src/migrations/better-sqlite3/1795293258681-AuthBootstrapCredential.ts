import { MigrationInterface, QueryRunner } from "typeorm";

export class AuthBootstrapCredential1795293258681 implements MigrationInterface {
    name = 'AuthBootstrapCredential1795293258681'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "auth_bootstrap_credential" ("id" varchar(36) PRIMARY KEY NOT NULL, "secret_hash" varchar(64) NOT NULL, "created_at" datetime NOT NULL, "consumed_at" datetime, "consumed_by" varchar(255))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "auth_bootstrap_credential"`);
    }

}
