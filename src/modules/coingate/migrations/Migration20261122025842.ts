import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122025842 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_payment" drop constraint if exists "coingate_payment_coingate_order_id_unique";`);
    this.addSql(`create table if not exists "coingate_payment" ("id" text not null, "coingate_order_id" text not null, "payment_session_id" text not null, "provider_id" text not null, "cart_id" text null, "order_id" text null, "status" text not null, "history" jsonb not null, "snapshot" jsonb null, "medusa_state" text not null, "attention" text null, "attention_note" text null, "last_synced_at" timestamptz null, "last_callback_at" timestamptz null, "next_check_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "coingate_payment_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_deleted_at" ON "coingate_payment" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_coingate_payment_coingate_order_id_unique" ON "coingate_payment" ("coingate_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_payment_session_id" ON "coingate_payment" ("payment_session_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_next_check_at" ON "coingate_payment" ("next_check_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "coingate_payment" cascade;`);
  }

}
