// @ts-check
"use strict"

const currencies = require("./currencies")
const { HttpError, sendJson } = require("./http-util")
const { paginate } = require("./params")

/**
 * What the API shows of a refund (the refund object, its list pages, its callback) and the refund routes.
 * @typedef {import("./refunds").Refund} Refund
 * @typedef {import("./orders").Order} Order
 */

/** The refund object of `GET /v2/orders/:id/refunds/:rid` (no internal history). @param {Refund} r */
function refundView(r) {
  const { status_history, order_id, email, reason, request_currency, ...rest } = r
  const view = structuredClone(rest)
  if (r.status !== "rejected") {
    delete view.rejection_type
    delete view.rejection_reason
  }
  return view
}

/**
 * The refund object with its parent order summary, as the API returns it.
 * @param {Refund} r @param {Order} order
 */
function refundApiView(r, order) {
  const c = currencies.get(order.price_currency)
  return {
    ...refundView(r),
    order: {
      id: order.id,
      title: order.title,
      price_amount: order.price_amount,
      created_at: order.created_at,
      paid_at: order.paid_at,
      price_currency: { id: c.id, title: c.title, kind: c.kind, symbol: c.symbol },
    },
  }
}

/** The refund callback's fields (API reference §5.5). @param {Refund} r */
function refundCallbackPayload(r) {
  /** @type {Record<string, unknown>} */
  const p = {
    id: r.id,
    order_id: r.order_id,
    status: r.status,
    request_amount: r.request_amount,
    request_currency: structuredClone(r.request_currency),
    address: r.address,
    additional_address_field: r.memo ?? "",
    refund_amount: r.refund_amount,
    refund_currency: { id: r.refund_currency.id, symbol: r.refund_currency.symbol, platform: { ...r.refund_currency.platform } },
    email: r.email,
    reason: r.reason,
    ledger_account: { id: r.ledger_account.id, currency: { id: r.ledger_account.currency.id, symbol: r.ledger_account.currency.symbol } },
  }
  if (r.status === "rejected") p.compliance_rejection_reason = r.rejection_reason
  return p
}
const ROUTES = [
  {
    // Sandbox only at CoinGate (v2.json /orders/{order_id}/refunds/{id}/mark_as_completed and
    // mark_as_rejected): settles a refund the way CoinGate's staff would, answering the refund object.
    // A refund already completed or rejected is 422 (the reference gives only {message, reason}).
    method: "PATCH", re: /^\/v2\/orders\/([^/]+)\/refunds\/([^/]+)\/(mark_as_completed|mark_as_rejected)$/, name: "PATCH /v2/orders/:id/refunds/:rid/:mark",
    handle: async (sim, { res, params }) => {
      const refund = sim.refunds.mustGet(params[0], params[1])
      if (refund.status === "completed" || refund.status === "rejected") {
        throw new HttpError(422, "Refund is not valid", "RefundIsNotValid", [`Refund is already ${refund.status}`])
      }
      const done = sim.refunds.setStatus(refund, params[2] === "mark_as_completed" ? "completed" : "rejected")
      sendJson(res, 200, refundApiView(refund, sim.store.mustGet(refund.order_id)))
      Promise.resolve(done).catch(() => {})
    },
  },
  {
    method: "GET", re: /^\/v2\/refunds\/supported-currencies$/, name: "GET /v2/refunds/supported-currencies",
    handle: (_sim, { res }) => sendJson(res, 200, require("./refunds").supportedRefundCurrencies()),
  },
  {
    method: "GET", re: /^\/v2\/refunds$/, name: "GET /v2/refunds",
    handle: (sim, { res, url }) => {
      const q = url.searchParams
      const sort = q.get("sort") || "created_at_desc"
      const [field, dir] = sort.startsWith("updated_at") ? ["updated_at", sort.endsWith("asc") ? 1 : -1] : ["created_at", sort.endsWith("asc") ? 1 : -1]
      const list = [...sim.refunds.refunds.values()]
        .sort((a, b) => (Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id) * /** @type {number} */ (dir))
        .map((r) => refundApiView(r, sim.store.mustGet(r.order_id)))
      sendJson(res, 200, paginate(list, q, "refunds", "total_refunds"))
    },
  },
  {
    method: "POST", re: /^\/v2\/orders\/([^/]+)\/refunds$/, name: "POST /v2/orders/:id/refunds",
    handle: (sim, { res, params, body }) => {
      const order = sim.store.mustGet(params[0])
      const refund = sim.refunds.create(order, body)
      sendJson(res, 200, refundApiView(refund, order))
      // CoinGate sends the refund callback on creation too.
      Promise.resolve(sim.refunds.notify(refund)).catch(() => {})
    },
  },
  {
    method: "GET", re: /^\/v2\/orders\/([^/]+)\/refunds$/, name: "GET /v2/orders/:id/refunds",
    handle: (sim, { res, params, url }) => {
      const order = sim.store.mustGet(params[0])
      const list = sim.refunds.ofOrder(order).map((r) => refundApiView(r, order))
      sendJson(res, 200, paginate(list, url.searchParams, "refunds", "total_refunds"))
    },
  },
  {
    method: "GET", re: /^\/v2\/orders\/([^/]+)\/refunds\/([^/]+)$/, name: "GET /v2/orders/:id/refunds/:rid",
    handle: (sim, { res, params }) => {
      const refund = sim.refunds.mustGet(params[0], params[1])
      sendJson(res, 200, refundApiView(refund, sim.store.mustGet(refund.order_id)))
    },
  },
]


module.exports = { ROUTES, refundView, refundApiView, refundCallbackPayload }
