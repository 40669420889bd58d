// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")
const currencies = require("./currencies")
const { HttpError, sendJson } = require("./http-util")
const { isoTime } = require("./orders")
const { applyOverrides } = require("./views")
const { currencyRef, paginate, present, isHttpUrl, refundCoin, REFUND_STATUSES } = require("./refunds")

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

class PayoutStore {
  /** @param {Simulator} sim @param {Partial<PayoutOptions>} [options] */
  constructor(sim, options = {}) {
    this.sim = sim
    /** @type {PayoutOptions} */
    this.defaults = {
      payout2fa: options.payout2fa ?? false,
      payoutExchange: options.payoutExchange ?? "auto",
      exchangeTtlMs: options.exchangeTtlMs ?? 60_000,
    }
    /** @type {PayoutOptions} */
    this.options = { ...this.defaults }
    /** @type {Map<number, Record<string, any>>} */
    this.beneficiaries = new Map()
    /** @type {Map<number, Record<string, any>>} */
    this.settings = new Map()
    /** @type {Map<number, SendRequest>} */
    this.requests = new Map()
    /** @type {Map<number, NodeJS.Timeout>} */
    this.timers = new Map()
    this.nextBeneficiaryId = crypto.randomInt(100, 9000)
    this.nextSettingId = crypto.randomInt(100, 9000)
    this.nextRequestId = crypto.randomInt(100, 9000)
  }

  reset() {
    this.close()
    this.beneficiaries.clear()
    this.settings.clear()
    this.requests.clear()
    this.options = { ...this.defaults }
  }

