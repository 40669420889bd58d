// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")
const currencies = require("./currencies")
const { HttpError } = require("./http-util")
const { isoTime } = require("./orders")
const { present, isHttpUrl } = require("./params")
const { defaultLedgerAccounts, currencyRef } = require("./ledger")
const { refundView, refundCallbackPayload } = require("./refund-views")

/**
 * CoinGate merchant refunds (`POST /v2/orders/:id/refunds`, API reference §5), the ledger accounts they
 * are paid from (`GET /v2/ledger/accounts`) and the coins/networks a refund can be sent in
 * (`GET /v2/refunds/supported-currencies`).
 *
 * A refund starts `pending`, may pass `processing`, and ends `completed` (a blockchain transaction is
 * added, the ledger is debited, and the parent order becomes `partially_refunded` or `refunded` with its
 * own callback) or `rejected` (`rejection_type` + `rejection_reason`). Every change posts the refund
 * callback (§5.5 fields) to the refund's `callback_url`, with the same transport and retry rules as
 * order callbacks. Tests move refunds with `sim.setRefundStatus(id, status, opts)`.
 *
 * @typedef {import("./index").Simulator} Simulator
 * @typedef {import("./orders").Order} Order
 * @typedef {{ id: number, title: string, id_name: string }} Platform
 * @typedef {import("./ledger").LedgerAccount} LedgerAccount
 * @typedef {Record<string, any> & { id: number, order_id: number, status: string, request_amount: string,
 *   callback_url: string | null, status_history: { status: string, at: string }[] }} Refund
 */

const REFUND_STATUSES = ["pending", "processing", "completed", "rejected"]
const REFUNDABLE_ORDER_STATUSES = new Set(["paid", "partially_refunded"])
/** CoinGate's minimum: "Request amount must be higher than 1.0 EUR". */
const MIN_REFUND_EUR = money.dec("1")
/** A service fee on refunds, taken in the ledger currency. */
const REFUND_FEE_RATE = money.dec("0.005")

const TRON = { id: 6, title: "Tron", id_name: "tron" }

/**
 * Coins and networks a refund can be paid in: each crypto on its own network, stablecoins also on Tron.
 * @type {{ symbol: string, platforms: Platform[] }[]}
 */
const REFUND_COINS = currencies.LIST.filter((c) => c.kind === "crypto").map((c) => ({
  symbol: c.symbol,
  platforms: [...(c.platform ? [c.platform] : []), ...(c.symbol === "USDT" || c.symbol === "USDC" ? [TRON] : [])],
}))

/** The `GET /v2/refunds/supported-currencies` list. */
function supportedRefundCurrencies() {
  return REFUND_COINS.map(({ symbol, platforms }) => {
    const c = currencies.get(symbol)
    return { id: c.id, title: c.title, symbol: c.symbol, kind: c.kind, platforms: platforms.map((p) => ({ ...p, enabled: true })) }
  })
}

/** @param {unknown} currencyId @param {unknown} platformId */
function refundCoin(currencyId, platformId) {
  const c = currencies.LIST.find((x) => String(x.id) === String(currencyId))
  const entry = c && REFUND_COINS.find((r) => r.symbol === c.symbol)
  const platform = entry?.platforms.find((p) => String(p.id) === String(platformId))
  return c && platform ? { coin: c, platform } : null
}


class RefundStore {
  /** @param {Simulator} sim */
  constructor(sim) {
    this.sim = sim
    /** @type {Map<number, Refund>} */
    this.refunds = new Map()
    this.nextId = crypto.randomInt(100, 9000)
    this.ledgerAccounts = defaultLedgerAccounts()
  }

  reset() {
    this.refunds.clear()
    this.ledgerAccounts = defaultLedgerAccounts()
  }

  /** @param {unknown} id */
  ledgerAccount(id) {
    return this.ledgerAccounts.find((a) => a.id === id)
  }

  /**
   * Debits a ledger account (never below zero: the simulator does not police balances).
   * @param {LedgerAccount} account @param {string} amount
   */
  debit(account, amount) {
    const c = currencies.get(account.symbol)
    const left = money.sub(money.dec(account.balance), money.dec(amount))
    account.balance = money.cg(money.round(money.isPositive(left) ? left : money.dec("0"), c.decimals))
  }

  /** @param {unknown} id */
  get(id) {
    return /^\d+$/.test(String(id)) ? this.refunds.get(Number(id)) : undefined
  }

  /** @param {unknown} orderId @param {unknown} id */
  mustGet(orderId, id) {
    const order = this.sim.store.mustGet(orderId)
    const refund = this.get(id)
    if (!refund || refund.order_id !== order.id) throw new HttpError(404, "Refund not found", "RefundNotFound")
    return refund
  }

  /** @param {Order} order */
  ofOrder(order) {
    return [...this.refunds.values()].filter((r) => r.order_id === order.id)
  }

  /** What can still be refunded on an order, in its price currency. @param {Order} order */
  refundable(order) {
    let left = money.dec(order.price_amount)
    for (const r of this.ofOrder(order)) if (r.status !== "rejected") left = money.sub(left, money.dec(r.request_amount))
    return left
  }

