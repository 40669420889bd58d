// @ts-check
"use strict"

const http = require("http")
const { OrderStore, STATUSES } = require("./orders")
const { CallbackDispatcher, COINGATE_RETRY_DELAYS_MS } = require("./callbacks")
const { FaultInjector, RateLimiter } = require("./faults")
const { HttpError } = require("./http-util")
const { callbackPayload, applyOverrides, internalView } = require("./views")
const { createRequestHandler } = require("./server")
const { installRefunds } = require("./refunds")
const { LedgerJournal } = require("./ledger")
const { ApiCallbackLog } = require("./api-callbacks")
const { ConversionStore } = require("./conversions")
const { saveState, loadState } = require("./state")
const { installSendRequests } = require("./send-request-routes")

/**
 * @typedef {{
 *   port?: number, host?: string, apiTokens?: string[], callbackFormat?: "form" | "json",
 *   retryDelaysMs?: number[], timeScale?: number, callbackTimeoutMs?: number, latencyMs?: number,
 *   rateLimitPerMinute?: number, orderQuotaPerHour?: number, publicUrl?: string, log?: boolean, logger?: (line: string) => void,
 *   newOrderTtlMs?: number, pendingTtlMs?: number, firstOrderId?: number,
 *   confirmDelayMs?: number, checkout?: boolean, stateFile?: string, payout2fa?: boolean, payoutExchange?: "auto" | "always" | "never", exchangeTtlMs?: number
 * }} SimulatorOptions
 * @typedef {import("./callbacks").AttemptResult} AttemptResult
 * @typedef {import("./callbacks").CallbackLogEntry} CallbackLogEntry
 * @typedef {{ method: string, path: string, route: string, status: number | string, at: string, durationMs: number }} RequestLogEntry
 */

class Simulator {
  /** @param {SimulatorOptions} [options] */
  constructor(options = {}) {
    const timeScale = options.timeScale ?? 1
    if (!(timeScale > 0)) throw new Error("timeScale must be > 0")
    const format = options.callbackFormat ?? "form"
    if (format !== "form" && format !== "json") throw new Error('callbackFormat must be "form" or "json"')
    this.options = {
      port: options.port ?? 0,
      host: options.host ?? "127.0.0.1",
      apiTokens: options.apiTokens?.length ? [...options.apiTokens] : ["sim_test_token"],
      callbackFormat: /** @type {"form" | "json"} */ (format),
      timeScale,
      retryDelaysMs: options.retryDelaysMs ? [...options.retryDelaysMs] : COINGATE_RETRY_DELAYS_MS.map((d) => d * timeScale),
      // CoinGate waits 20 s; scaled, but never below 1 s unless set explicitly (slow receivers are common in tests).
      callbackTimeoutMs: options.callbackTimeoutMs ?? Math.max(20_000 * timeScale, 1_000),
      latencyMs: options.latencyMs ?? 0,
      // CoinGate's limits (reference/Documentation/api-limits-and-quotas.md): 200 requests a minute on
      // every endpoint, 500 orders an hour per business. 0 turns either off (the test suite and the
      // benchmarks do, explicitly).
      rateLimitPerMinute: options.rateLimitPerMinute ?? 200,
      orderQuotaPerHour: options.orderQuotaPerHour ?? 500,
      publicUrl: options.publicUrl ? options.publicUrl.replace(/\/+$/, "") : undefined,
      log: options.log ?? false,
      logger: options.logger ?? ((/** @type {string} */ line) => console.log(line)),
      newOrderTtlMs: options.newOrderTtlMs ?? 2 * 3_600_000 * timeScale,
      pendingTtlMs: options.pendingTtlMs ?? 20 * 60_000 * timeScale,
      // A payment made on the invoice page stays `confirming` this long before `paid` (0: at once).
      confirmDelayMs: options.confirmDelayMs ?? 0,
      // White-label checkout (POST /v2/orders/:id/checkout): CoinGate enables it per merchant on request.
      checkout: options.checkout ?? false,
      // A file the state is kept in across restarts (simulator/state.js); none by default.
      stateFile: options.stateFile || undefined,
    }
    /** @type {CallbackLogEntry[]} */
    this.callbackLog = []
    /** @type {RequestLogEntry[]} */
    this.requestLog = []
    this.faults = new FaultInjector()
    this.rateLimiter = new RateLimiter(this.options.rateLimitPerMinute)
    this.orderQuota = new RateLimiter(this.options.orderQuotaPerHour, 3_600_000)
    /** @type {Set<NodeJS.Timeout>} */
    this.sleepTimers = new Set()
    /** @type {Set<http.ServerResponse>} */
    this.held = new Set()
    this.closed = false
    this.url = ""
    this.port = 0
    this.store = new OrderStore({
      publicUrl: () => this.options.publicUrl || this.url,
      newTtlMs: this.options.newOrderTtlMs,
      pendingTtlMs: this.options.pendingTtlMs,
      firstId: options.firstOrderId,
      onStatusChange: (order) => this.notify(order),
      onSettle: (order) => this.ledger.recordOrder(order),
      onChange: () => this.persistSoon(),
    })
    this.apiCallbacks = new ApiCallbackLog()
    this.dispatcher = new CallbackDispatcher({
      retryDelaysMs: this.options.retryDelaysMs,
      timeoutMs: this.options.callbackTimeoutMs,
      onCreate: (job) => this.apiCallbacks.create(job),
      onAttempt: (entry) => {
        this.callbackLog.push(entry)
        this.apiCallbacks.attempt(entry)
        this.logLine(`callback order ${entry.orderId} #${entry.attempt} ${entry.body.status} -> ${entry.url} ${entry.status}${entry.error ? ` (${entry.error})` : ""} ${entry.outcome}`)
      },
    })
    // Refunds and payouts (send requests): see simulator/refunds.js and simulator/send-requests.js.
    installRefunds(this)
    this.ledger = new LedgerJournal({ accounts: () => /** @type {any} */ (this).refunds.ledgerAccounts })
    this.conversions = new ConversionStore(this)
    installSendRequests(this, { payout2fa: options.payout2fa, payoutExchange: options.payoutExchange, exchangeTtlMs: options.exchangeTtlMs })
    this.server = http.createServer(createRequestHandler(this))
    /** @type {NodeJS.Timeout | null} */
    this.persistTimer = null
    if (this.options.stateFile) loadState(this, this.options.stateFile)
  }

