// @ts-check
"use strict"

const http = require("http")
const axios = require("axios").default
const qs = require("qs")

/**
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, raw: string,
 *   body: Record<string, any>, at: number }} Received
 * @typedef {{ status: number, body?: string, headers?: Record<string, string> } | "hang"} Answer
 * @typedef {(req: Received) => Answer | Promise<Answer>} Responder
 */

/**
 * A tiny HTTP server standing in for the merchant's callback route.
 * `respond` decides the answer per request (default 200 "ok", may be async); "hang" never answers.
 */
async function startReceiver() {
  /** @type {Received[]} */
  const received = []
  /** @type {Responder} */
  let respond = () => ({ status: 200, body: "ok" })
  /** @type {Set<http.ServerResponse>} */
  const hanging = new Set()
  const server = http.createServer((req, res) => {
    let raw = ""
    req.setEncoding("utf8")
    req.on("data", (c) => (raw += c))
    req.on("end", () => {
      const json = String(req.headers["content-type"]).startsWith("application/json")
      /** @type {Received} */
      const entry = {
        method: req.method || "", url: req.url || "", headers: req.headers, raw,
        body: json ? JSON.parse(raw) : qs.parse(raw), at: Date.now(),
      }
      received.push(entry)
      Promise.resolve(respond(entry)).then((answer) => {
        if (answer === "hang") return void hanging.add(res)
        res.writeHead(answer.status, { "Content-Type": "text/plain", ...(answer.headers || {}) })
        res.end(answer.body ?? "")
      })
    })
  })
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)))
  const port = /** @type {import("net").AddressInfo} */ (server.address()).port
  return {
    url: `http://127.0.0.1:${port}/hooks/coingate`,
    received,
    /** @param {Responder} fn */
    setResponder(fn) {
      respond = fn
    },
    /** Waits until at least `n` callbacks arrived. @param {number} n @param {number} [timeoutMs] */
    async waitFor(n, timeoutMs = 3000) {
      await waitUntil(() => received.length >= n, timeoutMs, `${n} callbacks (got ${received.length})`)
      return received
    },
    async close() {
      for (const res of hanging) res.destroy()
      await new Promise((resolve) => {
        server.close(() => resolve(undefined))
        server.closeAllConnections()
      })
    },
  }
}

/**
 * @param {() => boolean} cond @param {number} timeoutMs @param {string} what
 */
async function waitUntil(cond, timeoutMs = 3000, what = "condition") {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/**
 * An axios client for the simulator that never throws on HTTP status.
 * @param {string} baseURL @param {string | null} [token]
 */
function client(baseURL, token = "sim_test_token") {
  return axios.create({
    baseURL,
    headers: token ? { Authorization: `Token ${token}` } : {},
    validateStatus: () => true,
    // No keep-alive: every test closes its simulator and leaves no sockets behind.
    httpAgent: new http.Agent({ keepAlive: false }),
  })
}

module.exports = { startReceiver, waitUntil, client }
