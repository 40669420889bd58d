import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202183307 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_refund_intent" drop constraint if exists "coingate_refund_intent_key_unique";`);
    this.addSql(`create table if not exists "coingate_refund_intent" ("id" text not null, "key" text not null, "fingerprint" text not null, "purpose" text not null, "kind" text not null, "payment_id" text not null, "provider_id" text not null, "order_id" text null, "medusa_refund_id" text null, "amount" text not null, "currency_code" text not null, "state" text not null, "error" text null, "refund_record_id" text null, "requested_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "coingate_refund_intent_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_deleted_at" ON "coingate_refund_intent" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_key_unique" ON "coingate_refund_intent" ("key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_payment_id_fingerprint" ON "coingate_refund_intent" ("payment_id", "fingerprint") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_medusa_refund_id" ON "coingate_refund_intent" ("medusa_refund_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "coingate_refund_intent" cascade;`);
  }

}
