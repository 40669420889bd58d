// @ts-check
"use strict"

const crypto = require("crypto")
const currencies = require("./currencies")
const payments = require("./payments")
const { HttpError } = require("./http-util")

const STATUSES = ["new", "pending", "confirming", "paid", "invalid", "expired", "canceled", "refunded", "partially_refunded"]
const SETTLED = new Set(["paid", "refunded", "partially_refunded"])
/**
 * Statuses that imply the shopper chose a coin (reference/v2.json: pay_currency, pay_amount,
 * payment_address, expire_at exist only after the choice). `expired`/`canceled` reached from `new`
 * have none.
 */
const WITH_COIN = new Set(["pending", "confirming", "paid", "invalid", "refunded", "partially_refunded"])
const PAY_KINDS = ["full", "underpay", "overpay"]

/** CoinGate renders times as `2024-01-31T12:00:00+00:00`. @param {number} ms */
const isoTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00")

/**
 * The internal order record: every API field plus `token`, `callback_url`, `success_url`,
 * `cancel_url`, `description`, `shopper`, `purchaser_email` and `status_history`.
 * @typedef {Record<string, any> & { id: number, status: string, uuid: string, token: string,
 *   callback_url: string | null, status_history: { status: string, at: string }[] }} Order
 */

/**
 * @typedef {{
 *   publicUrl: () => string,
 *   newTtlMs: number,
 *   pendingTtlMs: number,
 *   firstId?: number,
 *   onStatusChange: (order: Order, previous: string) => Promise<any> | null,
 *   onSettle?: (order: Order) => void,
 *   onChange?: () => void,
 * }} StoreOptions
 */

class OrderStore {
  /** @param {StoreOptions} opts */
  constructor(opts) {
    this.opts = opts
    /** @type {Map<number, Order>} */
    this.orders = new Map()
    /** @type {Map<number, NodeJS.Timeout>} */
    this.expiryTimers = new Map()
    this.nextId = opts.firstId ?? crypto.randomInt(1000, 90000)
  }

  /**
   * @param {import("./validation").CreateParams} params @param {number} orderableId
   * @returns {Order}
   */
  create(params, orderableId) {
    const now = Date.now()
    const uuid = crypto.randomUUID()
    const { token, callback_url, success_url, cancel_url, description, shopper, purchaser_email, ...rest } = params
    /** @type {Order} */
    const order = {
      id: this.nextId++,
      status: "new",
      title: rest.title,
      do_not_convert: rest.do_not_convert,
      orderable_type: "ApiApp",
      orderable_id: orderableId,
      uuid,
      payment_gateway: "coingate",
      price_currency: rest.price_currency,
      price_amount: rest.price_amount,
      pay_currency: null,
      pay_amount: null,
      lightning_network: false,
      receive_currency: rest.receive_currency,
      receive_amount: "0",
      created_at: isoTime(now),
      expire_at: null,
      paid_at: null,
      payment_address: null,
      order_id: rest.order_id,
      payment_url: `${this.opts.publicUrl()}/invoice/${uuid}`,
      payment_request_uri: null,
      underpaid_amount: "0",
      overpaid_amount: "0",
      is_refundable: false,
      conversion_rate: null,
      platform: null,
      refunds: [],
      voids: [],
      fees: [],
      blockchain_transactions: [],
      ledger_transactions: [],
      token: token || crypto.randomBytes(30).toString("base64").replace(/[^A-Za-z0-9]/g, "").padEnd(30, "x").slice(0, 30),
      callback_url,
      success_url,
      cancel_url,
      description,
      shopper,
      purchaser_email,
      status_history: [{ status: "new", at: isoTime(now) }],
    }
    this.orders.set(order.id, order)
    this.scheduleExpiry(order, now + this.opts.newTtlMs)
    this.opts.onChange?.()
    return order
  }

  /** @param {unknown} id */
  get(id) {
    const n = typeof id === "number" ? id : /^\d+$/.test(String(id)) ? Number(id) : NaN
    return this.orders.get(n)
  }

  /** @param {unknown} id */
  mustGet(id) {
    const order = this.get(id)
    if (!order) throw new HttpError(404, "Order not found", "OrderNotFound")
    return order
  }

  /** @param {string} uuid */
  byUuid(uuid) {
    for (const o of this.orders.values()) if (o.uuid === uuid) return o
    return undefined
  }

  all() {
    return [...this.orders.values()]
  }

