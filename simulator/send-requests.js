// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")
const currencies = require("./currencies")
const { HttpError } = require("./http-util")
const { isoTime } = require("./orders")
const { applyOverrides } = require("./views")
const { currencyRef } = require("./ledger")
const { present, isHttpUrl } = require("./params")
const { BeneficiaryBook } = require("./beneficiaries")

/**
 * CoinGate payouts (API reference §6): beneficiaries, their payout settings (a coin, a network and an
 * address), and send requests paying a payout setting from a ledger account.
 *
 * A send request is created `draft` when it waits for something: the merchant's 2FA confirmation in the
 * dashboard (`requires_2fa_confirmation`, option `payout2fa`), or a currency exchange (`actions_required`
 * with confirm/cancel URLs, when the coin sent differs from the ledger account's currency; option
 * `payoutExchange`: "auto" (that rule), "always", "never"). An exchange not confirmed within
 * `exchangeTtlMs` (CoinGate: 1 minute) expires the request. Confirming the exchange moves it on to
 * `in_progress` unless 2FA is still awaited; canceling it makes it `canceled`. Then `in_progress` →
 * `processing` → `completed` | `failed`; tests drive these with `sim.setSendRequestStatus(id, status)`.
 * Every change posts the send-request callback (the object itself, as in the seed document).
 *
 * @typedef {import("./index").Simulator} Simulator
 * @typedef {Record<string, any> & { id: number, status: string, external_id: string | null, callback_url: string | null,
 *   status_history: { status: string, at: string }[] }} SendRequest
 */

const SEND_REQUEST_STATUSES = ["draft", "in_progress", "processing", "completed", "failed", "expired", "canceled"]
const FINAL = new Set(["completed", "failed", "expired", "canceled"])
const SERVICE_FEE_RATE = money.dec("0.01")
const CONVERSION_FEE_RATE = money.dec("0.01")

/**
 * @typedef {{ payout2fa: boolean, payoutExchange: "auto" | "always" | "never", exchangeTtlMs: number }} PayoutOptions
 */

class PayoutStore extends BeneficiaryBook {
  /** @param {Simulator} sim @param {Partial<PayoutOptions>} [options] */
  constructor(sim, options = {}) {
    super()
    this.sim = sim
    /** @type {PayoutOptions} */
    this.defaults = {
      payout2fa: options.payout2fa ?? false,
      payoutExchange: options.payoutExchange ?? "auto",
      exchangeTtlMs: options.exchangeTtlMs ?? 60_000,
    }
    /** @type {PayoutOptions} */
    this.options = { ...this.defaults }
    /** @type {Map<number, SendRequest>} */
    this.requests = new Map()
    /** @type {Map<number, NodeJS.Timeout>} */
    this.timers = new Map()
    this.nextRequestId = crypto.randomInt(100, 9000)
  }

  reset() {
    this.close()
    this.clearBook()
    this.requests.clear()
    this.options = { ...this.defaults }
  }

