// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")
const currencies = require("./currencies")
const { HttpError, sendJson } = require("./http-util")
const { paginate, pageParams } = require("./params")

/**
 * The merchant's ledger (balances): accounts (`GET /v2/ledger/accounts`), read by refunds and payouts,
 * and its journal (`GET /v2/ledger/transactions`, and an order's `ledger_transactions[]`).
 *
 * CoinGate's journal names money coming in `debited_amount` and money going out `credited_amount`
 * (reference/v2.json, GET /ledger/transactions example: `merchant_order` debited 100.0 EUR, `fee` and
 * `merchant_refund` credited); the simulator keeps that naming. A paid order adds `merchant_order` (the
 * settled amount before the fee) and `fee`, both in the settlement currency, and changes the balance of
 * the account in that currency when the merchant has one (the reference is silent on orders settling
 * into a currency without an account: then only the entries are written). A completed refund adds
 * `merchant_refund` (the balance debit).
 *
 * @typedef {{ id: string, balance: string, status: string, account_type: string, title: string, symbol: string }} LedgerAccount
 * @typedef {{ id: string, created_at: string, purpose: string, type: string, source_type: string, source_id: string,
 *   account_id: string | null, symbol: string, credited_amount: string, debited_amount: string, closing_balance: string | null,
 *   order_id?: number }} LedgerEntry
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** A ULID-like id (26 Crockford base32 characters, time first), like CoinGate's ledger ids. */
function ledgerId(now = Date.now()) {
  let t = now
  let time = ""
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time
    t = Math.floor(t / 32)
  }
  const rand = crypto.randomBytes(16)
  let tail = ""
  for (let i = 0; i < 16; i++) tail += CROCKFORD[rand[i] % 32]
  return time + tail
}

/** Ledger accounts every simulated merchant has (balances in the account's currency). @returns {LedgerAccount[]} */
function defaultLedgerAccounts() {
  return [
    { id: "01JNQWKKJ6WXN8BZT1Y66B6EUR", balance: "100000.0", status: "active", account_type: "main", title: "EUR account", symbol: "EUR" },
    { id: "01JNQWKKJ6WXN8BZT1Y66B6BTC", balance: "10.0", status: "active", account_type: "secondary", title: "BTC account", symbol: "BTC" },
    { id: "01JNQWKKJ6WXN8BZT1Y66B6USD", balance: "100000.0", status: "active", account_type: "secondary", title: "USDT account", symbol: "USDT" },
  ]
}

/** @param {string} symbol */
const currencyRef = (symbol) => {
  const c = currencies.get(symbol)
  return { id: c.id, title: c.title, kind: c.kind, symbol: c.symbol }
}

/** `GET /v2/ledger/accounts` item. @param {LedgerAccount} a */
const ledgerAccountView = (a) => ({
  id: a.id,
  balance: a.balance,
  status: a.status,
  account_type: a.account_type,
  title: a.title,
  currency: { ...currencyRef(a.symbol), enabled: true, disabled_message: null },
})

class LedgerJournal {
  /** @param {{ accounts: () => LedgerAccount[] }} opts */
  constructor(opts) {
    this.opts = opts
    /** @type {LedgerEntry[]} */
    this.entries = []
  }

  reset() {
    this.entries = []
  }

  /** @param {string} symbol */
  accountFor(symbol) {
    return this.opts.accounts().find((a) => a.symbol === symbol) || null
  }

  /**
   * Writes one entry; `debited` adds to the account's balance, `credited` takes from it (when `move`).
   * @param {Omit<LedgerEntry, "id" | "created_at" | "closing_balance" | "account_id"> & { move?: boolean }} e
   */
  record(e) {
    const account = this.accountFor(e.symbol)
    if (account && e.move) {
      const c = currencies.get(account.symbol)
      const next = money.add(money.sub(money.dec(account.balance), money.dec(e.credited_amount)), money.dec(e.debited_amount))
      account.balance = money.cg(money.round(next, c.decimals))
    }
    const { move, ...rest } = e
    /** @type {LedgerEntry} */
    const entry = { id: ledgerId(), created_at: new Date().toISOString(), ...rest, account_id: account ? account.id : null, closing_balance: account ? account.balance : null }
    this.entries.push(entry)
    return entry
  }

  /**
   * A paid order settles: `merchant_order` (gross) and `fee`; fills the order's `ledger_transactions`.
   * @param {import("./orders").Order} order
   */
  recordOrder(order) {
    const fee = order.fees[0]
    if (!fee) return
    const symbol = fee.currency.symbol
    const gross = money.cg(money.add(money.dec(order.receive_amount), money.dec(fee.amount)))
    const base = { source_type: "Order", source_id: String(order.id), symbol, order_id: order.id, move: true }
    const made = [
      this.record({ ...base, type: "merchant_order", purpose: `Order ID #${order.id} ${gross} ${symbol}`, credited_amount: "0", debited_amount: gross }),
      this.record({ ...base, source_type: "Fee", type: "fee", purpose: `Order ID #${order.id} processing fee ${fee.amount} ${symbol}`, credited_amount: fee.amount, debited_amount: "0" }),
    ]
    order.ledger_transactions = made.map(orderLedgerView)
  }

