// @ts-check
"use strict"

const { HttpError, readBody, parseBody, sendJson } = require("./http-util")
const { handlePayoutControl } = require("./send-request-routes")

/** @typedef {import("./index").Simulator} Simulator */

/** @param {unknown} v @param {boolean} dflt */
const bool = (v, dflt) => (v === undefined || v === null || v === "" ? dflt : v === true || v === "true" || v === "1")

/** @param {unknown} v */
const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {})

/** @param {unknown} url */
const originOf = (url) => {
  try {
    return typeof url === "string" && url ? new URL(url).origin : null
  } catch {
    return null
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json$/i

/**
 * The control API has no auth: it runs on a developer's machine. What keeps another web site from
 * driving it (a page POSTing a form to `/__sim/orders/:id/status` to mark an order paid):
 * - a POST must be `Content-Type: application/json`. A form, or a `no-cors` fetch, can only send
 *   urlencoded, multipart or text/plain; a JSON body from another origin needs a CORS preflight, and the
 *   simulator never grants one (it sends no `Access-Control-*` header at all). Other write methods
 *   (DELETE) always need that preflight.
 * - a browser's write from another origin is refused outright: `Sec-Fetch-Site` other than
 *   `same-origin`/`none`, or an `Origin` that is not the simulator's own. Scripts (Node, curl) send neither.
 * Reads stay open: another origin cannot read the answers without CORS.
 * @param {Simulator} sim @param {import("http").IncomingMessage} req @param {string} method
 */
function refuseCrossSiteWrite(sim, req, method) {
  if (method === "GET" || method === "HEAD") return
  const site = String(req.headers["sec-fetch-site"] || "").toLowerCase()
  const origin = req.headers.origin
  // Its own origin as the browser names it: the Host it was reached at, or its public URL (a tunnel).
  const own = [`http://${req.headers.host}`, `https://${req.headers.host}`, originOf(sim.options.publicUrl)]
  if ((site && site !== "same-origin" && site !== "none") || (origin !== undefined && !own.includes(origin))) {
    throw new HttpError(403, "The control API accepts no writes from other web sites", "Forbidden")
  }
  const type = String(req.headers["content-type"] || "").split(";")[0].trim()
  if (method === "POST" && !JSON_TYPE.test(type)) {
    throw new HttpError(415, "The control API takes JSON: send Content-Type: application/json", "UnsupportedMediaType")
  }
}

/**
 * The control API under `/__sim` (no auth, JSON in and out), mirroring the JS API. Writes must be JSON
 * from the simulator's own origin or a script (`refuseCrossSiteWrite`).
 * @param {Simulator} sim @param {import("http").IncomingMessage} req
 * @param {import("http").ServerResponse} res @param {URL} url
 */
async function handleControl(sim, req, res, url) {
  const method = req.method || "GET"
  const path = url.pathname.replace(/\/+$/, "")
  refuseCrossSiteWrite(sim, req, method)
  const body = method === "POST" ? parseBody(await readBody(req), req.headers["content-type"]) : {}
  // Refunds and send requests: /__sim/refunds[/:id[/status|callback]], /__sim/send-requests[...], /__sim/payout-options.
  if (await handlePayoutControl(sim, method, path, body, res)) return
  const orderMatch = /^\/__sim\/orders\/([^/]+)(?:\/(status|pay|callback))?$/.exec(path)

  if (method === "GET" && path === "/__sim/orders") return sendJson(res, 200, sim.listOrders())
  if (orderMatch) {
    const [, id, action] = orderMatch
    if (!sim.getOrder(id)) throw new HttpError(404, "Order not found", "OrderNotFound")
    if (method === "GET" && !action) return sendJson(res, 200, sim.getOrder(id))
    if (method === "POST" && action === "status") {
      if (typeof body.status !== "string") throw new HttpError(400, "status is required", "BadRequest")
      const callback = await sim.setStatus(id, body.status, {
        callback: bool(body.callback, true),
        overrides: obj(body.overrides),
        fields: obj(body.fields),
      })
      return sendJson(res, 200, { order: sim.getOrder(id), callback })
    }
    if (method === "POST" && action === "pay") {
      const order = await sim.pay(id, {
        kind: body.kind || "full",
        payCurrency: body.payCurrency || body.pay_currency || "BTC",
        confirm: bool(body.confirm, true),
      })
      return sendJson(res, 200, { order })
    }
    if (method === "POST" && action === "callback") {
      const result = await sim.sendCallback(id, {
        overrides: obj(body.overrides),
        format: body.format,
        url: body.url,
        retry: bool(body.retry, true),
      })
      return sendJson(res, 200, result)
    }
  }
  if (path === "/__sim/faults") {
    if (method === "GET") return sendJson(res, 200, sim.faults.list())
    if (method === "DELETE") {
      sim.clearFaults()
      return sendJson(res, 200, { ok: true })
    }
    if (method === "POST") {
      let fault
      try {
        fault = sim.injectFault({
          method: body.method,
          path: typeof body.pathRegex === "string" ? new RegExp(body.pathRegex) : body.path,
          kind: String(body.kind),
          times: body.times === undefined || body.times === null ? 1 : body.times === "Infinity" || body.times === -1 ? Infinity : Number(body.times),
          ms: body.ms === undefined ? undefined : Number(body.ms),
          retryAfter: body.retryAfter,
        })
      } catch (e) {
        throw new HttpError(400, e instanceof Error ? e.message : String(e), "BadRequest")
      }
      return sendJson(res, 200, { fault: { ...fault, path: fault.path instanceof RegExp ? String(fault.path) : fault.path }, faults: sim.faults.list() })
    }
  }
  if (method === "GET" && path === "/__sim/callbacks") {
    const orderId = url.searchParams.get("orderId")
    return sendJson(res, 200, orderId ? sim.callbackLog.filter((c) => String(c.orderId) === orderId) : sim.callbackLog)
  }
  if (method === "GET" && path === "/__sim/requests") return sendJson(res, 200, sim.requestLog)
  if (method === "GET" && path === "/__sim/stats") return sendJson(res, 200, sim.stats())
  if (method === "POST" && path === "/__sim/reset") {
    sim.reset()
    return sendJson(res, 200, { ok: true })
  }
  throw new HttpError(404, "Page not found", "PageNotFound")
}

module.exports = { handleControl }