  /** Saves the state file (option `stateFile`) a moment after a change; close() saves at once. */
  persistSoon() {
    if (!this.options.stateFile || this.closed || this.persistTimer) return
    this.persistTimer = setTimeout(() => this.persistNow(), 50)
    this.persistTimer.unref()
  }

  persistNow() {
    if (this.persistTimer) clearTimeout(this.persistTimer)
    this.persistTimer = null
    if (!this.options.stateFile) return
    try {
      saveState(this, this.options.stateFile)
    } catch (e) {
      this.options.logger(`[coingate-sim] could not save ${this.options.stateFile}: ${e instanceof Error ? e.message : e}`)
    }
  }

  /** @returns {Promise<this>} */
  async start() {
    await new Promise((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(this.options.port, this.options.host, () => resolve(undefined))
    })
    const addr = /** @type {import("net").AddressInfo} */ (this.server.address())
    const host = addr.address === "0.0.0.0" || addr.address === "::" ? "127.0.0.1" : addr.address
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`
    this.port = addr.port
    return this
  }

  /** @param {string} line */
  logLine(line) {
    if (this.options.log) this.options.logger(`[coingate-sim] ${line}`)
  }

  /** @param {RequestLogEntry} entry */
  recordRequest(entry) {
    this.requestLog.push(entry)
    this.logLine(`${entry.method} ${entry.path} -> ${entry.status} (${entry.durationMs} ms)`)
  }

  /** A sleep that close() cancels. @param {number} ms */
  sleep(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.sleepTimers.delete(t)
        resolve(undefined)
      }, ms)
      this.sleepTimers.add(t)
    })
  }

  /** Never answers this response (a "timeout" fault) until close() or reset(). @param {http.ServerResponse} res */
  hold(res) {
    this.held.add(res)
    res.on("close", () => this.held.delete(res))
  }

  /**
   * Sends the callback for an order's current state (if it has a callback_url).
   * @param {import("./orders").Order} order
   * @param {{ overrides?: Record<string, unknown>, format?: "form" | "json", url?: string, retry?: boolean }} [opts]
   * @returns {Promise<AttemptResult> | null}
   */
  notify(order, opts = {}) {
    const url = opts.url || order.callback_url
    if (!url || this.closed) return null
    const format = opts.format || this.options.callbackFormat
    if (format !== "form" && format !== "json") throw new HttpError(400, 'format must be "form" or "json"', "BadRequest")
    const payload = applyOverrides(callbackPayload(order), opts.overrides)
    return this.dispatcher.deliver({ orderId: order.id, url, payload, format, retry: opts.retry ?? true })
  }

  /** Full internal record (token and urls included), or null. @param {number | string} id */
  getOrder(id) {
    const o = this.store.get(id)
    return o ? internalView(o) : null
  }

  listOrders() {
    return this.store.all().map(internalView)
  }

  /**
   * Forces any status (no transition rules), then sends its callback.
   * `overrides` change the callback's fields only; `fields` are merged into the stored order.
   * @param {number | string} id @param {string} status
   * @param {{ callback?: boolean, overrides?: Record<string, unknown>, fields?: Record<string, unknown>, payCurrency?: string }} [opts]
   * @returns {Promise<AttemptResult | null>} the first delivery attempt (null when nothing was sent)
   */
  async setStatus(id, status, { callback = true, overrides = {}, fields, payCurrency } = {}) {
    const order = this.store.mustGet(id)
    this.store.setStatus(order, status, { notify: false, fields, payCurrency })
    return callback ? this.notify(order, { overrides }) : null
  }

  /**
   * The shopper pays. Resolves (after the first delivery attempt of each callback it caused) to the
   * order's internal record.
   * @param {number | string} id
   * @param {{ kind?: "full" | "underpay" | "overpay", payCurrency?: string, confirm?: boolean }} [opts]
   */
  async pay(id, opts = {}) {
    const order = this.store.mustGet(id)
    await Promise.all(this.store.pay(order, opts))
    return internalView(order)
  }

  /** The shopper picks a coin on the invoice (new -> pending). @param {number | string} id @param {string} [payCurrency] */
  async chooseCoin(id, payCurrency = "BTC") {
    const order = this.store.mustGet(id)
    await this.store.chooseCoin(order, payCurrency)
    return internalView(order)
  }

  /** The shopper cancels on the invoice (new/pending -> canceled). @param {number | string} id */
  async cancel(id) {
    const order = this.store.mustGet(id)
    await this.store.cancel(order)
    return internalView(order)
  }

  /**
   * Sends a callback now with the order's current fields (plus overrides; null removes a field).
   * @param {number | string} id
   * @param {{ overrides?: Record<string, unknown>, format?: "form" | "json", url?: string, retry?: boolean }} [opts]
   * @returns {Promise<AttemptResult>}
   */
  async sendCallback(id, opts = {}) {
    const order = this.store.mustGet(id)
    const sent = this.notify(order, opts)
    if (!sent) throw new HttpError(422, "Order has no callback_url (pass url)", "BadRequest")
    return sent
  }

  /** @param {import("./faults").FaultSpec} spec */
  injectFault(spec) {
    return this.faults.add(spec)
  }

  clearFaults() {
    this.faults.clear()
  }

  stats() {
    /** @type {Record<string, number>} */
    const byRoute = {}
    /** @type {Record<string, number>} requests naming an order (`/v2/orders/:id` and below), by order id */
    const byOrder = {}
    for (const r of this.requestLog) {
      byRoute[r.route] = (byRoute[r.route] || 0) + 1
      const id = /^\/v2\/orders\/(\d+)(?:\/|$)/.exec(r.path)?.[1]
      if (id) byOrder[id] = (byOrder[id] || 0) + 1
    }
    return {
      requests: this.requestLog.length,
      byRoute,
      byOrder,
      callbacks: this.callbackLog.length,
      callbacksDelivered: this.callbackLog.filter((c) => c.outcome === "delivered").length,
      callbackBacklog: this.dispatcher.backlog,
      orders: this.store.orders.size,
    }
  }

  /** Forgets orders, logs, faults, rate-limit window and pending callback retries. */
  reset() {
    this.store.reset()
    const self = /** @type {any} */ (this)
    self.refunds.reset()
    self.payouts.reset()
    this.ledger.reset()
    this.apiCallbacks.reset()
    this.conversions.reset()
    this.dispatcher.reset()
    this.faults.clear()
    this.rateLimiter.reset()
    this.orderQuota.reset()
    this.callbackLog.length = 0
    this.requestLog.length = 0
    for (const res of this.held) res.destroy()
    this.held.clear()
    this.persistSoon()
  }

  /** Stops the server, every timer and every pending callback (and saves the state file). */
  async close() {
    if (this.closed) return
    if (this.options.stateFile) this.persistNow()
    this.closed = true
    this.store.close()
    const self = /** @type {any} */ (this)
    self.payouts.close()
    this.dispatcher.close()
    for (const t of this.sleepTimers) clearTimeout(t)
    this.sleepTimers.clear()
    for (const res of this.held) res.destroy()
    this.held.clear()
    if (!this.server.listening) return
    const closed = new Promise((resolve) => this.server.close(() => resolve(undefined)))
    this.server.closeAllConnections()
    await closed
  }
}

/**
 * Starts a CoinGate API v2 simulator. See simulator/README.md.
 * @param {SimulatorOptions} [options]
 */
function startSimulator(options) {
  return new Simulator(options).start()
}

module.exports = { startSimulator, Simulator, STATUSES, COINGATE_RETRY_DELAYS_MS }
