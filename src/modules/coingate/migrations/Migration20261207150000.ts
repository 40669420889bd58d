import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Issue 22 (money out exactly once): an intent keeps what it asked CoinGate and when, so that a lost
 * answer can be resolved by reading CoinGate; a record names its intent (its callback token and the
 * send request's external_id) and may exist before Medusa records the refund (medusa_refund_id null:
 * "made at CoinGate, not recorded in Medusa"). Older records keep their Medusa refund id as reference.
 */
export class Migration20261207150000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_refund_intent" add column if not exists "request" jsonb null, add column if not exists "sent_at" timestamptz null;`);
    this.addSql(`alter table if exists "coingate_refund" add column if not exists "intent_id" text null;`);
    this.addSql(`alter table if exists "coingate_refund" alter column "medusa_refund_id" drop not null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_id" ON "coingate_refund" ("intent_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_coingate_refund_intent_state" ON "coingate_refund_intent" ("state") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_coingate_refund_intent_state";`);
    this.addSql(`drop index if exists "IDX_coingate_refund_intent_id";`);
    this.addSql(`alter table if exists "coingate_refund" drop column if exists "intent_id";`);
    this.addSql(`alter table if exists "coingate_refund_intent" drop column if exists "request", drop column if exists "sent_at";`);
  }

}
