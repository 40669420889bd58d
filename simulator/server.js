// @ts-check
"use strict"

const { HttpError, readBody, parseBody, sendJson, sendText, sendError } = require("./http-util")
const { validateCreateOrder } = require("./validation")
const { createView, apiView, listView } = require("./views")
const { handleControl } = require("./control")
const { handleInvoice } = require("./invoice-page")
const currencies = require("./currencies")
const { paginate } = require("./params")
const { AFTER_KINDS } = require("./faults")

/** @typedef {import("./index").Simulator} Simulator */
/** @typedef {import("http").IncomingMessage} Req */
/** @typedef {import("http").ServerResponse} Res */
/**
 * @typedef {{ method: string, re: RegExp, name: string, public?: boolean,
 *   handle: (sim: Simulator, ctx: { req: Req, res: Res, url: URL, params: string[], body: Record<string, any>,
 *     appId: number }) => void | Promise<void> }} Route
 */

const RATE_LIMITED = { message: "API request limit is exceeded", reason: "RateLimitExceeded" }

/** @type {Route[]} */
const ROUTES = [
  {
    method: "GET", re: /^\/v2\/auth\/test$/, name: "GET /v2/auth/test",
    handle: (_sim, { res }) => sendText(res, 200, "OK"),
  },
  {
    method: "POST", re: /^\/v2\/orders$/, name: "POST /v2/orders",
    handle: (sim, { res, body, appId }) => {
      const { errors, params } = validateCreateOrder(body)
      if (errors.length) throw new HttpError(422, "Order is not valid", "OrderIsNotValid", errors)
      // api-limits-and-quotas.md "Merchant Order Creation": 500 an hour per business, then this 422.
      if (!sim.orderQuota.hit()) throw new HttpError(422, "Order is not valid", "OrderIsNotValid", ["Order limit exceeded (contact support to increase)"])
      const order = sim.store.create(params, appId)
      sim.logLine(`order ${order.id} created: ${order.price_amount} ${order.price_currency} (${order.order_id ?? "no order_id"})`)
      sendJson(res, 200, createView(order))
    },
  },
  {
    method: "GET", re: /^\/v2\/orders$/, name: "GET /v2/orders",
    handle: (sim, { res, url }) => sendJson(res, 200, listView(sim.store.all(), url.searchParams)),
  },
  {
    method: "GET", re: /^\/v2\/orders\/([^/]+)$/, name: "GET /v2/orders/:id",
    handle: (sim, { res, params }) => sendJson(res, 200, apiView(sim.store.mustGet(params[0]))),
  },
  {
    // v2.json /orders/{order_id}/blockchain_transactions: page, per_page.
    method: "GET", re: /^\/v2\/orders\/([^/]+)\/blockchain_transactions$/, name: "GET /v2/orders/:id/blockchain_transactions",
    handle: (sim, { res, params, url }) => {
      const list = structuredClone(sim.store.mustGet(params[0]).blockchain_transactions)
      sendJson(res, 200, paginate(list, url.searchParams, "transactions", "total_transactions"))
    },
  },
  {
    method: "GET", re: /^\/v2\/orders\/([^/]+)\/blockchain_transactions\/([^/]+)$/, name: "GET /v2/orders/:id/blockchain_transactions/:tx",
    handle: (sim, { res, params }) => {
      const tx = sim.store.mustGet(params[0]).blockchain_transactions.find((/** @type {any} */ t) => String(t.id) === params[1])
      // The reference documents no error body for an unknown transaction; the simulator answers 404.
      if (!tx) throw new HttpError(404, "Record not found", "RecordNotFound")
      sendJson(res, 200, structuredClone(tx))
    },
  },
  {
    // v2.json /orders/{id}/checkout: white-label checkout, only for merchants CoinGate enabled it for
    // (option `checkout`, off by default like at CoinGate, where it is a 422). An unknown order is 422
    // OrderNotFound "Order does not exist" (its documented answer). The 422 text for a merchant without
    // checkout is not in the reference; the simulator's names the reason.
    method: "POST", re: /^\/v2\/orders\/([^/]+)\/checkout$/, name: "POST /v2/orders/:id/checkout",
    handle: (sim, { res, params, body }) => {
      const order = sim.store.get(params[0])
      if (!order) throw new HttpError(422, "Order does not exist", "OrderNotFound")
      if (!sim.options.checkout) throw new HttpError(422, "Order is not valid", "OrderIsNotValid", ["Checkout is not enabled for this merchant"])
      /** @type {string[]} */
      const errors = []
      const coin = currencies.find(body.pay_currency)
      if (!body.pay_currency) errors.push("Pay currency can't be blank")
      else if (!coin || !currencies.PAY_CURRENCIES.includes(coin.symbol)) errors.push("Pay currency is not valid")
      if (!body.platform_id) errors.push("Platform can't be blank")
      else if (coin && coin.platform && String(coin.platform.id) !== String(body.platform_id)) errors.push("Platform is not valid")
      if (order.status !== "new") errors.push(order.pay_currency ? "Order already has a payment currency" : `Order is ${order.status}`)
      if (errors.length || !coin) throw new HttpError(422, "Order is not valid", "OrderIsNotValid", errors)
      Promise.resolve(sim.store.chooseCoin(order, coin.symbol)).catch(() => {})
      sendJson(res, 200, apiView(order))
    },
  },
]

