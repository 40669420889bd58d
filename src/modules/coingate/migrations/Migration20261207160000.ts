import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207160000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "coingate_callback_day" ("day" text not null, "bytes" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "coingate_callback_day_pkey" primary key ("day"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_callback_day_deleted_at" ON "coingate_callback_day" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "coingate_callback_day" cascade;`);
  }

}
