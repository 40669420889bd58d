import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * What Medusa's refund row records of a CoinGate refund or send request when Medusa had room for only part of it
 * (issue 22: Medusa's Refund button and a refund form at the same moment). Null: not tried yet, or all of it.
 */
export class Migration20261207180000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "coingate_refund" add column if not exists "medusa_amount" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "coingate_refund" drop column if exists "medusa_amount";`);
  }

}