  close() {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  /** @param {Record<string, any>} body @param {string[]} errors */
  payoutTarget(body, errors) {
    const target = present(body.currency_id) && present(body.platform_id) ? refundCoin(body.currency_id, body.platform_id) : null
    if (present(body.currency_id) && present(body.platform_id) && !target) errors.push("Currency or platform is not supported for payouts")
    return target
  }

  /**
   * @param {number} beneficiaryId
   * @param {{ coin: import("./currencies").Currency, platform: { id: number, title: string, id_name: string } }} target
   * @param {string} address @param {unknown} metadata
   */
  addSetting(beneficiaryId, target, address, metadata) {
    const setting = {
      id: this.nextSettingId++,
      created_at: isoTime(Date.now()),
      beneficiary_id: beneficiaryId,
      platform: { ...target.platform },
      crypto_address: address,
      crypto_address_metadata: present(metadata) ? String(metadata) : null,
      currency: currencyRef(target.coin.symbol),
    }
    this.settings.set(setting.id, setting)
    return setting
  }

  /** `POST /v2/beneficiaries`: a person or business with a first payout setting. @param {Record<string, any>} body */
  createBeneficiary(body) {
    /** @type {string[]} */
    const errors = []
    for (const f of ["beneficiary_type", "email", "country", "currency_id", "platform_id", "crypto_address"]) {
      if (!present(body[f])) errors.push(`${f} can't be blank`)
    }
    const type = String(body.beneficiary_type ?? "")
    if (present(body.beneficiary_type) && type !== "person" && type !== "business") errors.push("beneficiary_type must be person or business")
    if (type === "person") for (const f of ["first_name", "last_name"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    if (type === "business" && !present(body.company_name)) errors.push("company_name can't be blank")
    if (present(body.country) && !/^[A-Za-z]{2}$/.test(String(body.country))) errors.push("country must be an alpha-2 code")
    const target = this.payoutTarget(body, errors)
    if (errors.length || !target) throw new HttpError(422, "Beneficiary is not valid", "BeneficiaryIsNotValid", errors)
    const id = this.nextBeneficiaryId++
    const beneficiary = {
      id,
      beneficiary_type: type,
      email: String(body.email),
      country: String(body.country).toUpperCase(),
      first_name: body.first_name ?? null,
      last_name: body.last_name ?? null,
      company_name: body.company_name ?? null,
      created_at: isoTime(Date.now()),
    }
    this.beneficiaries.set(id, beneficiary)
    this.addSetting(id, target, String(body.crypto_address), body.crypto_address_metadata)
    return this.beneficiaryView(beneficiary)
  }

  /** @param {Record<string, any>} b */
  beneficiaryView(b) {
    return { ...structuredClone(b), beneficiary_payout_settings: [...this.settings.values()].filter((s) => s.beneficiary_id === b.id).map((s) => structuredClone(s)) }
  }

  /** `POST /v2/beneficiary_payout_settings`. @param {Record<string, any>} body */
  createSetting(body) {
    /** @type {string[]} */
    const errors = []
    for (const f of ["beneficiary_id", "currency_id", "platform_id", "crypto_address"]) if (!present(body[f])) errors.push(`${f} can't be blank`)
    if (present(body.beneficiary_id) && !this.beneficiaries.has(Number(body.beneficiary_id))) errors.push("Beneficiary not found")
    const target = this.payoutTarget(body, errors)
    if (errors.length || !target) throw new HttpError(422, "Beneficiary payout setting is not valid", "BeneficiaryPayoutSettingIsNotValid", errors)
    return structuredClone(this.addSetting(Number(body.beneficiary_id), target, String(body.crypto_address), body.crypto_address_metadata))
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
    const inputAmount = money.toString(money.round(amount, input.decimals))
    const sendingAmount = currencies.convert(inputAmount, input.symbol, sending.symbol, 8)
    const debitAmount = currencies.convert(sendingAmount, sending.symbol, ledger.symbol)
    const exchange = this.options.payoutExchange === "always" || (this.options.payoutExchange === "auto" && sending.symbol !== ledger.symbol)
    const now = Date.now()
    const id = this.nextRequestId++
    const fee = (/** @type {import("./money").Decimal} */ rate) => money.toString(money.round(money.mul(money.dec(debitAmount), rate), ledger.decimals))
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
      actions_required: exchange ? { confirm: `${base}/v2/send_requests/${id}/confirm`, cancel: `${base}/v2/send_requests/${id}/cancel` } : null,
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

/** `GET /v2/send_requests/supported-currencies`. */
function supportedPayoutCurrencies() {
  const { supportedRefundCurrencies } = require("./refunds")
  return supportedRefundCurrencies()
}

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/send_requests\/supported-currencies$/, name: "GET /v2/send_requests/supported-currencies", public: true,
    handle: (_sim, { res }) => sendJson(res, 200, supportedPayoutCurrencies()),
  },
  {
    method: "POST", re: /^\/v2\/beneficiaries$/, name: "POST /v2/beneficiaries",
    handle: (sim, { res, body }) => sendJson(res, 200, sim.payouts.createBeneficiary(body)),
  },
  {
    method: "GET", re: /^\/v2\/beneficiaries$/, name: "GET /v2/beneficiaries",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.beneficiaries.values()].map((b) => sim.payouts.beneficiaryView(b))
      sendJson(res, 200, paginate(list, url.searchParams, "beneficiaries", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/beneficiaries\/([^/]+)$/, name: "GET /v2/beneficiaries/:id",
    handle: (sim, { res, params }) => {
      const b = /^\d+$/.test(params[0]) ? sim.payouts.beneficiaries.get(Number(params[0])) : undefined
      if (!b) throw new HttpError(404, "Beneficiary not found", "BeneficiaryNotFound")
      sendJson(res, 200, sim.payouts.beneficiaryView(b))
    },
  },
  {
    method: "POST", re: /^\/v2\/beneficiary_payout_settings$/, name: "POST /v2/beneficiary_payout_settings",
    handle: (sim, { res, body }) => sendJson(res, 200, sim.payouts.createSetting(body)),
  },
  {
    method: "GET", re: /^\/v2\/beneficiary_payout_settings$/, name: "GET /v2/beneficiary_payout_settings",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.settings.values()].map((s) => structuredClone(s))
      sendJson(res, 200, paginate(list, url.searchParams, "beneficiary_payout_settings", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/beneficiary_payout_settings\/([^/]+)$/, name: "GET /v2/beneficiary_payout_settings/:id",
    handle: (sim, { res, params }) => {
      const s = /^\d+$/.test(params[0]) ? sim.payouts.settings.get(Number(params[0])) : undefined
      if (!s) throw new HttpError(404, "Record not found", "RecordNotFound")
      sendJson(res, 200, structuredClone(s))
    },
  },
  {
    method: "POST", re: /^\/v2\/send_requests$/, name: "POST /v2/send_requests",
    handle: (sim, { res, body }) => {
      const request = sim.payouts.create(body)
      sendJson(res, 200, sendRequestView(request, sim))
      // CoinGate sends the callback on creation too.
      Promise.resolve(sim.payouts.notify(request)).catch(() => {})
    },
  },
  {
    method: "GET", re: /^\/v2\/send_requests$/, name: "GET /v2/send_requests",
    handle: (sim, { res, url }) => {
      const list = [...sim.payouts.requests.values()].sort((a, b) => b.id - a.id).map((r) => sendRequestView(r, sim))
      sendJson(res, 200, paginate(list, url.searchParams, "send_requests", "total_records"))
    },
  },
  {
    method: "GET", re: /^\/v2\/send_requests\/(\d+)$/, name: "GET /v2/send_requests/:id",
    handle: (sim, { res, params }) => sendJson(res, 200, sendRequestView(sim.payouts.mustGet(params[0]), sim)),
  },
  {
    method: "PATCH", re: /^\/v2\/send_requests\/(\d+)\/confirm$/, name: "PATCH /v2/send_requests/:id/confirm",
    handle: async (sim, { res, params }) => {
      const request = sim.payouts.mustGet(params[0])
      const sent = sim.payouts.confirm(request)
      sendJson(res, 200, sendRequestView(request, sim))
      Promise.resolve(sent).catch(() => {})
    },
  },
  {
    method: "PATCH", re: /^\/v2\/send_requests\/(\d+)\/cancel$/, name: "PATCH /v2/send_requests/:id/cancel",
    handle: async (sim, { res, params }) => {
      const request = sim.payouts.mustGet(params[0])
      const sent = sim.payouts.cancel(request)
      sendJson(res, 200, sendRequestView(request, sim))
      Promise.resolve(sent).catch(() => {})
    },
  },
]

/**
 * Adds payouts to a simulator: `sim.payouts` (the store) and the JS API `getSendRequest`,
 * `listSendRequests`, `setSendRequestStatus`, `sendSendRequestCallback`, `setPayoutOptions`.
 * @param {Simulator} sim @param {Partial<PayoutOptions>} [options]
 */
function installSendRequests(sim, options = {}) {
  const s = /** @type {any} */ (sim)
  s.payouts = new PayoutStore(sim, options)
  /** Internal record (with `status_history`), or null. @param {number | string} id */
  s.getSendRequest = (id) => {
    const r = s.payouts.get(id)
    return r ? structuredClone(r) : null
  }
  s.listSendRequests = () => [...s.payouts.requests.values()].map((r) => structuredClone(r))
  /**
   * Moves a send request to any status and posts its callback; resolves to the first attempt.
   * @param {number | string} id @param {string} status @param {Record<string, any>} [opts]
   */
  s.setSendRequestStatus = (id, status, opts = {}) => s.payouts.setStatus(s.payouts.mustGet(id), status, opts)
  /** @param {number | string} id @param {Record<string, any>} [opts] */
  s.sendSendRequestCallback = (id, opts = {}) => {
    const sent = s.payouts.notify(s.payouts.mustGet(id), opts)
    if (!sent) throw new HttpError(422, "Send request has no callback_url (pass url)", "BadRequest")
    return sent
  }
  /**
   * How new send requests behave: `payout2fa` (created draft, awaiting 2FA in the dashboard),
   * `payoutExchange` ("auto" | "always" | "never": `actions_required`), `exchangeTtlMs`. Reset by `reset()`.
   * @param {Partial<PayoutOptions>} next
   */
  s.setPayoutOptions = (next) => {
    if (next.payoutExchange !== undefined && !["auto", "always", "never"].includes(next.payoutExchange)) {
      throw new HttpError(400, 'payoutExchange must be "auto", "always" or "never"', "BadRequest")
    }
    Object.assign(s.payouts.options, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)))
    return { ...s.payouts.options }
  }
}

/**
 * Control API for refunds and send requests (mounted under `/__sim` by control.js). Returns false when
 * the path is not one of these.
 * @param {Simulator} sim @param {string} method @param {string} path @param {Record<string, any>} body
 * @param {import("http").ServerResponse} res
 */
async function handlePayoutControl(sim, method, path, body, res) {
  const s = /** @type {any} */ (sim)
  const obj = (/** @type {unknown} */ v) => (v && typeof v === "object" && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {})
  if (method === "GET" && path === "/__sim/refunds") return sendJson(res, 200, s.listRefunds()), true
  if (method === "GET" && path === "/__sim/send-requests") return sendJson(res, 200, s.listSendRequests()), true
  if (method === "GET" && path === "/__sim/ledger/accounts") return sendJson(res, 200, s.refunds.ledgerAccounts), true
  if (method === "POST" && path === "/__sim/payout-options") return sendJson(res, 200, s.setPayoutOptions(body)), true
  const refund = /^\/__sim\/refunds\/([^/]+)(?:\/(status|callback))?$/.exec(path)
  if (refund) {
    const [, id, action] = refund
    if (!s.getRefund(id)) throw new HttpError(404, "Refund not found", "RefundNotFound")
    if (method === "GET" && !action) return sendJson(res, 200, s.getRefund(id)), true
    if (method === "POST" && action === "status") {
      if (!REFUND_STATUSES.includes(body.status)) throw new HttpError(400, `status must be one of ${REFUND_STATUSES.join(", ")}`, "BadRequest")
      const callback = await s.setRefundStatus(id, body.status, {
        rejection_reason: body.rejection_reason,
        rejection_type: body.rejection_type,
        callback: body.callback !== false,
        fields: obj(body.fields),
        overrides: obj(body.overrides),
      })
      return sendJson(res, 200, { refund: s.getRefund(id), callback }), true
    }
    if (method === "POST" && action === "callback") {
      return sendJson(res, 200, await s.sendRefundCallback(id, { overrides: obj(body.overrides), format: body.format, url: body.url })), true
    }
  }
  const request = /^\/__sim\/send-requests\/([^/]+)(?:\/(status|callback))?$/.exec(path)
  if (request) {
    const [, id, action] = request
    if (!s.getSendRequest(id)) throw new HttpError(404, "Send request not found", "SendRequestNotFound")
    if (method === "GET" && !action) return sendJson(res, 200, s.getSendRequest(id)), true
    if (method === "POST" && action === "status") {
      if (!SEND_REQUEST_STATUSES.includes(body.status)) throw new HttpError(400, `status must be one of ${SEND_REQUEST_STATUSES.join(", ")}`, "BadRequest")
      const callback = await s.setSendRequestStatus(id, body.status, { callback: body.callback !== false, fields: obj(body.fields), overrides: obj(body.overrides) })
      return sendJson(res, 200, { send_request: s.getSendRequest(id), callback }), true
    }
    if (method === "POST" && action === "callback") {
      return sendJson(res, 200, await s.sendSendRequestCallback(id, { overrides: obj(body.overrides), format: body.format, url: body.url })), true
    }
  }
  return false
}

module.exports = {
  ROUTES,
  SEND_REQUEST_STATUSES,
  PayoutStore,
  installSendRequests,
  handlePayoutControl,
  sendRequestView,
}
