import { MigrationInterface, QueryRunner } from "typeorm";

export class SkmKeyHierarchy1795310805109 implements MigrationInterface {
    name = 'SkmKeyHierarchy1795310805109'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "skm_meter_key" ("id" character varying(36) NOT NULL, "tenant_id" character varying(36) NOT NULL, "meter_id" character varying(16) NOT NULL, "kind" character varying(16) NOT NULL, "version" integer NOT NULL, "state" character varying(16) NOT NULL, "bits" integer NOT NULL, "wrapped" character varying(80), "master_version" integer NOT NULL, "kcv" character varying(6) NOT NULL, "origin" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "activated_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "destroyed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "skm_meter_key_state" CHECK ("state" IN ('pending', 'active', 'retired', 'destroyed')), CONSTRAINT "skm_meter_key_kind" CHECK ("kind" IN ('dlms-guek', 'dlms-gbek', 'dlms-ak', 'dlms-kek', 'wmbus')), CONSTRAINT "skm_meter_key_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "skm_meter_key_tenant_master" ON "skm_meter_key"  ("tenant_id", "master_version") `);
        await queryRunner.query(`CREATE INDEX "skm_meter_key_tenant_meter" ON "skm_meter_key"  ("tenant_id", "meter_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "skm_meter_key_meter_kind_version" ON "skm_meter_key"  ("meter_id", "kind", "version") `);
        await queryRunner.query(`CREATE TABLE "skm_tenant" ("id" character varying(36) NOT NULL, "name" character varying(256) NOT NULL, "market_partner_id" character varying(13) NOT NULL, "master_bits" integer NOT NULL, "master_version" integer NOT NULL, "rotating_to_version" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "skm_tenant_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "skm_tenant_market_partner_id" ON "skm_tenant"  ("market_partner_id") `);
        await queryRunner.query(`CREATE TABLE "skm_tenant_member" ("subject" character varying(256) NOT NULL, "tenant_id" character varying(36) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "skm_tenant_member_pkey" PRIMARY KEY ("subject"))`);
        await queryRunner.query(`CREATE INDEX "skm_tenant_member_tenant" ON "skm_tenant_member"  ("tenant_id") `);
        await queryRunner.query(`CREATE TABLE "skm_transport_key" ("id" character varying(36) NOT NULL, "tenant_id" character varying(36) NOT NULL, "name" character varying(64) NOT NULL, "counterparty" character varying(16) NOT NULL, "key_uri" character varying(512) NOT NULL, "bits" integer NOT NULL, "kcv" character varying(6) NOT NULL, "origin" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "skm_transport_key_origin" CHECK ("origin" IN ('generated', 'components')), CONSTRAINT "skm_transport_key_counterparty" CHECK ("counterparty" IN ('manufacturer', 'head-end')), CONSTRAINT "skm_transport_key_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "skm_transport_key_tenant_name" ON "skm_transport_key"  ("tenant_id", "name") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."skm_transport_key_tenant_name"`);
        await queryRunner.query(`DROP TABLE "skm_transport_key"`);
        await queryRunner.query(`DROP INDEX "public"."skm_tenant_member_tenant"`);
        await queryRunner.query(`DROP TABLE "skm_tenant_member"`);
        await queryRunner.query(`DROP INDEX "public"."skm_tenant_market_partner_id"`);
        await queryRunner.query(`DROP TABLE "skm_tenant"`);
        await queryRunner.query(`DROP INDEX "public"."skm_meter_key_meter_kind_version"`);
        await queryRunner.query(`DROP INDEX "public"."skm_meter_key_tenant_meter"`);
        await queryRunner.query(`DROP INDEX "public"."skm_meter_key_tenant_master"`);
        await queryRunner.query(`DROP TABLE "skm_meter_key"`);
    }

}
