// @ts-check
"use strict"

const money = require("./money")
const currencies = require("./currencies")
const { HttpError, sendJson } = require("./http-util")
const { paginate, present } = require("./params")
const { ledgerId, ledgerAccountView } = require("./ledger")

/**
 * Balance conversions (reference/v2.json /ledger/conversions...) and withdrawals (/withdrawals).
 *
 * `POST /v2/ledger/conversions` (ledger_account_id, quote_currency_id, base_amount) quotes a conversion
 * between two of the merchant's ledger accounts at the simulator's fixed rates less a 1 % conversion
 * fee: `pending` with `actions_required` {confirm, cancel} and `expires_at` 65 s later (the examples'
 * gap). `PATCH .../confirm` completes it (the balances move), `.../cancel` cancels it; either on a
 * conversion that is not pending is 422 LedgerConversionIsNotValid; an unanswered one is shown
 * `expired` once past expires_at (the reference lists no statuses beyond its examples; the
 * simulator's choice). Withdrawals are made in CoinGate's dashboard, never through this API: the
 * simulator has none to list.
 *
 * @typedef {import("./index").Simulator} Simulator
 * @typedef {{ id: string, status: string, base_account_id: string, quote_account_id: string, base_amount: string,
 *   quote_amount: string, fee: string, created_at: string, expires_at: string }} Conversion
 */

const CONVERSION_FEE_RATE = money.dec("0.01")
const CONVERSION_TTL_MS = 65_000

class ConversionStore {
  /** @param {Simulator} sim */
  constructor(sim) {
    this.sim = sim
    /** @type {Map<string, Conversion>} */
    this.conversions = new Map()
  }

  reset() {
    this.conversions.clear()
  }

  accounts() {
    return /** @type {any} */ (this.sim).refunds.ledgerAccounts
  }

