import { MigrationInterface, QueryRunner } from "typeorm";

export class AuthBootstrapCredential1795293258681 implements MigrationInterface {
    name = 'AuthBootstrapCredential1795293258681'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "auth_bootstrap_credential" ("id" character varying(36) NOT NULL, "secret_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "consumed_by" character varying(255), CONSTRAINT "PK_844263c8600b154ed3a38ea8a29" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "auth_bootstrap_credential"`);
    }

}
