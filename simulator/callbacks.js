// @ts-check
"use strict"

const http = require("http")
const https = require("https")
const { encodeForm } = require("./http-util")

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** CoinGate's retry schedule: delay before retry n (1-based); after the 40th retry it stops. */
const COINGATE_RETRY_DELAYS_MS = [
  ...Array(5).fill(MINUTE), ...Array(5).fill(5 * MINUTE), ...Array(5).fill(10 * MINUTE),
  ...Array(5).fill(20 * MINUTE), ...Array(5).fill(30 * MINUTE), ...Array(5).fill(HOUR),
  ...Array(5).fill(5 * HOUR), ...Array(5).fill(24 * HOUR),
]
/** Answers that end delivery for good (CoinGate: redirects and auth failures). */
const STOP_STATUSES = new Set([301, 302, 401, 403])
const MAX_RESPONSE_CHARS = 64 * 1024

/**
 * @typedef {{ status: number | "error", body: string, error?: string }} AttemptResult
 * @typedef {{ orderId: number, attempt: number, url: string, format: "form" | "json",
 *   status: number | "error", at: string, body: Record<string, unknown>, response: string,
 *   error?: string, durationMs: number, outcome: "delivered" | "retrying" | "stopped" | "gave_up", callbackId?: number }} CallbackLogEntry
 * @typedef {{ orderId: number, url: string, payload: Record<string, unknown>, format: "form" | "json",
 *   retry: boolean, generation: number, callbackId?: number }} Job
 */

class CallbackDispatcher {
  /**
   * @param {{ retryDelaysMs: number[], timeoutMs: number, userAgent?: string,
   *   onAttempt: (entry: CallbackLogEntry) => void, onCreate?: (job: Job) => number | undefined }} opts
   */
  constructor(opts) {
    this.opts = opts
    /** @type {Map<number, Promise<unknown>>} first attempts of one order go out in order */
    this.chains = new Map()
    /** @type {Set<NodeJS.Timeout>} */
    this.timers = new Set()
    /** @type {Set<http.ClientRequest>} */
    this.inflight = new Set()
    /** @type {Set<() => void>} resolves waiters when the dispatcher closes */
    this.waiters = new Set()
    this.generation = 0
    this.pending = 0
    this.closed = false
  }

  /**
   * Sends a callback now (after earlier first attempts for the same order) and keeps retrying on
   * CoinGate's schedule. Resolves with the first attempt's result.
   * @param {Omit<Job, "generation">} job
   * @returns {Promise<AttemptResult>}
   */
  deliver(job) {
    const full = { ...job, generation: this.generation }
    // One delivery (with its retries) is one of CoinGate's "API callbacks" (GET /v2/api_callbacks).
    full.callbackId = this.opts.onCreate?.(full)
    const prev = this.chains.get(job.orderId) || Promise.resolve()
    const first = prev.then(() => this.attempt(full, 1))
    const tail = first.catch(() => {})
    this.chains.set(job.orderId, tail)
    tail.then(() => {
      if (this.chains.get(job.orderId) === tail) this.chains.delete(job.orderId)
    })
    return first
  }

  /** @param {Job} job @param {number} n @returns {Promise<AttemptResult>} */
  async attempt(job, n) {
    if (this.closed || job.generation !== this.generation) {
      return { status: "error", body: "", error: "simulator closed or reset" }
    }
    const started = Date.now()
    const text = job.format === "json" ? JSON.stringify(job.payload) : encodeForm(job.payload)
    const type = job.format === "json" ? "application/json" : "application/x-www-form-urlencoded"
    this.pending++
    const result = await this.send(job.url, text, type).finally(() => this.pending--)
    if (job.generation !== this.generation) return result

    const delivered = result.status === 200 || result.status === 204
    const stopped = typeof result.status === "number" && STOP_STATUSES.has(result.status)
    const delay = this.opts.retryDelaysMs[n - 1]
    const canRetry = job.retry && !this.closed && delay !== undefined
    /** @type {CallbackLogEntry["outcome"]} */
    const outcome = delivered ? "delivered" : stopped ? "stopped" : canRetry ? "retrying" : "gave_up"
    /** @type {CallbackLogEntry} */
    const entry = {
      orderId: job.orderId,
      attempt: n,
      url: job.url,
      format: job.format,
      status: result.status,
      at: new Date(started).toISOString(),
      body: job.payload,
      response: result.body,
      durationMs: Date.now() - started,
      outcome,
    }
    if (result.error) entry.error = result.error
    if (job.callbackId !== undefined) entry.callbackId = job.callbackId
    this.opts.onAttempt(entry)
    if (outcome === "retrying") {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        this.attempt(job, n + 1).catch(() => {})
      }, Math.max(0, delay))
      timer.unref()
      this.timers.add(timer)
    }
    return result
  }

  /**
   * One HTTP POST. Never rejects: connection errors and timeouts resolve to status "error".
   * @param {string} url @param {string} text @param {string} contentType
   * @returns {Promise<AttemptResult>}
   */
  send(url, text, contentType) {
    return new Promise((resolve) => {
      /** @type {NodeJS.Timeout | undefined} */
      let timer
      let done = false
      /** @param {AttemptResult} r */
      const finish = (r) => {
        if (done) return
        done = true
        clearTimeout(timer)
        this.inflight.delete(req)
        this.waiters.delete(onClose)
        resolve(r)
      }
      const onClose = () => finish({ status: "error", body: "", error: "simulator closed" })
      /** @type {http.ClientRequest} */
      let req
      try {
        const u = new URL(url)
        const mod = u.protocol === "https:" ? https : http
        req = mod.request(u, {
          method: "POST",
          agent: false,
          headers: {
            "Content-Type": contentType,
            "Content-Length": Buffer.byteLength(text),
            "User-Agent": this.opts.userAgent || "CoinGate-Simulator/1.0 (callback)",
            Connection: "close",
          },
        }, (res) => {
          let body = ""
          res.setEncoding("utf8")
          res.on("data", (chunk) => {
            if (body.length < MAX_RESPONSE_CHARS) body += chunk
          })
          res.on("end", () => finish({ status: res.statusCode || 0, body: body.slice(0, MAX_RESPONSE_CHARS) }))
          res.on("error", (e) => finish({ status: "error", body, error: e.message }))
        })
      } catch (e) {
        return finish({ status: "error", body: "", error: e instanceof Error ? e.message : String(e) })
      }
      this.inflight.add(req)
      this.waiters.add(onClose)
      timer = setTimeout(() => {
        finish({ status: "error", body: "", error: `timeout after ${this.opts.timeoutMs} ms` })
        req.destroy()
      }, this.opts.timeoutMs)
      timer.unref()
      req.on("error", (e) => finish({ status: "error", body: "", error: e.message }))
      req.end(text)
    })
  }

  /** Cancels scheduled retries and in-flight requests. */
  cancelAll() {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const w of [...this.waiters]) w()
    for (const req of this.inflight) req.destroy()
    this.inflight.clear()
    this.chains.clear()
  }

  reset() {
    this.generation++
    this.cancelAll()
  }

  close() {
    this.closed = true
    this.generation++
    this.cancelAll()
  }

  /** Number of scheduled retries plus requests in flight. */
  get backlog() {
    return this.timers.size + this.pending
  }
}

module.exports = { CallbackDispatcher, COINGATE_RETRY_DELAYS_MS, STOP_STATUSES }