  close() {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  /** @param {unknown} id */
  get(id) {
    return /^\d+$/.test(String(id)) ? this.requests.get(Number(id)) : undefined
  }

  /** @param {unknown} id */
  mustGet(id) {
    const r = this.get(id)
    if (!r) throw new HttpError(404, "Send request not found", "SendRequestNotFound")
    return r
  }

  /** `POST /v2/send_requests` (422 SendRequestIsNotValid). @param {Record<string, any>} body */
  create(body) {
    this.received.push({ route: "POST /v2/send_requests", body: structuredClone(body) })
    /** @type {string[]} */
    const errors = []
    for (const f of ["ledger_account_id", "beneficiary_payout_setting_id", "amount", "amount_currency_id", "purpose"]) {
      if (!present(body[f])) errors.push(`${f} can't be blank`)
    }
    const account = present(body.ledger_account_id) ? this.sim.refunds.ledgerAccount(String(body.ledger_account_id)) : null
    if (present(body.ledger_account_id) && !account) errors.push("Ledger account is invalid")
    const setting = present(body.beneficiary_payout_setting_id) ? this.settings.get(Number(body.beneficiary_payout_setting_id)) : null
    if (present(body.beneficiary_payout_setting_id) && !setting) errors.push("Beneficiary payout setting not found")
    const input = present(body.amount_currency_id) ? currencies.LIST.find((c) => String(c.id) === String(body.amount_currency_id)) : null
    if (present(body.amount_currency_id) && !input) errors.push("Amount currency is invalid")
    const amount = present(body.amount) ? money.parse(String(body.amount)) : null
    if (present(body.amount) && (!amount || !money.isPositive(amount))) errors.push("Amount is not a number")
    if (present(body.external_id)) {
      const ext = String(body.external_id)
      if (ext.length > 50) errors.push("External id is too long (maximum is 50 characters)")
      if ([...this.requests.values()].some((r) => r.external_id === ext)) errors.push("External id has already been taken")
    }
    if (present(body.callback_url) && !isHttpUrl(String(body.callback_url))) errors.push("Callback url is not a valid URL")
    if (errors.length || !account || !setting || !input || !amount) throw new HttpError(422, "Send request is not valid", "SendRequestIsNotValid", errors)

    const sending = currencies.get(setting.currency.symbol)
    const ledger = currencies.get(account.symbol)
    const inputAmount = money.cg(money.round(amount, input.decimals))
    const sendingAmount = currencies.convert(inputAmount, input.symbol, sending.symbol, 8)
    const debitAmount = currencies.convert(sendingAmount, sending.symbol, ledger.symbol)
    const exchange = this.options.payoutExchange === "always" || (this.options.payoutExchange === "auto" && sending.symbol !== ledger.symbol)
    const now = Date.now()
    const id = this.nextRequestId++
    const fee = (/** @type {import("./money").Decimal} */ rate) => money.cg(money.round(money.mul(money.dec(debitAmount), rate), ledger.decimals))
    const base = this.sim.options.publicUrl || this.sim.url
    /** @type {SendRequest} */
    const request = {
      id,
      status: this.options.payout2fa || exchange ? "draft" : "in_progress",
      purpose: String(body.purpose),
      callback_url: present(body.callback_url) ? String(body.callback_url) : null,
      created_at: new Date(now).toISOString(),
      external_id: present(body.external_id) ? String(body.external_id) : null,
      ledger_account_id: account.id,
      input_amount: inputAmount,
      input_currency: currencyRef(input.symbol),
      sending_amount: sendingAmount,
      sending_currency: currencyRef(sending.symbol),
      input_to_sending_rate: currencies.rate(input.symbol, sending.symbol),
      sending_to_balance_debit_rate: currencies.rate(sending.symbol, ledger.symbol),
      balance_debit_amount: debitAmount,
      balance_debit_currency: currencyRef(ledger.symbol),
      beneficiary_payout_setting: structuredClone(setting),
      fees: {
        service_fee: { amount: fee(SERVICE_FEE_RATE), currency: currencyRef(ledger.symbol) },
        ...(exchange ? { conversion_fee: { amount: fee(CONVERSION_FEE_RATE), currency: currencyRef(ledger.symbol) } } : {}),
      },
      blockchain_transactions: [],
      // As in v2.json's create-send example: https://api.coingate.com/api/v2/send_requests/11/confirm
      actions_required: exchange ? { confirm: `${base}/api/v2/send_requests/${id}/confirm`, cancel: `${base}/api/v2/send_requests/${id}/cancel` } : null,
      requires_2fa_confirmation: this.options.payout2fa,
      status_history: [],
    }
    request.status_history.push({ status: request.status, at: isoTime(now) })
    this.requests.set(id, request)
    if (request.status === "in_progress") this.sim.refunds.debit(account, debitAmount)
    if (exchange) this.scheduleExchangeExpiry(request)
    this.sim.logLine(`send request ${id} created: ${inputAmount} ${input.symbol} -> ${sendingAmount} ${sending.symbol} (${request.status})`)
    return request
  }

  /** An exchange not confirmed in time expires the request, like CoinGate after one minute. @param {SendRequest} request */
  scheduleExchangeExpiry(request) {
    const timer = setTimeout(() => {
      this.timers.delete(request.id)
      if (request.actions_required && request.status === "draft") {
        this.setStatus(request, "expired").catch(() => {})
      }
    }, this.options.exchangeTtlMs)
    timer.unref()
    this.timers.set(request.id, timer)
  }

  /** `PATCH /v2/send_requests/:id/confirm`. @param {SendRequest} request */
  confirm(request) {
    if (!request.actions_required || request.status !== "draft") {
      throw new HttpError(422, "Send request is not valid", "SendRequestIsNotValid", ["There is no exchange to confirm"])
    }
    this.clearTimer(request)
    request.actions_required = null
    request.exchange_confirmed_at = new Date().toISOString()
    return this.setStatus(request, request.requires_2fa_confirmation ? "draft" : "in_progress")
  }

  /** `PATCH /v2/send_requests/:id/cancel`. @param {SendRequest} request */
  cancel(request) {
    if (!request.actions_required || request.status !== "draft") {
      throw new HttpError(422, "Send request is not valid", "SendRequestIsNotValid", ["There is no exchange to cancel"])
    }
    this.clearTimer(request)
    request.actions_required = null
    return this.setStatus(request, "canceled")
  }

  /** @param {SendRequest} request */
  clearTimer(request) {
    const t = this.timers.get(request.id)
    if (t) clearTimeout(t)
    this.timers.delete(request.id)
  }

  /**
   * Moves a send request to any status (no rules), fills what it implies, posts its callback.
   * @param {SendRequest} request @param {string} status
   * @param {{ callback?: boolean, fields?: Record<string, unknown>, overrides?: Record<string, unknown> }} [opts]
   */
  async setStatus(request, status, opts = {}) {
    if (!SEND_REQUEST_STATUSES.includes(status)) throw new HttpError(422, `Unknown send request status ${status}`, "BadRequest")
    const previous = request.status
    if (status !== "draft" && status !== "expired") {
      // Past draft: the 2FA (if any) was given in the dashboard; an exchange still open is taken as confirmed.
      if (request.actions_required && status !== "canceled") request.actions_required = null
      if (status !== "canceled") request.requires_2fa_confirmation = false
    }
    if (FINAL.has(status)) this.clearTimer(request)
    if ((status === "in_progress" || status === "processing" || status === "completed") && (previous === "draft" || previous === "expired")) {
      const account = this.sim.refunds.ledgerAccount(request.ledger_account_id)
      if (account) this.sim.refunds.debit(account, request.balance_debit_amount)
    }
    if (status === "processing" || status === "completed" || status === "failed") {
      if (request.blockchain_transactions.length === 0) {
        request.blockchain_transactions.push({
          txid: crypto.createHash("sha256").update(`send_request:${request.id}`).digest("hex"),
          amount: request.sending_amount,
          status: "pending",
          network_confirmations: 0,
        })
      }
      const tx = request.blockchain_transactions[0]
      if (status === "completed") Object.assign(tx, { status: "confirmed", network_confirmations: Math.max(3, tx.network_confirmations) })
      if (status === "failed") tx.status = "failed"
    }
    request.status = status
    if (opts.fields) Object.assign(request, opts.fields)
    request.status_history.push({ status, at: isoTime(Date.now()) })
    const persisting = /** @type {any} */ (this.sim)
    persisting.persistSoon()
    const sent = opts.callback === false ? null : this.notify(request, { overrides: opts.overrides })
    return sent ? await sent : null
  }

  /**
   * @param {SendRequest} request
   * @param {{ overrides?: Record<string, unknown>, format?: "form" | "json", url?: string, retry?: boolean }} [opts]
   */
  notify(request, opts = {}) {
    const url = opts.url || request.callback_url
    if (!url || this.sim.closed) return null
    const payload = applyOverrides(sendRequestView(request, this.sim), opts.overrides)
    const format = opts.format || this.sim.options.callbackFormat
    return this.sim.dispatcher.deliver({ orderId: /** @type {any} */ (`send_request:${request.id}`), url, payload, format, retry: opts.retry ?? true })
  }
}

/**
 * The send request as the API returns it and as its callback posts it (the seed document's fields).
 * `actions_required` only while an exchange awaits an answer.
 * @param {SendRequest} r @param {Simulator} sim
 */
function sendRequestView(r, sim) {
  const account = sim.refunds.ledgerAccount(r.ledger_account_id)
  /** @type {Record<string, unknown>} */
  const view = {
    id: r.id,
    status: r.status,
    purpose: r.purpose,
    callback_url: r.callback_url,
    created_at: r.created_at,
    external_id: r.external_id,
    ledger_account: account
      ? { id: account.id, balance: account.balance, status: account.status, currency: { id: currencies.get(account.symbol).id, title: currencies.get(account.symbol).title, symbol: account.symbol } }
      : { id: r.ledger_account_id },
    input_amount: r.input_amount,
    input_currency: structuredClone(r.input_currency),
    sending_amount: r.sending_amount,
    sending_currency: structuredClone(r.sending_currency),
    input_to_sending_rate: r.input_to_sending_rate,
    sending_to_balance_debit_rate: r.sending_to_balance_debit_rate,
    balance_debit_amount: r.balance_debit_amount,
    balance_debit_currency: structuredClone(r.balance_debit_currency),
    beneficiary_payout_setting: structuredClone(r.beneficiary_payout_setting),
    fees: structuredClone(r.fees),
    blockchain_transactions: structuredClone(r.blockchain_transactions),
  }
  if (r.actions_required) view.actions_required = { ...r.actions_required }
  view.requires_2fa_confirmation = r.requires_2fa_confirmation
  return view
}

module.exports = { PayoutStore, SEND_REQUEST_STATUSES, sendRequestView }
