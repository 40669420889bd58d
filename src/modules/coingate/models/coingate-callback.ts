import { model } from "@medusajs/framework/utils"

/**
 * One callback the store received from CoinGate (or from someone pretending to be CoinGate): an order
 * callback, a refund callback or a send-request (payout) callback, what the plugin made of it and what
 * the store answered. Written by src/callback-log/record.ts only, read by `GET /admin/coingate/callbacks`,
 * pruned after `callbackLogDays` (src/jobs/coingate-callback-log-prune.ts). See docs/admin.md.
 *
 * Never holds a secret: `route` is the route's template (never a refund or send-request URL token) and
 * `body` is the posted body without `token` or any field named like a secret, capped at about 4 KB.
 * Under a flood, callbacks beyond a per-minute budget are not stored one by one: one aggregate row per
 * minute, route and outcome (`count` > 1, no body) counts them.
 */
export const CoinGateCallback = model
  .define("coingate_callback", {
    id: model.id({ prefix: "cgcb" }).primaryKey(),
    /** order | refund | send_request */
    kind: model.text(),
    /** The route template: /hooks/coingate, /hooks/payment/coingate_<id>, /hooks/coingate/refunds/:token, ... */
    route: model.text(),
    /** As posted (checked to be a CoinGate id): the callback may be forged. */
    coingate_order_id: model.text().nullable(),
    /** The refund's or send request's CoinGate id. */
    coingate_ref: model.text().nullable(),
    payment_session_id: model.text().nullable(),
    provider_id: model.text().nullable(),
    /** accepted | forged | unknown | stale | malformed | transient (docs/admin.md) */
    outcome: model.text(),
    answer_status: model.number(),
    /** What the store answered, in short ("ok: paid", "ignored: not verified", "retry later: ..."). */
    answer: model.text(),
    /** The posted body without secrets, capped; { truncated: true, bytes, text } when it was too large. */
    body: model.json().nullable(),
    /** How many callbacks this row stands for: 1, or more for a flood's aggregate row. */
    count: model.number().default(1),
    /** True for a flood's aggregate row (callbacks counted, not stored one by one). */
    aggregate: model.boolean().default(false),
    received_at: model.dateTime(),
  })
  .indexes([{ on: ["received_at"] }, { on: ["coingate_order_id"] }, { on: ["outcome"] }])