/**
 * `Authorization: Token <t>` or `Bearer <t>`; returns the app's orderable_id (1-based token index).
 * @param {Simulator} sim @param {Req} req
 */
function authenticate(sim, req) {
  const m = /^(?:Token|Bearer)\s+(\S+)\s*$/i.exec(String(req.headers.authorization || "").trim())
  const index = m ? sim.options.apiTokens.indexOf(m[1]) : -1
  if (index < 0) throw new HttpError(401, "Auth Token is not valid", "BadAuthToken")
  return index + 1
}

/**
 * Applies an injected fault. Returns true when the request was answered (or swallowed) by it.
 * @param {Simulator} sim @param {Req} req @param {Res} res @param {(status: number | string) => void} record
 * @param {import("./faults").Fault} fault
 */
async function applyFault(sim, req, res, record, fault) {
  switch (fault.kind) {
    case "latency":
      await sim.sleep(fault.ms)
      return false
    case "drop":
      record("drop")
      req.socket.destroy()
      return true
    case "timeout":
      record("timeout")
      sim.hold(res)
      return true
    case "429":
      sendJson(res, 429, RATE_LIMITED, fault.retryAfter === undefined ? {} : { "Retry-After": fault.retryAfter })
      return true
    case "503":
      sendJson(res, 503, { message: "Service Unavailable", reason: "ServiceUnavailable" })
      return true
    default:
      sendJson(res, 500, { message: "Internal server error", reason: "InternalServerError" })
      return true
  }
}

/** @param {Simulator} sim @param {Req} req @param {Res} res @param {URL} url */
async function handleApi(sim, req, res, url) {
  const started = Date.now()
  const method = req.method || "GET"
  let route = ROUTES.find((r) => r.method === method && r.re.test(url.pathname))
  const routeName = route ? route.name : `${method} (unknown)`
  let recorded = false
  /** @param {number | string} status */
  const record = (status) => {
    if (recorded) return
    recorded = true
    sim.recordRequest({ method, path: url.pathname, route: routeName, status, at: new Date(started).toISOString(), durationMs: Date.now() - started })
  }
  res.on("finish", () => record(res.statusCode))
  res.on("close", () => record(res.writableFinished ? res.statusCode : "aborted"))

  if (sim.options.latencyMs > 0) await sim.sleep(sim.options.latencyMs)
  const fault = sim.faults.take(method, url.pathname)
  if (fault && AFTER_KINDS.includes(fault.kind)) return serveThenLoseAnswer(sim, req, res, record, fault, () => serveApi(sim, req, res, url, route))
  if (fault && await applyFault(sim, req, res, record, fault)) return
  await serveApi(sim, req, res, url, route)
}

/**
 * Serves one /v2 request as CoinGate would: rate limit, authentication, body, route.
 * @param {Simulator} sim @param {Req} req @param {Res} res @param {URL} url @param {Route | undefined} route
 */
async function serveApi(sim, req, res, url, route) {
  const method = req.method || "GET"
  if (!sim.rateLimiter.hit()) return sendJson(res, 429, RATE_LIMITED, { "Retry-After": String(sim.rateLimiter.retryAfterSeconds()) })
  if (!route) throw new HttpError(404, "Page not found", "PageNotFound")
  const appId = route.public ? 0 : authenticate(sim, req)
  const body = method === "POST" || method === "PUT" || method === "PATCH"
    ? parseBody(await readBody(req), req.headers["content-type"])
    : {}
  const params = (route.re.exec(url.pathname) || []).slice(1)
  await route.handle(sim, { req, res, url, params, body, appId })
}

