import { model } from "@medusajs/framework/utils"

/**
 * A refund or payout the plugin asked CoinGate for (docs/refunds.md): one row per Medusa refund made
 * through the admin's CoinGate refund form. `kind` says which CoinGate object it is: a merchant refund
 * (`POST /v2/orders/{id}/refunds`) or a payout (a send request). Its status follows CoinGate's callbacks
 * and re-reads; `snapshot` is the last object read from the API (amounts, rates, fees, blockchain
 * transactions, actions_required, requires_2fa_confirmation), never its callback URL.
 */
export const CoinGateRefund = model
  .define("coingate_refund", {
    id: model.id({ prefix: "cgref" }).primaryKey(),
    /** refund | payout */
    kind: model.text(),
    provider_id: model.text(),
    /** The Medusa refund (`ref_...`) this pays; null while made at CoinGate but not recorded in Medusa. */
    medusa_refund_id: model.text().nullable(),
    /**
     * What Medusa records of it, when Medusa could not record all of it (src/refunds/medusa-record.ts): the rest
     * paid refunds Medusa made on its own. "0": Medusa records none of it. Null: all of it, or not tried yet
     * (while `medusa_refund_id` is null too: a process stopped before Medusa recorded it; the check retries).
     */
    medusa_amount: model.text().nullable(),
    /** The admin intent it was made for: its callback token and the send request's `external_id` (null: older records, whose reference is the Medusa refund id). */
    intent_id: model.text().nullable(),
    payment_id: model.text(),
    order_id: model.text().nullable(),
    /** CoinGate's refund id or send request id. */
    coingate_id: model.text(),
    coingate_order_id: model.text(),
    /** In the order currency, as a decimal string in its precision. */
    amount: model.text(),
    currency_code: model.text(),
    address: model.text(),
    address_memo: model.text().nullable(),
    /** CoinGate's ids of the coin and network, and their symbols/titles when known. */
    currency_id: model.number(),
    platform_id: model.number(),
    coin: model.text().nullable(),
    network: model.text().nullable(),
    email: model.text().nullable(),
    reason: model.text().nullable(),
    ledger_account_id: model.text().nullable(),
    /** Refunds: pending, processing, completed, rejected. Payouts: draft, in_progress, processing, completed, failed, expired, canceled. */
    status: model.text(),
    rejection_reason: model.text().nullable(),
    /** The last refund or send request read from CoinGate (see src/refunds/). */
    snapshot: model.json().nullable(),
    /** [{ status, at, source, note? }], oldest first. */
    history: model.json(),
    /** refund_rejected, payout_not_sent: the money did not leave although Medusa counts the refund. */
    attention: model.text().nullable(),
    attention_note: model.text().nullable(),
    requested_by: model.text().nullable(),
    last_synced_at: model.dateTime().nullable(),
    last_callback_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["medusa_refund_id"], unique: true },
    { on: ["kind", "coingate_id"], unique: true },
    { on: ["coingate_order_id"] },
    { on: ["intent_id"] },
    { on: ["order_id"] },
  ])
