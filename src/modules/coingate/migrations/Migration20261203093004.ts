import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261203093004 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "coingate_callback" ("id" text not null, "kind" text not null, "route" text not null, "coingate_order_id" text null, "coingate_ref" text null, "payment_session_id" text null, "provider_id" text null, "outcome" text not null, "answer_status" integer not null, "answer" text not null, "body" jsonb null, "count" integer not null default 1, "aggregate" boolean not null default false, "received_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "coingate_callback_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_callback_deleted_at" ON "coingate_callback" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_callback_received_at" ON "coingate_callback" ("received_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_callback_coingate_order_id" ON "coingate_callback" ("coingate_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_callback_outcome" ON "coingate_callback" ("outcome") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "coingate_callback" cascade;`);
  }

}
