import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261203093013 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_payment" add column if not exists "price_amount" numeric null, add column if not exists "price_currency" text null, add column if not exists "pay_amount" numeric null, add column if not exists "pay_currency" text null, add column if not exists "email" text null, add column if not exists "order_display_id" integer null, add column if not exists "raw_price_amount" jsonb null, add column if not exists "raw_pay_amount" jsonb null;`);
    // Backfill (hand-written): the CoinGate fields from each record's last snapshot, kept exact in the raw
    // columns; only plain decimals are copied (anything else stays null until the next apply rewrites it).
    // No "?" in this SQL, so the regex says {0,1}: MikroORM's migrator passes it through as is, but a plain
    // knex raw() (a script re-running this backfill) turns each ? into a $n placeholder, even inside a string.
    this.addSql(`update "coingate_payment" set
      "price_amount" = case when "snapshot"->>'price_amount' ~ '^[0-9]+(\\.[0-9]+){0,1}$' then ("snapshot"->>'price_amount')::numeric end,
      "raw_price_amount" = case when "snapshot"->>'price_amount' ~ '^[0-9]+(\\.[0-9]+){0,1}$' then jsonb_build_object('value', "snapshot"->>'price_amount', 'precision', 20) end,
      "price_currency" = upper(nullif("snapshot"->>'price_currency', '')),
      "pay_amount" = case when "snapshot"->>'pay_amount' ~ '^[0-9]+(\\.[0-9]+){0,1}$' then ("snapshot"->>'pay_amount')::numeric end,
      "raw_pay_amount" = case when "snapshot"->>'pay_amount' ~ '^[0-9]+(\\.[0-9]+){0,1}$' then jsonb_build_object('value', "snapshot"->>'pay_amount', 'precision', 20) end,
      "pay_currency" = upper(nullif("snapshot"->>'pay_currency', ''))
      where "snapshot" is not null and "price_currency" is null;`);
    // The Medusa order's number and the cart's email, from Medusa's own tables when they exist (same
    // database). Where they do not (a fresh install has no records anyway), the next apply fills them.
    this.addSql(`do $$ begin
      if to_regclass('public."order"') is not null then
        update "coingate_payment" p set "order_display_id" = o."display_id", "email" = coalesce(p."email", lower(o."email"))
          from "order" o where o."id" = p."order_id" and p."order_display_id" is null;
      end if;
      if to_regclass('public."cart"') is not null then
        update "coingate_payment" p set "email" = lower(c."email")
          from "cart" c where c."id" = p."cart_id" and p."email" is null and c."email" is not null;
      end if;
    end $$;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_created_at_id" ON "coingate_payment" ("created_at", "id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_attention_created_at_id" ON "coingate_payment" ("created_at", "id") WHERE attention IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_status_created_at" ON "coingate_payment" ("status", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_medusa_state_created_at" ON "coingate_payment" ("medusa_state", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_price_currency_created_at" ON "coingate_payment" ("price_currency", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_pay_currency_created_at" ON "coingate_payment" ("pay_currency", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_email" ON "coingate_payment" ("email") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_order_display_id" ON "coingate_payment" ("order_display_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_cart_id" ON "coingate_payment" ("cart_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_payment_order_id" ON "coingate_payment" ("order_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_coingate_payment_created_at_id";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_attention_created_at_id";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_status_created_at";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_medusa_state_created_at";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_price_currency_created_at";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_pay_currency_created_at";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_email";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_order_display_id";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_cart_id";`);
    this.addSql(`drop index if exists "IDX_coingate_payment_order_id";`);
    this.addSql(`alter table if exists "coingate_payment" drop column if exists "price_amount", drop column if exists "price_currency", drop column if exists "pay_amount", drop column if exists "pay_currency", drop column if exists "email", drop column if exists "order_display_id", drop column if exists "raw_price_amount", drop column if exists "raw_pay_amount";`);
  }

}
