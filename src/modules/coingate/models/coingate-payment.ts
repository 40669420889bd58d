import { model } from "@medusajs/framework/utils"

/**
 * What the backend knows of one CoinGate order: its last status and when each status
 * arrived, the last order read from the API (without the callback token), and anything
 * a person must look at. One row per CoinGate order, created the first time the state
 * of the order is applied. It outlives the payment session (a replaced session's
 * invoice can still be paid, and that payment must not be lost).
 */
export const CoinGatePayment = model
  .define("coingate_payment", {
    id: model.id({ prefix: "cgpay" }).primaryKey(),
    coingate_order_id: model.text(),
    payment_session_id: model.text(),
    provider_id: model.text(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    /** Last CoinGate status applied. */
    status: model.text(),
    /** [{ status, at, source }], oldest first. */
    history: model.json(),
    /** The last order read from CoinGate's API. */
    snapshot: model.json().nullable(),
    /**
     * When that snapshot was read: the request sent, its answer received. An older read never replaces a
     * newer one (src/payments/rules/snapshot-order.ts). Null on rows saved before they were kept.
     */
    snapshot_requested_at: model.dateTime().nullable(),
    snapshot_answered_at: model.dateTime().nullable(),
    /**
     * Bumped by every write of CoinGate's state (src/payments/record-writes.ts): a write applies only to the
     * version it read (compare-and-set), so two processes cannot interleave their read, decide, write.
     */
    version: model.number().default(0),
    /** What Medusa made of it: pending, awaiting_payment, captured, canceled, failed, orphaned. */
    medusa_state: model.text(),
    /** A reason for a person to look: paid_after_cancellation, amount_mismatch, invalid, paid_for_replaced_session. */
    attention: model.text().nullable(),
    attention_note: model.text().nullable(),
    last_synced_at: model.dateTime().nullable(),
    last_callback_at: model.dateTime().nullable(),
    /** When reconciliation should read the order again; null once nothing can change. */
    next_check_at: model.dateTime().nullable(),
    // Copies of the CoinGate order and of Medusa's cart/order, so the admin console can filter, search and
    // total with indexes instead of reading every snapshot (src/console/query.ts). Nullable: rows
    // saved before these columns existed get them from the migration's backfill or on their next apply.
    /** What CoinGate was asked for. Exact in `raw_price_amount` (the numeric column is Medusa's rounded mirror). */
    price_amount: model.bigNumber().nullable(),
    /** Upper case (EUR). */
    price_currency: model.text().nullable(),
    /** What the shopper pays in the coin they chose; null until they chose one. Exact in `raw_pay_amount`. */
    pay_amount: model.bigNumber().nullable(),
    /** Upper case (BTC). */
    pay_currency: model.text().nullable(),
    /** The cart's email, lower case. */
    email: model.text().nullable(),
    /** The Medusa order's display number (#12). */
    order_display_id: model.number().nullable(),
  })
  .indexes([
    { on: ["coingate_order_id"], unique: true },
    { on: ["payment_session_id"] },
    { on: ["next_check_at"] },
    // The admin console: newest first (and its keyset export), each filter with that order, the search keys.
    { on: ["created_at", "id"] },
    { name: "IDX_coingate_payment_attention_created_at_id", on: ["created_at", "id"], where: "attention IS NOT NULL" },
    { on: ["status", "created_at"] },
    { on: ["medusa_state", "created_at"] },
    { on: ["price_currency", "created_at"] },
    { on: ["pay_currency", "created_at"] },
    { on: ["email"] },
    { on: ["order_display_id"] },
    { on: ["cart_id"] },
    { on: ["order_id"] },
  ])
