// @ts-check
"use strict"

const crypto = require("crypto")
const { HttpError, sendJson } = require("./http-util")
const { isoTime } = require("./orders")

/**
 * CoinGate's callback diagnostics (reference/api-callbacks.yaml): every callback the simulator sends
 * (an order's, a refund's, a send request's) is one API callback with its delivery attempts.
 * `GET /v2/api_callbacks` lists them newest first (per_page 1..100, page, callbackable_type,
 * callbackable_id); `GET /v2/api_callbacks/:id/retries` lists the attempts, newest first, with the
 * payload as sent and `token` masked as `[FILTERED]`.
 *
 * @typedef {{ id: number, callbackable_type: string, callbackable_id: number, status: string, retries: number,
 *   created_at: string, attempts: { id: string, response_status: string, callback_params: Record<string, unknown>, created_at: string }[] }} ApiCallback
 */

/** The dispatcher's key of a delivery (`123`, `refund:5`, `send_request:7`) as CoinGate names its owner. @param {unknown} key */
function owner(key) {
  const k = String(key)
  if (k.startsWith("refund:")) return { type: "MerchantRefund", id: Number(k.slice(7)) }
  if (k.startsWith("send_request:")) return { type: "SendRequest", id: Number(k.slice(13)) }
  return { type: "Order", id: Number(k) }
}

/** CoinGate masks secrets in the retry log. @param {Record<string, unknown>} params */
function masked(params) {
  const out = structuredClone(params)
  if ("token" in out) out.token = "[FILTERED]"
  return out
}

/** An attempt's outcome as the API callback's status (api-callbacks.yaml ApiCallback.status). */
const STATUS_OF = { delivered: "success", retrying: "retrying", stopped: "canceled", gave_up: "failure" }

class ApiCallbackLog {
  constructor() {
    /** @type {Map<number, ApiCallback>} */
    this.callbacks = new Map()
    this.nextId = crypto.randomInt(100, 9000)
  }

  reset() {
    this.callbacks.clear()
  }

  /** A delivery starts. @param {{ orderId: unknown }} job @returns {number} */
  create(job) {
    const { type, id } = owner(job.orderId)
    const cb = { id: this.nextId++, callbackable_type: type, callbackable_id: id, status: "sending", retries: 0, created_at: isoTime(Date.now()), attempts: [] }
    this.callbacks.set(cb.id, cb)
    return cb.id
  }

  /** @param {import("./callbacks").CallbackLogEntry} entry */
  attempt(entry) {
    const cb = entry.callbackId === undefined ? undefined : this.callbacks.get(entry.callbackId)
    if (!cb) return
    cb.retries = entry.attempt
    cb.status = STATUS_OF[entry.outcome] || cb.status
    cb.attempts.push({
      id: crypto.randomUUID(),
      // The merchant's HTTP status as a string; a connection error or timeout has none.
      response_status: typeof entry.status === "number" ? String(entry.status) : "",
      callback_params: masked(entry.body),
      created_at: isoTime(Date.parse(entry.at)),
    })
  }

  /** @param {URLSearchParams} q */
  list(q) {
    const int = (/** @type {string} */ name, /** @type {number} */ dflt) => {
      const raw = q.get(name)
      const n = raw === null || raw === "" ? dflt : Number(raw)
      return Number.isInteger(n) ? n : dflt
    }
    // "Defaults to 100, maximum 100. Values below 1 are clamped to 1."
    const perPage = Math.min(Math.max(int("per_page", 100), 1), 100)
    const page = Math.max(int("page", 1), 1)
    const type = q.get("callbackable_type")
    const cid = q.get("callbackable_id")
    const selected = [...this.callbacks.values()]
      .filter((c) => (!type || c.callbackable_type === type) && (!cid || String(c.callbackable_id) === cid))
      .sort((a, b) => b.id - a.id)
    return {
      current_page: page,
      per_page: perPage,
      total_api_callbacks: selected.length,
      total_pages: Math.ceil(selected.length / perPage),
      api_callbacks: selected.slice((page - 1) * perPage, page * perPage).map(({ attempts, ...c }) => ({ ...c })),
    }
  }

  /** @param {string} id */
  retries(id) {
    const cb = /^\d+$/.test(id) ? this.callbacks.get(Number(id)) : undefined
    if (!cb) throw new HttpError(404, "API callback not found", "ApiCallbackNotFound")
    return { retries: [...cb.attempts].reverse().map((a) => ({ id: a.id, api_callback_id: cb.id, response_status: a.response_status, callback_params: structuredClone(a.callback_params), created_at: a.created_at })) }
  }
}

/** @type {import("./server").Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/api_callbacks$/, name: "GET /v2/api_callbacks",
    handle: (sim, { res, url }) => sendJson(res, 200, sim.apiCallbacks.list(url.searchParams)),
  },
  {
    method: "GET", re: /^\/v2\/api_callbacks\/([^/]+)\/retries$/, name: "GET /v2/api_callbacks/:id/retries",
    handle: (sim, { res, params }) => sendJson(res, 200, sim.apiCallbacks.retries(params[0])),
  },
]

module.exports = { ApiCallbackLog, ROUTES }