  /**
   * `POST /v2/orders/:id/refunds`, validated like CoinGate (422 RefundIsNotValid).
   * @param {Order} order @param {Record<string, any>} body
   */
  create(order, body) {
    /** @type {string[]} */
    const errors = []
    for (const field of ["amount", "address", "currency_id", "platform_id", "reason", "email", "ledger_account_id"]) {
      if (!present(body[field])) errors.push(`${field.charAt(0).toUpperCase()}${field.slice(1).replace(/_/g, " ")} can't be blank`)
    }
    if (!REFUNDABLE_ORDER_STATUSES.has(order.status)) errors.push(`Order is ${order.status}: only paid orders can be refunded`)
    const amount = present(body.amount) ? money.parse(String(body.amount)) : null
    const priceCurrency = currencies.get(order.price_currency)
    if (present(body.amount)) {
      if (!amount || !money.isPositive(amount)) errors.push("Amount is not a number")
      else if (amount.s > priceCurrency.decimals && money.cmp(money.round(amount, priceCurrency.decimals), amount) !== 0) {
        errors.push(`Amount has more decimals than ${priceCurrency.symbol} allows`)
      } else {
        const eur = money.dec(currencies.convert(money.toString(amount), priceCurrency.symbol, "EUR", 8))
        if (money.cmp(eur, MIN_REFUND_EUR) < 0) errors.push("Request amount must be higher than 1.0 EUR")
        if (REFUNDABLE_ORDER_STATUSES.has(order.status) && money.cmp(amount, this.refundable(order)) > 0) {
          errors.push(`Request amount is higher than the refundable amount (${money.cg(this.refundable(order))} ${priceCurrency.symbol})`)
        }
      }
    }
    const target = present(body.currency_id) && present(body.platform_id) ? refundCoin(body.currency_id, body.platform_id) : null
    if (present(body.currency_id) && present(body.platform_id) && !target) errors.push("Refund currency or platform is not supported")
    const account = present(body.ledger_account_id) ? this.ledgerAccount(String(body.ledger_account_id)) : null
    if (present(body.ledger_account_id) && !account) errors.push("Ledger account is invalid")
    if (present(body.email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(body.email))) errors.push("Email is invalid")
    if (present(body.callback_url) && !isHttpUrl(String(body.callback_url))) errors.push("Callback url is not a valid URL")
    if (errors.length || !amount || !target || !account) throw new HttpError(422, "Refund is not valid", "RefundIsNotValid", errors)

    const now = isoTime(Date.now())
    const requestAmount = money.cg(money.round(amount, priceCurrency.decimals))
    const debit = currencies.convert(requestAmount, priceCurrency.symbol, account.symbol)
    const ledgerCurrency = currencies.get(account.symbol)
    /** @type {Refund} */
    const refund = {
      id: this.nextId++,
      order_id: order.id,
      request_amount: requestAmount,
      refund_amount: currencies.convert(requestAmount, priceCurrency.symbol, target.coin.symbol, 8),
      address: String(body.address),
      memo: present(body.address_memo) ? String(body.address_memo) : null,
      status: "pending",
      created_at: now,
      updated_at: now,
      skip_user_address_confirmation: body.skip_user_address_confirmation === true || body.skip_user_address_confirmation === "true",
      processor: "coingate",
      binance_refund_id: null,
      balance_debit_amount: debit,
      callback_url: present(body.callback_url) ? String(body.callback_url) : null,
      email: String(body.email),
      reason: String(body.reason),
      request_currency: { id: priceCurrency.id, symbol: priceCurrency.symbol },
      refund_currency: {
        id: target.coin.id,
        title: target.coin.title,
        symbol: target.coin.symbol,
        platform: { id: target.platform.id, title: target.platform.title },
      },
      balance_debit_currency: currencyRef(account.symbol),
      fees: {
        service_fee: {
          amount: money.cg(money.round(money.mul(money.dec(debit), REFUND_FEE_RATE), ledgerCurrency.decimals)),
          currency: currencyRef(account.symbol),
        },
      },
      transactions: [],
      ledger_account: { id: account.id, currency: currencyRef(account.symbol) },
      rejection_type: null,
      rejection_reason: null,
      status_history: [{ status: "pending", at: now }],
    }
    this.refunds.set(refund.id, refund)
    this.syncOrder(order)
    this.sim.logLine(`refund ${refund.id} of order ${order.id} created: ${requestAmount} ${priceCurrency.symbol} to ${refund.address}`)
    return refund
  }

