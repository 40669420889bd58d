import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Ordered writes of CoinGate's state (issue 22, finding 10): when each record's snapshot was read, and a version
 * for compare-and-set. Rows already there keep null read times (read as "unknown": only CoinGate's order of
 * statuses can replace their snapshot, never a step back) and start at version 0.
 */
export class Migration20261207170000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_payment" add column if not exists "snapshot_requested_at" timestamptz null, add column if not exists "snapshot_answered_at" timestamptz null, add column if not exists "version" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "coingate_payment" drop column if exists "snapshot_requested_at", drop column if exists "snapshot_answered_at", drop column if exists "version";`);
  }

}
