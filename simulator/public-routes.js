// @ts-check
"use strict"

const currencies = require("./currencies")
const { sendJson, sendText } = require("./http-util")

/**
 * CoinGate's public endpoints (no auth; reference/v2.json): ping, exchange rates, currencies,
 * platforms and the callback source IPs.
 */

/** Networks: each coin's own, plus Tron for the stablecoins (as refunds and payouts know them). */
const TRON = { id: 6, title: "Tron", id_name: "tron" }

function platforms() {
  /** @type {Map<number, { id: number, title: string, id_name: string, currencies: import("./currencies").Currency[] }>} */
  const byId = new Map()
  for (const c of currencies.LIST) {
    if (!c.platform) continue
    const nets = [c.platform, ...(c.symbol === "USDT" || c.symbol === "USDC" ? [TRON] : [])]
    for (const p of nets) {
      if (!byId.has(p.id)) byId.set(p.id, { ...p, currencies: [] })
      byId.get(p.id)?.currencies.push(c)
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

/** `GET /v2/platforms` item (v2.json /platforms example). @param {ReturnType<typeof platforms>[number]} p */
const platformView = (p) => ({
  id: p.id,
  title: p.title,
  id_name: p.id_name,
  disabled: false,
  disabled_message: null,
  currencies: p.currencies.map((c) => ({ id: c.id, title: c.title, symbol: c.symbol, enabled: true })),
})

/** A boolean query parameter: true, false, or null when absent. @param {URLSearchParams} q @param {string} name */
function boolParam(q, name) {
  const v = q.get(name)
  if (v === null || v === "") return null
  return v === "true" || v === "1"
}

/**
 * `GET /v2/currencies` with the documented filters (v2.json /currencies parameters: native, enabled,
 * merchant_pay, merchant_receive, kind, symbol).
 * @param {URLSearchParams} q
 */
function listCurrencies(q) {
  const filters = {
    native: boolParam(q, "native"),
    enabled: boolParam(q, "enabled"),
    merchant_pay: boolParam(q, "merchant_pay"),
    merchant_receive: boolParam(q, "merchant_receive"),
  }
  const kind = q.get("kind")
  const symbol = (q.get("symbol") || "").trim().toUpperCase()
  return currencies.LIST.map(currencies.currencyView).filter((c) => {
    if (kind && c.kind !== kind) return false
    if (symbol && c.symbol !== symbol) return false
    if (filters.native !== null && c.native !== filters.native) return false
    if (filters.enabled !== null && !c.disabled !== filters.enabled) return false
    if (filters.merchant_pay !== null && c.merchant.pay !== filters.merchant_pay) return false
    if (filters.merchant_receive !== null && c.merchant.receive !== filters.merchant_receive) return false
    return true
  })
}

/** `GET /v2/rates`: every pair, merchant and trader (buy/sell) alike at the simulator's fixed rates. */
function allRates() {
  /** @type {Record<string, Record<string, string>>} */
  const table = {}
  for (const from of currencies.LIST) {
    table[from.symbol] = {}
    for (const to of currencies.LIST) if (to !== from) table[from.symbol][to.symbol] = currencies.rate(from.symbol, to.symbol)
  }
  return { merchant: table, trader: { buy: structuredClone(table), sell: structuredClone(table) } }
}

/** Callback source IPs: the simulator posts callbacks from this machine. */
const CALLBACK_IPS = ["127.0.0.1"]

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/ping$/, name: "GET /v2/ping", public: true,
    handle: (_sim, { res }) => sendJson(res, 200, { ping: "pong", time: new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00") }),
  },
  {
    method: "GET", re: /^\/v2\/rates\/merchant\/([A-Za-z_]+)\/([A-Za-z_]+)$/, name: "GET /v2/rates/merchant/:from/:to", public: true,
    handle: (_sim, { res, params }) => {
      const [from, to] = params.map((p) => currencies.find(p))
      sendText(res, 200, from && to ? currencies.rate(from.symbol, to.symbol) : "")
    },
  },
  {
    method: "GET", re: /^\/v2\/rates$/, name: "GET /v2/rates", public: true,
    handle: (_sim, { res }) => sendJson(res, 200, allRates()),
  },
  {
    method: "GET", re: /^\/v2\/currencies$/, name: "GET /v2/currencies", public: true,
    handle: (_sim, { res, url }) => sendJson(res, 200, listCurrencies(url.searchParams)),
  },
  {
    method: "GET", re: /^\/v2\/platforms$/, name: "GET /v2/platforms", public: true,
    // `enabled=true` lists enabled platforms only: every simulated platform is enabled.
    handle: (_sim, { res }) => sendJson(res, 200, platforms().map(platformView)),
  },
  {
    // api-callbacks.md "IP Addresses": public, one IP a line; the official SDKs pass `separator`.
    method: "GET", re: /^\/v2\/ips-v4$/, name: "GET /v2/ips-v4", public: true,
    handle: (_sim, { res, url }) => sendText(res, 200, CALLBACK_IPS.join(url.searchParams.get("separator") ?? "\n")),
  },
]

module.exports = { ROUTES, listCurrencies, allRates, platforms, CALLBACK_IPS }
