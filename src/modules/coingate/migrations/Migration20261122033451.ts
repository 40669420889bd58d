import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122033451 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_refund" drop constraint if exists "coingate_refund_kind_coingate_id_unique";`);
    this.addSql(`alter table if exists "coingate_refund" drop constraint if exists "coingate_refund_medusa_refund_id_unique";`);
    this.addSql(`create table if not exists "coingate_refund" ("id" text not null, "kind" text not null, "provider_id" text not null, "medusa_refund_id" text not null, "payment_id" text not null, "order_id" text null, "coingate_id" text not null, "coingate_order_id" text not null, "amount" text not null, "currency_code" text not null, "address" text not null, "address_memo" text null, "currency_id" integer not null, "platform_id" integer not null, "coin" text null, "network" text null, "email" text null, "reason" text null, "ledger_account_id" text null, "status" text not null, "rejection_reason" text null, "snapshot" jsonb null, "history" jsonb not null, "attention" text null, "attention_note" text null, "requested_by" text null, "last_synced_at" timestamptz null, "last_callback_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "coingate_refund_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_deleted_at" ON "coingate_refund" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_coingate_refund_medusa_refund_id_unique" ON "coingate_refund" ("medusa_refund_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_coingate_refund_kind_coingate_id_unique" ON "coingate_refund" ("kind", "coingate_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_coingate_order_id" ON "coingate_refund" ("coingate_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_order_id" ON "coingate_refund" ("order_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "coingate_refund" cascade;`);
  }

}
