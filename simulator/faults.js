// @ts-check
"use strict"

const FAULT_KINDS = ["500", "503", "429", "timeout", "drop", "latency", "502_after", "reset_after", "timeout_after"]

/**
 * Kinds where CoinGate carries the request out fully and then the answer is lost on the way back
 * (a load balancer's 502, a dropped connection, a hung proxy): the plugin cannot tell whether anything
 * was made, which is exactly the case it must treat as an unknown outcome.
 */
const AFTER_KINDS = ["502_after", "reset_after", "timeout_after"]

/**
 * @typedef {{ method?: string, path?: string | RegExp, kind: string, times?: number, ms?: number, retryAfter?: string | number }} FaultSpec
 * @typedef {{ id: number, method: string, path: string | RegExp | null, kind: string, remaining: number, ms: number, retryAfter?: string }} Fault
 */

/**
 * Does `pattern` match the request path? A RegExp is tested against the path (no query string);
 * a string matches exactly, or as a prefix when it ends with `*` ("/v2/orders*").
 * @param {string | RegExp | null} pattern @param {string} path
 */
function pathMatches(pattern, path) {
  if (pattern === null) return true
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0
    return pattern.test(path)
  }
  if (pattern === "*" || pattern === "") return true
  return pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern
}

/** Queue of injected faults for `/v2` API requests. */
class FaultInjector {
  constructor() {
    /** @type {Fault[]} */
    this.faults = []
    this.nextId = 1
  }

  /** @param {FaultSpec} spec @returns {Fault} */
  add(spec) {
    const kind = String(spec.kind)
    if (!FAULT_KINDS.includes(kind)) throw new Error(`Unknown fault kind ${kind} (use ${FAULT_KINDS.join(", ")})`)
    const times = spec.times === undefined ? 1 : Number(spec.times)
    if (!(times > 0)) throw new Error("times must be a positive number (Infinity allowed)")
    const fault = {
      id: this.nextId++,
      method: (spec.method || "*").toUpperCase(),
      path: spec.path === undefined ? null : spec.path,
      kind,
      remaining: times,
      ms: Number(spec.ms ?? 0),
      // A 429's Retry-After header, sent as given (seconds or an HTTP date); none by default, like CoinGate's docs.
      ...(spec.retryAfter === undefined ? {} : { retryAfter: String(spec.retryAfter) }),
    }
    if (kind === "latency" && !(fault.ms >= 0)) throw new Error("latency faults need ms >= 0")
    this.faults.push(fault)
    return fault
  }

  /**
   * Consumes and returns the first fault matching this request, if any.
   * @param {string} method @param {string} path
   */
  take(method, path) {
    const fault = this.faults.find((f) => (f.method === "*" || f.method === method) && pathMatches(f.path, path))
    if (!fault) return null
    fault.remaining--
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault)
    return fault
  }

  clear() {
    this.faults = []
  }

  list() {
    return this.faults.map((f) => ({ ...f, path: f.path instanceof RegExp ? String(f.path) : f.path }))
  }
}

/**
 * Sliding-window limiter: at most `perWindow` hits in any `windowMs` (one minute unless given);
 * 0 = unlimited. Used for CoinGate's 200 requests a minute and its 500 orders an hour.
 */
class RateLimiter {
  /** @param {number} perWindow @param {number} [windowMs] */
  constructor(perWindow, windowMs = 60_000) {
    this.perMinute = perWindow
    this.windowMs = windowMs
    /** @type {number[]} */
    this.hits = []
  }

  /** Records a hit; false when it is over the limit. */
  hit(now = Date.now()) {
    if (!this.perMinute) return true
    if (!this.hasRoom(now)) return false
    this.hits.push(now)
    return true
  }

  /** Whether a hit now would be within the limit (records nothing). */
  hasRoom(now = Date.now()) {
    if (!this.perMinute) return true
    while (this.hits.length && this.hits[0] <= now - this.windowMs) this.hits.shift()
    return this.hits.length < this.perMinute
  }

  /** Whole seconds until the oldest hit leaves the window (the 429's Retry-After). */
  retryAfterSeconds(now = Date.now()) {
    return this.hits.length ? Math.max(1, Math.ceil((this.hits[0] + this.windowMs - now) / 1000)) : 1
  }

  reset() {
    this.hits = []
  }
}

module.exports = { FaultInjector, RateLimiter, FAULT_KINDS, AFTER_KINDS, pathMatches }