/** What a load balancer in front of CoinGate answers when the upstream answer is lost: HTML, not CoinGate's JSON. */
const BAD_GATEWAY_HTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

/**
 * An "*_after" fault: CoinGate carries the request out in full (whatever it would have answered,
 * success or refusal), and then its answer never reaches the client: a proxy's 502 page, a reset
 * socket, or no answer at all (the client's own timeout fires).
 * @param {Simulator} sim @param {Req} req @param {Res} res @param {(status: number | string) => void} record
 * @param {import("./faults").Fault} fault @param {() => Promise<unknown>} serve
 */
async function serveThenLoseAnswer(sim, req, res, record, fault, serve) {
  // The route writes into a muted response; what it would have said is kept only in the request log.
  const real = { writeHead: res.writeHead, setHeader: res.setHeader, write: res.write, end: res.end }
  let wouldAnswer = 0
  res.writeHead = /** @type {any} */ (function (/** @type {number} */ status) { wouldAnswer = status; return res })
  res.setHeader = /** @type {any} */ (() => res)
  res.write = /** @type {any} */ (() => true)
  res.end = /** @type {any} */ (() => res)
  try {
    await serve()
  } catch (err) {
    wouldAnswer = err instanceof HttpError ? err.status : 500
  } finally {
    Object.assign(res, real)
  }
  record(`${fault.kind}:${wouldAnswer || "?"}`)
  // What was carried out is kept (a state file is saved on "finish", which a lost answer never reaches).
  if (req.method !== "GET" && req.method !== "HEAD") sim.persistSoon()
  if (fault.kind === "reset_after") return void req.socket.destroy()
  if (fault.kind === "timeout_after") return sim.hold(res)
  sendText(res, 502, BAD_GATEWAY_HTML, "text/html")
}

/**
 * The server's request listener: `/v2/*` API, `/__sim/*` control API, `/invoice/*` hosted page.
 * @param {Simulator} sim
 * @returns {(req: Req, res: Res) => void}
 */
function createRequestHandler(sim) {
  return (req, res) => {
    let url
    try {
      url = new URL(`http://localhost${(req.url || "/").startsWith("/") ? req.url : "/"}`)
    } catch {
      return sendJson(res, 400, { message: "Bad request", reason: "BadRequest" })
    }
    // CoinGate serves the API under both https://api.coingate.com/v2 (the SDKs) and .../api/v2 (the
    // servers entry of reference/v2.json and its actions_required URLs): both reach the same routes.
    if (url.pathname === "/api/v2" || url.pathname.startsWith("/api/v2/")) url.pathname = url.pathname.slice(4)
    const path = url.pathname
    /** @type {Promise<unknown>} */
    let work
    if (path === "/v2" || path.startsWith("/v2/")) work = handleApi(sim, req, res, url)
    else if (path === "/__sim" || path.startsWith("/__sim/")) work = handleControl(sim, req, res, url)
    else if (path.startsWith("/invoice/")) work = handleInvoice(sim, req, res, url)
    else if (path === "/favicon.ico") work = Promise.resolve(void res.writeHead(204).end())
    else if (path === "/" && req.method === "GET") {
      work = Promise.resolve(sendText(res, 200, `CoinGate API v2 simulator. API: ${sim.url}/v2  Control: ${sim.url}/__sim\n`))
    } else work = Promise.reject(new HttpError(404, "Page not found", "PageNotFound"))
    work.catch((err) => {
      if (res.headersSent || res.destroyed) return void res.destroy()
      sendError(res, err)
    })
    // Anything but a read may change the state: save it (when a state file is configured).
    if (req.method !== "GET" && req.method !== "HEAD") res.on("finish", () => sim.persistSoon())
  }
}

// Refunds, ledger accounts, beneficiaries and send requests (simulator/refunds.js, simulator/send-requests.js).
ROUTES.push(
  ...require("./public-routes").ROUTES, ...require("./api-callbacks").ROUTES, ...require("./conversions").ROUTES,
  ...require("./refund-views").ROUTES, ...require("./ledger").ROUTES, ...require("./send-request-routes").ROUTES)

module.exports = { createRequestHandler, ROUTES }