  /**
   * Moves a refund to any status (no rules), fills what that status implies, then posts the refund
   * callback; a completed refund also moves the parent order to partially_refunded / refunded (with its
   * own callback, after the refund's).
   * @param {Refund} refund @param {string} status
   * @param {{ rejection_reason?: string, rejection_type?: string, callback?: boolean, fields?: Record<string, unknown>,
   *   overrides?: Record<string, unknown> }} [opts]
   */
  async setStatus(refund, status, opts = {}) {
    if (!REFUND_STATUSES.includes(status)) throw new HttpError(422, `Unknown refund status ${status}`, "BadRequest")
    const order = this.sim.store.mustGet(refund.order_id)
    const now = isoTime(Date.now())
    const wasCompleted = refund.status === "completed"
    refund.status = status
    refund.updated_at = now
    if (status === "rejected") {
      refund.rejection_type = opts.rejection_type ?? "shopper"
      refund.rejection_reason = opts.rejection_reason ?? "The shopper did not confirm the refund address in time."
    }
    if (status === "completed" && !wasCompleted) {
      refund.transactions.push({
        id: refund.transactions.length + 1,
        txid: crypto.createHash("sha256").update(`refund:${refund.id}:${now}`).digest("hex"),
        amount: refund.refund_amount,
        status: "confirmed",
        network_confirmations: 3,
        currency: { ...refund.refund_currency },
      })
      const account = this.ledgerAccount(refund.ledger_account.id)
      if (account) this.debit(account, refund.balance_debit_amount)
      const self = /** @type {any} */ (this.sim)
      self.ledger.recordRefund(refund)
    }
    if (opts.fields) Object.assign(refund, opts.fields)
    refund.status_history.push({ status, at: now })
    this.syncOrder(order)
    const persisting = /** @type {any} */ (this.sim)
    persisting.persistSoon()
    const sent = opts.callback === false ? null : this.notify(refund, { overrides: opts.overrides })
    /** @type {Promise<any>[]} */
    const waits = sent ? [sent] : []
    if (status === "completed" && !wasCompleted) {
      const completed = this.ofOrder(order).filter((r) => r.status === "completed")
      const total = completed.reduce((sum, r) => money.add(sum, money.dec(r.request_amount)), money.dec("0"))
      const next = money.cmp(total, money.dec(order.price_amount)) >= 0 ? "refunded" : "partially_refunded"
      // The order callback goes out after the refund's first attempt (as at CoinGate, refund first).
      const orderSent = (sent ?? Promise.resolve()).then(() => this.sim.setStatus(order.id, next))
      waits.push(orderSent)
    }
    const [first] = await Promise.all(waits)
    return first ?? null
  }

  /** Keeps the order's `refunds[]` (as `GET /v2/orders/:id` shows them) current. @param {Order} order */
  syncOrder(order) {
    order.refunds = this.ofOrder(order).map(refundView)
  }

  /**
   * Posts the refund callback (if the refund has a callback_url), with CoinGate's retry rules.
   * @param {Refund} refund @param {{ overrides?: Record<string, unknown>, format?: "form" | "json", url?: string, retry?: boolean }} [opts]
   */
  notify(refund, opts = {}) {
    const url = opts.url || refund.callback_url
    if (!url || this.sim.closed) return null
    const { applyOverrides } = require("./views")
    const payload = applyOverrides(refundCallbackPayload(refund), opts.overrides)
    const format = opts.format || this.sim.options.callbackFormat
    return this.sim.dispatcher.deliver({ orderId: /** @type {any} */ (`refund:${refund.id}`), url, payload, format, retry: opts.retry ?? true })
  }
}

/**
 * Adds refunds to a simulator: `sim.refunds` (the store) and the JS API
 * `getRefund`, `listRefunds`, `setRefundStatus`, `sendRefundCallback`.
 * @param {Simulator} sim
 */
function installRefunds(sim) {
  const s = /** @type {any} */ (sim)
  s.refunds = new RefundStore(sim)
  /** Internal record of a refund (with `email`, `reason`, `status_history`), or null. @param {number | string} id */
  s.getRefund = (id) => {
    const r = s.refunds.get(id)
    return r ? structuredClone(r) : null
  }
  s.listRefunds = () => [...s.refunds.refunds.values()].map((r) => structuredClone(r))
  /**
   * Moves a refund to `status` (pending, processing, completed, rejected) and posts its callback.
   * Resolves to the refund callback's first attempt (null when none was sent).
   * @param {number | string} id @param {string} status @param {Record<string, any>} [opts]
   */
  s.setRefundStatus = (id, status, opts = {}) => {
    const refund = s.refunds.get(id)
    if (!refund) throw new HttpError(404, "Refund not found", "RefundNotFound")
    return s.refunds.setStatus(refund, status, opts)
  }
  /** Posts a refund callback now (overrides: null removes a field). @param {number | string} id @param {Record<string, any>} [opts] */
  s.sendRefundCallback = (id, opts = {}) => {
    const refund = s.refunds.get(id)
    if (!refund) throw new HttpError(404, "Refund not found", "RefundNotFound")
    const sent = s.refunds.notify(refund, opts)
    if (!sent) throw new HttpError(422, "Refund has no callback_url (pass url)", "BadRequest")
    return sent
  }
}

module.exports = {
  REFUND_STATUSES,
  RefundStore,
  installRefunds,
  supportedRefundCurrencies,
  refundCoin,
}
