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
    /** What Medusa made of it: pending, awaiting_payment, captured, canceled, failed, orphaned. */
    medusa_state: model.text(),
    /** A reason for a person to look: paid_after_cancellation, amount_mismatch, invalid, paid_for_replaced_session. */
    attention: model.text().nullable(),
    attention_note: model.text().nullable(),
    last_synced_at: model.dateTime().nullable(),
    last_callback_at: model.dateTime().nullable(),
    /** When reconciliation should read the order again; null once nothing can change. */
    next_check_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["coingate_order_id"], unique: true },
    { on: ["payment_session_id"] },
    { on: ["next_check_at"] },
  ])