  /**
   * A refund completed (its balance debit is already taken by the refund store).
   * @param {import("./refunds").Refund} refund
   */
  recordRefund(refund) {
    const symbol = refund.ledger_account.currency.symbol
    this.record({
      source_type: "MerchantRefund", source_id: String(refund.id), symbol, type: "merchant_refund",
      purpose: `Merchant refund ${refund.balance_debit_amount} ${symbol}`, credited_amount: refund.balance_debit_amount, debited_amount: "0",
    })
  }

  /** `GET /v2/ledger/transactions`. @param {URLSearchParams} q */
  list(q) {
    const { page, perPage } = pageParams(q)
    const sort = q.get("sort") === "created_at_asc" ? "created_at_asc" : "created_at_desc"
    const dateFrom = q.get("date_from") || ""
    const dateTo = q.get("date_to") || ""
    const currency = (q.get("currency") || "").toUpperCase()
    const sourceType = q.get("source_type")
    const sourceId = q.get("source_id")
    if ((sourceType && !sourceId) || (!sourceType && sourceId)) {
      throw new HttpError(422, "source_type and source_id must be given together", "BadRequest")
    }
    const from = dateFrom ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(dateFrom) ? `${dateFrom}T00:00:00Z` : dateFrom) : null
    const to = dateTo ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(dateTo) ? `${dateTo}T23:59:59.999Z` : dateTo) : null
    const selected = this.entries.filter((e) => {
      if (currency && e.symbol !== currency) return false
      // An order's entries: the merchant_order (source Order) and its fee (source Fee of that order).
      if (sourceType && sourceId && !(sourceType === "Order" ? e.order_id === Number(sourceId) : e.source_type === sourceType && e.source_id === sourceId)) return false
      const at = Date.parse(e.created_at)
      if (from !== null && at < from) return false
      if (to !== null && at > to) return false
      return true
    })
    const ordered = sort === "created_at_asc" ? selected : [...selected].reverse()
    return {
      current_page: page,
      per_page: perPage,
      sort,
      date_from: dateFrom,
      date_to: dateTo,
      currency: currency || "all",
      total_entries: ordered.length,
      total_pages: Math.ceil(ordered.length / perPage),
      entries: ordered.slice((page - 1) * perPage, page * perPage).map((e) => this.entryView(e)),
    }
  }

  /** @param {LedgerEntry} e */
  entryView(e) {
    const account = e.account_id ? this.opts.accounts().find((a) => a.id === e.account_id) : null
    return {
      id: e.id,
      created_at: e.created_at,
      purpose: e.purpose,
      type: e.type,
      source_type: e.source_type,
      source_id: e.source_id,
      account: account ? ledgerAccountView(account) : null,
      currency: { ...currencyRef(e.symbol), enabled: true, disabled_message: null },
      credited_amount: e.credited_amount,
      debited_amount: e.debited_amount,
      closing_balance: e.closing_balance,
    }
  }
}

/** An order's `ledger_transactions[]` item (v2.json, GET /orders/{id} example). @param {LedgerEntry} e */
const orderLedgerView = (e) => ({ id: e.id, type: e.type, credited_amount: e.credited_amount, debited_amount: e.debited_amount, purpose: e.purpose })

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/ledger\/transactions$/, name: "GET /v2/ledger/transactions",
    handle: (sim, { res, url }) => sendJson(res, 200, /** @type {any} */ (sim).ledger.list(url.searchParams)),
  },
  {
    method: "GET", re: /^\/v2\/ledger\/accounts$/, name: "GET /v2/ledger/accounts",
    handle: (sim, { res, url }) => sendJson(res, 200, paginate(sim.refunds.ledgerAccounts.map(ledgerAccountView), url.searchParams, "accounts", "total_accounts")),
  },
  {
    method: "GET", re: /^\/v2\/ledger\/accounts\/([^/]+)$/, name: "GET /v2/ledger/accounts/:id",
    handle: (sim, { res, params }) => {
      const account = sim.refunds.ledgerAccount(params[0])
      if (!account) throw new HttpError(404, "Record not found", "RecordNotFound")
      sendJson(res, 200, ledgerAccountView(account))
    },
  },

]

module.exports = { ROUTES, LedgerJournal, ledgerId, defaultLedgerAccounts, currencyRef, ledgerAccountView }
