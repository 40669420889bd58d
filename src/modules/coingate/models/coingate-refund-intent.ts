import { model } from "@medusajs/framework/utils"

/**
 * One admin intent to move money through CoinGate (docs/refunds.md, docs/security.md): written by the
 * admin refund route, behind admin authentication, before anything is asked of CoinGate. It is the only
 * thing that lets the provider's `refundPayment` call CoinGate, and the reason one intent makes at most
 * one CoinGate refund or send request: its `key` is unique (the form's idempotency key, or one made
 * up), and a retried or concurrent request with the same key or the same fingerprint finds it.
 */
export const CoinGateRefundIntent = model
  .define("coingate_refund_intent", {
    id: model.id({ prefix: "cgint" }).primaryKey(),
    /** The admin form's idempotency key (one per form opened), else a random one. */
    key: model.text(),
    /** Hash of what is asked (payment, method, amount, address, coin, network, refund paid): a double submit without a key. */
    fingerprint: model.text(),
    /** new: a new Medusa refund paid through CoinGate; settle: paying a refund Medusa already recorded on its own. */
    purpose: model.text(),
    kind: model.text(),
    payment_id: model.text(),
    provider_id: model.text(),
    order_id: model.text().nullable(),
    /** The Medusa refund it pays (known at once for `settle`, once Medusa made it for `new`). */
    medusa_refund_id: model.text().nullable(),
    amount: model.text(),
    currency_code: model.text(),
    /** requested (in flight), sent (CoinGate made it), failed (proven not made), unknown (the answer was lost: reserved until resolved). */
    state: model.text(),
    error: model.text().nullable(),
    /** The `coingate_refund` record made from CoinGate's answer. */
    refund_record_id: model.text().nullable(),
    requested_by: model.text().nullable(),
    /** What was asked of CoinGate (amount, address, coin, network, ...): a lost answer is found and recorded from it. */
    request: model.json().nullable(),
    /** When the request was (last) sent to CoinGate: a resolution's grace period counts from here. */
    sent_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["key"], unique: true },
    { on: ["payment_id", "fingerprint"] },
    { on: ["medusa_refund_id"] },
    { on: ["state"] },
  ])
