// @ts-check
"use strict"

const currencies = require("./currencies")
const { HttpError, sendJson } = require("./http-util")
const { paginate } = require("./params")

/**
 * The merchant's ledger (balances): accounts (`GET /v2/ledger/accounts`), read by refunds and payouts.
 * @typedef {{ id: string, balance: string, status: string, account_type: string, title: string, symbol: string }} LedgerAccount
 */

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

/** @type {import("./server").Route[]} */
const ROUTES = [
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

module.exports = { ROUTES, defaultLedgerAccounts, currencyRef, ledgerAccountView }