  /** @param {Record<string, any>} body */
  create(body) {
    /** @type {string[]} */
    const errors = []
    for (const f of ["ledger_account_id", "quote_currency_id", "base_amount"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    const base = present(body.ledger_account_id) ? this.accounts().find((/** @type {any} */ a) => a.id === String(body.ledger_account_id)) : null
    if (present(body.ledger_account_id) && !base) errors.push("Ledger account is invalid")
    const quoteCurrency = present(body.quote_currency_id) ? currencies.LIST.find((c) => String(c.id) === String(body.quote_currency_id)) : null
    const quote = quoteCurrency ? this.accounts().find((/** @type {any} */ a) => a.symbol === quoteCurrency.symbol) : null
    if (base && quoteCurrency && (!quote || quote === base)) errors.push(`The ${base.symbol}/${quoteCurrency.symbol} conversion pair is not supported on CoinGate.`)
    else if (present(body.quote_currency_id) && !quoteCurrency) errors.push("Quote currency is invalid")
    const amount = present(body.base_amount) ? money.parse(String(body.base_amount)) : null
    if (present(body.base_amount) && (!amount || !money.isPositive(amount))) errors.push("Base amount is not a number")
    else if (amount && base && money.cmp(amount, money.dec(base.balance)) > 0) errors.push("Base amount exceeds the account balance")
    if (errors.length || !base || !quote || !amount) throw new HttpError(422, "Ledger Conversion is not valid", "LedgerConversionIsNotValid", errors)
    const baseC = currencies.get(base.symbol)
    const baseAmount = money.round(amount, baseC.decimals)
    const fee = money.round(money.mul(baseAmount, CONVERSION_FEE_RATE), baseC.decimals)
    const now = Date.now()
    /** @type {Conversion} */
    const conversion = {
      id: ledgerId(now),
      status: "pending",
      base_account_id: base.id,
      quote_account_id: quote.id,
      base_amount: money.cg(baseAmount),
      quote_amount: currencies.convert(money.toString(money.sub(baseAmount, fee)), base.symbol, quote.symbol),
      fee: money.cg(fee),
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + CONVERSION_TTL_MS).toISOString(),
    }
    this.conversions.set(conversion.id, conversion)
    return conversion
  }

  /** @param {string} id */
  mustGet(id) {
    const c = this.conversions.get(id)
    if (!c) throw new HttpError(404, "Ledger conversion not found", "LedgerConversionNotFound")
    if (c.status === "pending" && Date.now() > Date.parse(c.expires_at)) c.status = "expired"
    return c
  }

  /** @param {Conversion} c @param {"confirm" | "cancel"} action */
  answer(c, action) {
    if (c.status !== "pending") {
      const verb = action === "confirm" ? "confirmed" : "canceled"
      throw new HttpError(422, "Ledger Conversion is not valid", "LedgerConversionIsNotValid", [`Conversion can only be ${verb} when in 'pending' state. Current state: ${c.status}.`])
    }
    if (action === "cancel") {
      c.status = "canceled"
      return c
    }
    const journal = /** @type {any} */ (this.sim).ledger
    const base = this.accounts().find((/** @type {any} */ a) => a.id === c.base_account_id)
    const quote = this.accounts().find((/** @type {any} */ a) => a.id === c.quote_account_id)
    const purpose = `Converted ${c.base_amount} ${base.symbol} to ${c.quote_amount} ${quote.symbol}`
    journal.record({ type: "ledger_conversion", purpose, source_type: "LedgerConversion", source_id: c.id, symbol: base.symbol, credited_amount: c.base_amount, debited_amount: "0", move: true })
    journal.record({ type: "ledger_conversion", purpose, source_type: "LedgerConversion", source_id: c.id, symbol: quote.symbol, credited_amount: "0", debited_amount: c.quote_amount, move: true })
    c.status = "completed"
    return c
  }

  /** @param {Conversion} c */
  view(c) {
    const base = this.accounts().find((/** @type {any} */ a) => a.id === c.base_account_id)
    const quote = this.accounts().find((/** @type {any} */ a) => a.id === c.quote_account_id)
    const account = (/** @type {any} */ a) => {
      const { account_type, title, ...rest } = ledgerAccountView(a)
      return rest
    }
    const publicUrl = this.sim.options.publicUrl || this.sim.url
    return {
      id: c.id,
      status: c.status,
      base_amount: c.base_amount,
      base_ledger_account: account(base),
      quote_amount: c.quote_amount,
      quote_ledger_account: account(quote),
      fees: { conversion_fee: { amount: c.fee, currency: account(base).currency } },
      ...(c.status === "pending"
        ? { actions_required: { confirm: `${publicUrl}/api/v2/ledger/conversions/${c.id}/confirm`, cancel: `${publicUrl}/api/v2/ledger/conversions/${c.id}/cancel` } }
        : {}),
      created_at: c.created_at,
      expires_at: c.expires_at,
    }
  }
}

/** `GET /v2/ledger/conversions/rates`: what each account currency converts to. @param {Simulator} sim */
function conversionRates(sim) {
  const symbols = /** @type {any} */ (sim).refunds.ledgerAccounts.map((/** @type {any} */ a) => a.symbol)
  /** @type {Record<string, Record<string, string>>} */
  const rates = {}
  for (const from of symbols) {
    rates[from] = {}
    for (const to of symbols) if (to !== from) rates[from][to] = currencies.rate(from, to)
  }
  return { rates }
}

/** @param {Simulator} sim */
const store = (sim) => /** @type {ConversionStore} */ (/** @type {any} */ (sim).conversions)

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/ledger\/conversions\/rates$/, name: "GET /v2/ledger/conversions/rates",
    handle: (sim, { res }) => sendJson(res, 200, conversionRates(sim)),
  },
  {
    method: "POST", re: /^\/v2\/ledger\/conversions$/, name: "POST /v2/ledger/conversions",
    handle: (sim, { res, body }) => sendJson(res, 200, store(sim).view(store(sim).create(body))),
  },
  {
    method: "GET", re: /^\/v2\/ledger\/conversions$/, name: "GET /v2/ledger/conversions",
    handle: (sim, { res, url }) => {
      const list = [...store(sim).conversions.values()].map((c) => store(sim).view(store(sim).mustGet(c.id))).reverse()
      sendJson(res, 200, paginate(list, url.searchParams, "exchange_transactions", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/ledger\/conversions\/([^/]+)$/, name: "GET /v2/ledger/conversions/:id",
    handle: (sim, { res, params }) => sendJson(res, 200, store(sim).view(store(sim).mustGet(params[0]))),
  },
  {
    method: "PATCH", re: /^\/v2\/ledger\/conversions\/([^/]+)\/(confirm|cancel)$/, name: "PATCH /v2/ledger/conversions/:id/:action",
    handle: (sim, { res, params }) => {
      const c = store(sim).answer(store(sim).mustGet(params[0]), /** @type {"confirm" | "cancel"} */ (params[1]))
      sendJson(res, 200, store(sim).view(c))
    },
  },
  {
    // Withdrawals are requested in the dashboard; through the API there are none to list (shared
    // reference §6.3: GET /v2/withdrawals, GET /v2/withdrawals/{id}).
    method: "GET", re: /^\/v2\/withdrawals$/, name: "GET /v2/withdrawals",
    handle: (_sim, { res, url }) => sendJson(res, 200, paginate([], url.searchParams, "withdrawals", "total_withdrawals")),
  },
  {
    method: "GET", re: /^\/v2\/withdrawals\/([^/]+)$/, name: "GET /v2/withdrawals/:id",
    handle: () => {
      throw new HttpError(404, "Record not found", "RecordNotFound")
    },
  },
]

module.exports = { ConversionStore, ROUTES, conversionRates }
