"use strict"
/**
 * `npm run bench -- --profile` preloads this into the Medusa process (NODE_OPTIONS=--require).
 * For every incoming HTTP request carrying an `x-bench-profile` header, and every CoinGate
 * callback to the plugin's route (`/hooks/coingate`, tagged `callback|plugin|route`), it records, in
 * BENCH_PROFILE_FILE (one JSON line per request): the time to answer, the PostgreSQL
 * queries made on its behalf (count and time, through node-postgres' Client#query) and
 * the outgoing HTTP requests (count and time: the CoinGate API calls).
 *
 * Attribution follows the async context (AsyncLocalStorage), so work a request starts
 * and does not wait for is counted too while it runs. Not loaded in normal runs: the
 * context tracking costs a little on every request.
 */
const fs = require("fs")
const http = require("http")
const https = require("https")
const { AsyncLocalStorage } = require("async_hooks")
const { performance } = require("perf_hooks")

const file = process.env.BENCH_PROFILE_FILE
const als = new AsyncLocalStorage()

if (file) {
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (event, req, res) {
    if (event !== "request") return emit.apply(this, arguments)
    const tag = req.headers["x-bench-profile"] || (req.url && req.url.startsWith("/hooks/coingate") ? "callback|plugin|route" : null)
    if (!tag) return emit.apply(this, arguments)
    const ctx = { tag: String(tag), method: req.method, url: req.url, t0: performance.now(), queries: 0, queryMs: 0, outgoing: 0, outgoingMs: 0, sql: {} }
    res.once("finish", () => {
      const line = {
        tag: ctx.tag,
        method: ctx.method,
        url: ctx.url,
        ms: performance.now() - ctx.t0,
        queries: ctx.queries,
        queryMs: ctx.queryMs,
        outgoing: ctx.outgoing,
        outgoingMs: ctx.outgoingMs,
        sql: ctx.sql,
      }
      try {
        fs.appendFileSync(file, JSON.stringify(line) + "\n")
      } catch {}
    })
    const args = arguments
    return als.run(ctx, () => emit.apply(this, args))
  }

  const note = (ctx, started, text) => {
    const ms = performance.now() - started
    ctx.queries++
    ctx.queryMs += ms
    // Group statements by their first words and table (`select ... from "payment_session"`).
    const key = String(text || "")
      .replace(/\s+/g, " ")
      .replace(/^(\w+).*?\b(from|into|update)\s+("?[\w.]+"?).*$/i, "$1 $3")
      .slice(0, 60)
    const s = (ctx.sql[key] = ctx.sql[key] || { n: 0, ms: 0 })
    s.n++
    s.ms += ms
  }

  try {
    const pg = require("pg")
    const query = pg.Client.prototype.query
    pg.Client.prototype.query = function (config, values, callback) {
      const ctx = als.getStore()
      if (!ctx) return query.apply(this, arguments)
      const started = performance.now()
      const text = typeof config === "string" ? config : config && config.text
      const args = [...arguments]
      const cbIndex = args.findIndex((a) => typeof a === "function")
      if (cbIndex >= 0) {
        const cb = args[cbIndex]
        args[cbIndex] = function () {
          note(ctx, started, text)
          return cb.apply(this, arguments)
        }
        return query.apply(this, args)
      }
      if (config && typeof config.callback === "function") {
        const cb = config.callback
        config.callback = function () {
          note(ctx, started, text)
          return cb.apply(this, arguments)
        }
        return query.apply(this, args)
      }
      const out = query.apply(this, args)
      if (out && typeof out.then === "function") out.then(() => note(ctx, started, text), () => note(ctx, started, text))
      return out
    }
  } catch (e) {
    process.stderr.write(`[bench profile] pg not hooked: ${e.message}\n`)
  }

  for (const mod of [http, https]) {
    const request = mod.request
    mod.request = function () {
      const req = request.apply(this, arguments)
      const ctx = als.getStore()
      if (ctx) {
        const started = performance.now()
        req.once("close", () => {
          ctx.outgoing++
          ctx.outgoingMs += performance.now() - started
        })
      }
      return req
    }
  }
}
