// @ts-check
"use strict"

const { HttpError } = require("./http-util")

/** @typedef {import("./orders").Order} Order */

const CREATE_FIELDS = [
  "id", "status", "title", "do_not_convert", "orderable_type", "orderable_id", "price_currency", "price_amount",
  "lightning_network", "receive_currency", "receive_amount", "created_at", "order_id", "payment_url",
  "underpaid_amount", "overpaid_amount", "is_refundable", "refunds", "voids", "fees", "token", "blockchain_transactions",
]

const GET_FIELDS = [
  "id", "status", "title", "do_not_convert", "orderable_type", "orderable_id", "uuid", "payment_gateway",
  "price_currency", "price_amount", "pay_currency", "pay_amount", "lightning_network", "receive_currency",
  "receive_amount", "created_at", "expire_at", "paid_at", "payment_address", "order_id", "payment_url",
  "payment_request_uri", "underpaid_amount", "overpaid_amount", "is_refundable", "conversion_rate", "platform",
  "refunds", "voids", "fees", "blockchain_transactions", "ledger_transactions",
]

/**
 * Fields that exist only once they have a value: the coin's (pay_currency, pay_amount, payment_address,
 * payment_request_uri, expire_at, conversion_rate, platform, after the shopper's choice) and paid_at.
 * CoinGate leaves them out rather than answering null (reference/v2.json, GET /orders example: a
 * canceled order without a coin has none of them).
 */
const ABSENT_UNTIL_SET = new Set([
  "pay_currency", "pay_amount", "payment_address", "payment_request_uri", "expire_at", "conversion_rate", "platform", "paid_at",
])

const SETTLED = new Set(["paid", "refunded", "partially_refunded"])

/** @param {Order} order @param {string[]} fields */
function pick(order, fields) {
  /** @type {Record<string, unknown>} */
  const out = {}
  for (const f of fields) {
    if (ABSENT_UNTIL_SET.has(f) && (order[f] === null || order[f] === undefined)) continue
    out[f] = structuredClone(order[f] ?? (f === "ledger_transactions" ? [] : order[f]))
  }
  return out
}

/** `POST /v2/orders` response (includes `token`). @param {Order} order */
const createView = (order) => pick(order, CREATE_FIELDS)

/** `GET /v2/orders/:id` response (no `token`, no callback/success/cancel urls). @param {Order} order */
const apiView = (order) => pick(order, GET_FIELDS)

/** A deep copy of the whole internal record. @param {Order} order */
const internalView = (order) => structuredClone(order)

/**
 * The fields CoinGate posts to `callback_url`. `pay_*` only once a coin is chosen; `fees` and
 * `paid_at` only for paid / refunded / partially_refunded.
 * @param {Order} order
 */
function callbackPayload(order) {
  /** @type {Record<string, unknown>} */
  const p = { id: order.id, order_id: order.order_id ?? "" }
  Object.assign(p, {
    status: order.status,
    price_amount: order.price_amount,
    price_currency: order.price_currency,
    receive_currency: order.receive_currency,
    receive_amount: order.receive_amount,
  })
  if (order.pay_currency) {
    p.pay_amount = order.pay_amount
    p.pay_currency = order.pay_currency
  }
  Object.assign(p, {
    underpaid_amount: order.underpaid_amount,
    overpaid_amount: order.overpaid_amount,
    is_refundable: order.is_refundable,
    created_at: order.created_at,
    token: order.token,
  })
  if (SETTLED.has(order.status)) {
    p.fees = structuredClone(order.fees)
    p.paid_at = order.paid_at
  }
  return p
}

/**
 * Applies callback overrides: a value of `null` (or `undefined`) removes the field.
 * @param {Record<string, unknown>} payload @param {Record<string, unknown> | undefined} overrides
 */
function applyOverrides(payload, overrides) {
  const out = { ...payload }
  for (const [k, v] of Object.entries(overrides || {})) {
    if (v === null || v === undefined) delete out[k]
    else out[k] = v
  }
  return out
}

/**
 * @param {string | null} value @param {boolean} endOfDay
 * @returns {number | null}
 */
function parseDate(value, endOfDay) {
  if (value === null || value === "") return null
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(ms)) throw new HttpError(400, `Invalid date ${value}`, "BadRequest")
  return dateOnly && endOfDay ? ms + 86_400_000 - 1 : ms
}

/**
 * `GET /v2/orders`: filters, sorts and paginates.
 * @param {Order[]} orders @param {URLSearchParams} q
 */
function listView(orders, q) {
  const intParam = (/** @type {string} */ name, /** @type {number} */ dflt) => {
    const raw = q.get(name)
    const n = raw === null || raw === "" ? dflt : Number(raw)
    return Number.isInteger(n) && n > 0 ? n : dflt
  }
  const perPage = Math.min(intParam("per_page", 100), 100)
  const page = intParam("page", 1)
  const statuses = (q.get("status") || "").split(",").map((s) => s.trim()).filter(Boolean)
  const createdFrom = parseDate(q.get("created_at[from]"), false)
  const createdTo = parseDate(q.get("created_at[to]"), true)
  const paidFrom = parseDate(q.get("paid_at[from]"), false)
  const paidTo = parseDate(q.get("paid_at[to]"), true)
  const asc = q.get("sort") === "created_at_asc"

  const selected = orders.filter((o) => {
    if (statuses.length && !statuses.includes(o.status)) return false
    const created = Date.parse(o.created_at)
    if (createdFrom !== null && created < createdFrom) return false
    if (createdTo !== null && created > createdTo) return false
    if (paidFrom !== null || paidTo !== null) {
      if (!o.paid_at) return false
      const paid = Date.parse(o.paid_at)
      if (paidFrom !== null && paid < paidFrom) return false
      if (paidTo !== null && paid > paidTo) return false
    }
    return true
  })
  selected.sort((a, b) => {
    const d = Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id
    return asc ? d : -d
  })
  return {
    current_page: page,
    per_page: perPage,
    total_orders: selected.length,
    total_pages: Math.ceil(selected.length / perPage),
    orders: selected.slice((page - 1) * perPage, page * perPage).map(apiView),
  }
}

module.exports = { createView, apiView, internalView, callbackPayload, applyOverrides, listView }