  /**
   * Moves an order to `status` (any status: tests use this to force CoinGate's quirks), fills the
   * fields that status implies, then notifies (which sends the callback).
   * @param {Order} order @param {string} status
   * @param {{ fields?: Record<string, unknown>, payCurrency?: string, notify?: boolean }} [opts]
   * @returns {Promise<any> | null}
   */
  setStatus(order, status, opts = {}) {
    if (!STATUSES.includes(status)) throw new HttpError(422, `Unknown status ${status}`, "BadRequest")
    const previous = order.status
    if (WITH_COIN.has(status) || opts.payCurrency) this.ensureCoin(order, opts.payCurrency)
    if (status === "pending") {
      if (previous !== "pending") order.expire_at = isoTime(Date.now() + this.opts.pendingTtlMs)
      this.scheduleExpiry(order, Date.parse(order.expire_at))
    } else if (status !== "new") this.clearExpiry(order)
    if (status === "confirming" && order.blockchain_transactions.length === 0) payments.addTx(order, order.pay_amount, "pending")
    if (SETTLED.has(status) && payments.settle(order, isoTime(Date.now()))) this.opts.onSettle?.(order)
    if (status === "refunded" || status === "partially_refunded") order.is_refundable = false
    order.status = status
    if (opts.fields) Object.assign(order, opts.fields)
    order.status_history.push({ status, at: isoTime(Date.now()) })
    this.opts.onChange?.()
    return opts.notify === false ? null : this.opts.onStatusChange(order, previous)
  }

  /**
   * The shopper picks a coin on the invoice: new -> pending.
   * @param {Order} order @param {string} [symbol]
   */
  chooseCoin(order, symbol = "BTC") {
    if (order.status !== "new") throw new HttpError(422, `Order is ${order.status}, a coin can only be chosen while new`, "OrderIsNotValid")
    this.checkPayCurrency(symbol)
    order.pay_currency = null
    return this.setStatus(order, "pending", { payCurrency: symbol })
  }

  /**
   * The shopper sends funds. Returns the promises of the callbacks it triggered.
   * @param {Order} order
   * @param {{ kind?: string, payCurrency?: string, confirm?: boolean }} [opts]
   * @returns {Promise<any>[]}
   */
  pay(order, { kind = "full", payCurrency = "BTC", confirm = true } = {}) {
    if (!PAY_KINDS.includes(kind)) throw new HttpError(422, `Unknown payment kind ${kind}`, "BadRequest")
    /** @type {(Promise<any> | null)[]} */
    const sent = []
    const status = order.status
    if (status === "new") sent.push(this.chooseCoin(order, payCurrency))
    if (status === "new" || status === "pending") {
      payments.sendFunds(order, kind, "pending")
      if (kind !== "underpay") {
        sent.push(this.setStatus(order, "confirming"))
        if (confirm) sent.push(this.setStatus(order, "paid"))
      }
    } else if (status === "confirming") {
      if (kind === "underpay") throw new HttpError(422, "Order is already confirming", "OrderIsNotValid")
      sent.push(this.setStatus(order, "paid"))
    } else if (status === "expired" || status === "canceled") {
      if (kind === "underpay") throw new HttpError(422, `A late underpayment leaves the order ${status}`, "OrderIsNotValid")
      if (!order.pay_currency) this.checkPayCurrency(payCurrency)
      this.ensureCoin(order, payCurrency)
      payments.sendFunds(order, kind, "confirmed")
      sent.push(this.setStatus(order, "paid"))
    } else {
      throw new HttpError(422, "Order already settled", "OrderIsNotValid")
    }
    return /** @type {Promise<any>[]} */ (sent.filter(Boolean))
  }

  /** @param {Order} order */
  cancel(order) {
    if (order.status !== "new" && order.status !== "pending") {
      throw new HttpError(422, `Order is ${order.status} and cannot be canceled`, "OrderIsNotValid")
    }
    return this.setStatus(order, "canceled")
  }

  /** @param {string} symbol */
  checkPayCurrency(symbol) {
    if (!currencies.PAY_CURRENCIES.includes(String(symbol).toUpperCase())) {
      throw new HttpError(422, `Pay currency ${symbol} is not supported`, "OrderIsNotValid")
    }
  }

  /** @param {Order} order @param {string} [symbol] */
  ensureCoin(order, symbol = "BTC") {
    payments.ensureCoin(order, symbol, isoTime(Date.now() + this.opts.pendingTtlMs))
  }

  /** @param {Order} order @param {number} atMs */
  scheduleExpiry(order, atMs) {
    this.clearExpiry(order)
    if (!Number.isFinite(atMs)) return
    const delay = Math.min(Math.max(0, atMs - Date.now()), 0x7fffffff)
    const timer = setTimeout(() => {
      this.expiryTimers.delete(order.id)
      if (this.orders.get(order.id) !== order) return
      if (Date.now() < atMs) return this.scheduleExpiry(order, atMs)
      if (order.status === "new" || order.status === "pending") {
        Promise.resolve(this.setStatus(order, "expired")).catch(() => {})
      }
    }, delay)
    timer.unref()
    this.expiryTimers.set(order.id, timer)
  }

  /** @param {Order} order */
  clearExpiry(order) {
    const t = this.expiryTimers.get(order.id)
    if (t) clearTimeout(t)
    this.expiryTimers.delete(order.id)
  }

  /** Forgets every order (ids keep incrementing so they are never reused). */
  reset() {
    this.close()
    this.orders.clear()
  }

  close() {
    for (const t of this.expiryTimers.values()) clearTimeout(t)
    this.expiryTimers.clear()
  }
}

module.exports = { OrderStore, STATUSES, PAY_KINDS, isoTime }
