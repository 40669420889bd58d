// @ts-check
"use strict"

const http = require("http")
const { startSimulator } = require("..")
const { client, startReceiver, waitUntil } = require("./helpers")

/** @type {import("..").Simulator} */
let sim
/** @type {import("axios").AxiosInstance} */
let api

beforeAll(async () => {
  sim = await startSimulator()
  api = client(sim.url)
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

const order = () => api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "5", price_currency: "EUR" })

describe("fault injection", () => {
  it("fails the next matching request with 500, then recovers", async () => {
    sim.injectFault({ method: "POST", path: "/v2/orders", kind: "500" })
    expect((await api.get("/v2/orders")).status).toBe(200)
    const failed = await order()
    expect(failed.status).toBe(500)
    expect(failed.data).toEqual({ message: "Internal server error", reason: "InternalServerError" })
    expect((await order()).status).toBe(200)
    expect(sim.listOrders()).toHaveLength(1)
  })

  it("answers 503 and 429 with CoinGate-style bodies, `times` times, matching regex paths", async () => {
    sim.injectFault({ path: /^\/v2\/orders\/\d+$/, kind: "503", times: 2 })
    sim.injectFault({ path: "/v2/auth*", kind: "429" })
    const { data } = await order()
    expect((await api.get(`/v2/orders/${data.id}`)).status).toBe(503)
    expect((await api.get(`/v2/orders/${data.id}`)).data.reason).toBe("ServiceUnavailable")
    expect((await api.get(`/v2/orders/${data.id}`)).status).toBe(200)
    const limited = await api.get("/v2/auth/test")
    expect(limited.status).toBe(429)
    expect(limited.data).toEqual({ message: "API request limit is exceeded", reason: "RateLimitExceeded" })
  })

  it("drops the connection", async () => {
    sim.injectFault({ kind: "drop" })
    await expect(order()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|EPIPE/) })
    expect((await order()).status).toBe(200)
    expect(sim.requestLog.map((r) => r.status)).toEqual(["drop", 200])
  })

  it("never answers a timeout fault, so the client's own timeout fires", async () => {
    sim.injectFault({ method: "GET", path: "/v2/ping", kind: "timeout" })
    const started = Date.now()
    await expect(api.get("/v2/ping", { timeout: 150 })).rejects.toMatchObject({ code: "ECONNABORTED" })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect((await api.get("/v2/ping", { timeout: 1000 })).status).toBe(200)
    expect(sim.requestLog[0].status).toBe("timeout")
  })

  it("adds latency to one request, or to every request with latencyMs", async () => {
    sim.injectFault({ kind: "latency", ms: 120 })
    let t = Date.now()
    expect((await api.get("/v2/ping")).status).toBe(200)
    expect(Date.now() - t).toBeGreaterThanOrEqual(110)
    expect(sim.faults.list()).toEqual([])

    const slow = await startSimulator({ latencyMs: 80 })
    try {
      t = Date.now()
      expect((await client(slow.url).get("/v2/auth/test")).status).toBe(200)
      expect(Date.now() - t).toBeGreaterThanOrEqual(75)
    } finally {
      await slow.close()
    }
  })

  it("502_after: CoinGate carries the request out, then the client gets a proxy's HTML 502", async () => {
    sim.injectFault({ method: "POST", path: "/v2/orders", kind: "502_after" })
    const lost = await order()
    expect(lost.status).toBe(502)
    expect(String(lost.headers["content-type"])).toMatch(/^text\/html/)
    expect(String(lost.data)).toContain("502 Bad Gateway")
    // The order was made all the same: reading CoinGate is the only way to know.
    expect(sim.listOrders()).toHaveLength(1)
    expect(sim.requestLog[0].status).toBe("502_after:200")
    expect((await order()).status).toBe(200)
    expect(sim.listOrders()).toHaveLength(2)
  })

  it("reset_after: carries it out, then destroys the socket without answering", async () => {
    sim.injectFault({ method: "POST", path: "/v2/orders", kind: "reset_after" })
    await expect(order()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|EPIPE|socket hang up/) })
    expect(sim.listOrders()).toHaveLength(1)
    expect(sim.requestLog[0].status).toBe("reset_after:200")
  })

  it("timeout_after: carries it out, then never answers (the client's own timeout fires)", async () => {
    sim.injectFault({ method: "POST", path: "/v2/orders*", kind: "timeout_after" })
    const lost = await api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "5", price_currency: "EUR" }, { timeout: 150 }).catch((e) => e)
    expect(lost).toMatchObject({ code: "ECONNABORTED" })
    expect(sim.listOrders()).toHaveLength(1)
    expect(sim.requestLog[0].status).toBe("timeout_after:200")
  })

  it("an *_after fault loses a refusal's answer too (the request log keeps what CoinGate would have said)", async () => {
    sim.injectFault({ method: "POST", path: "/v2/orders", kind: "502_after" })
    const lost = await api.post("/v2/orders", { title: "Test order", price_amount: "-1", price_currency: "EUR" })
    expect(lost.status).toBe(502)
    expect(sim.listOrders()).toHaveLength(0)
    expect(sim.requestLog[0].status).toBe("502_after:422")
  })

  it("the control API accepts the *_after kinds with the same FaultSpec", async () => {
    const ctl = client(sim.url, null)
    for (const kind of ["502_after", "reset_after", "timeout_after"]) {
      const res = await ctl.post("/__sim/faults", { method: "POST", pathRegex: "^/v2/orders/\\d+/refunds$", kind, times: 2 })
      expect(res.data.fault).toMatchObject({ kind, method: "POST", remaining: 2 })
    }
    expect(sim.faults.list()).toHaveLength(3)
  })

  it("clears faults and rejects unknown kinds", async () => {
    sim.injectFault({ kind: "500", times: Infinity })
    sim.clearFaults()
    expect((await api.get("/v2/ping")).status).toBe(200)
    expect(() => sim.injectFault({ kind: "teapot" })).toThrow(/Unknown fault kind/)
  })
})

describe("control API", () => {
  const ctl = () => client(sim.url, null)

  it("drives orders over HTTP: status, pay, callback, logs, stats and reset", async () => {
    const receiver = await startReceiver()
    try {
      const { data } = await api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "20", price_currency: "USD", callback_url: receiver.url, token: "t0k" })
      expect((await ctl().get("/__sim/orders")).data.map((/** @type {any} */ o) => o.id)).toEqual([data.id])
      expect((await ctl().get(`/__sim/orders/${data.id}`)).data.token).toBe("t0k")
      expect((await ctl().get("/__sim/orders/1")).status).toBe(404)

      const paid = await ctl().post(`/__sim/orders/${data.id}/pay`, { kind: "full", payCurrency: "ETH" })
      expect(paid.data.order).toMatchObject({ status: "paid", pay_currency: "ETH" })
      const forced = await ctl().post(`/__sim/orders/${data.id}/status`, { status: "expired", overrides: { token: "x" } })
      expect(forced.data).toMatchObject({ order: { status: "expired" }, callback: { status: 200 } })
      const replay = await ctl().post(`/__sim/orders/${data.id}/callback`, { format: "json" })
      expect(replay.data).toEqual({ status: 200, body: "ok" })
      expect(receiver.received.map((r) => r.body.status)).toEqual(["pending", "confirming", "paid", "expired", "expired"])
      expect(receiver.received[3].body.token).toBe("x")

      const log = await ctl().get("/__sim/callbacks", { params: { orderId: data.id } })
      expect(log.data).toHaveLength(5)
      expect((await ctl().post(`/__sim/orders/${data.id}/status`, { status: "nope" })).status).toBe(422)

      const fault = await ctl().post("/__sim/faults", { method: "GET", pathRegex: "^/v2/orders/\\d+$", kind: "503", times: 1 })
      expect(fault.data.fault).toMatchObject({ kind: "503", remaining: 1 })
      expect((await api.get(`/v2/orders/${data.id}`)).status).toBe(503)
      await ctl().post("/__sim/faults", { kind: "500", times: 5 })
      expect((await ctl().delete("/__sim/faults")).data).toEqual({ ok: true })
      expect((await api.get(`/v2/orders/${data.id}`)).status).toBe(200)
      expect((await ctl().post("/__sim/faults", { kind: "bogus" })).status).toBe(400)

      const stats = (await ctl().get("/__sim/stats")).data
      expect(stats).toMatchObject({ callbacks: 5, byRoute: { "POST /v2/orders": 1, "GET /v2/orders/:id": 2 } })
      expect((await ctl().post("/__sim/reset", {})).data).toEqual({ ok: true })
      expect((await ctl().get("/__sim/orders")).data).toEqual([])
      expect(sim.stats()).toMatchObject({ requests: 0, callbacks: 0, orders: 0 })
    } finally {
      await receiver.close()
    }
  })
})

describe("control API: no cross-site writes (issue 22, finding 9)", () => {
  /**
   * A raw request, as a browser would send it (axios would add its own content type).
   * @param {string} method @param {string} path @param {Record<string, string>} headers @param {string} [body]
   * @returns {Promise<{ status: number | undefined, headers: http.IncomingHttpHeaders, text: string }>}
   */
  const raw = (method, path, headers, body = "") =>
    new Promise((resolve, reject) => {
      const req = http.request(`${sim.url}${path}`, { method, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = ""
        res.on("data", (c) => (text += c))
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }))
      })
      req.on("error", reject)
      req.end(body)
    })

  it("refuses what a web page can send without a preflight (a form, a no-cors fetch): the order stays unpaid", async () => {
    const { data } = await order()
    const path = `/__sim/orders/${data.id}/status`
    // A form on another site: urlencoded, multipart or text/plain, with that site's Origin.
    const form = await raw("POST", path, { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, "status=paid")
    expect(form.status).toBe(403)
    // The same form from a browser that sends no Origin or Sec-Fetch-Site: its content type is refused.
    for (const [type, body] of [["application/x-www-form-urlencoded", "status=paid"], ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="status"\r\n\r\npaid\r\n--x--\r\n'], ["text/plain", "status=paid"]]) {
      expect([type, (await raw("POST", path, { "content-type": type }, body)).status]).toEqual([type, 415])
    }
    // A no-cors fetch with no body (no content type) would reset everything.
    expect((await raw("POST", "/__sim/reset", {})).status).toBe(415)
    // JSON from another origin (it would need a preflight, which is never granted; refused anyway).
    expect((await raw("POST", path, { "content-type": "application/json", origin: "http://localhost:8000" }, '{"status":"paid"}')).status).toBe(403)
    expect((await raw("POST", path, { "content-type": "application/json", "sec-fetch-site": "same-site" }, '{"status":"paid"}')).status).toBe(403)
    const preflight = await raw("OPTIONS", path, { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" })
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith("access-control-"))).toEqual([])
    expect(sim.getOrder(data.id).status).toBe("new")
    expect(sim.listOrders()).toHaveLength(1)
  })

  it("accepts JSON from a script and from the simulator's own origin", async () => {
    const { data } = await order()
    const path = `/__sim/orders/${data.id}/status`
    expect((await raw("POST", path, { "content-type": "application/json; charset=utf-8" }, '{"status":"pending","callback":false}')).status).toBe(200)
    const own = { "content-type": "application/json", origin: sim.url, "sec-fetch-site": "same-origin" }
    expect((await raw("POST", path, own, '{"status":"confirming","callback":false}')).status).toBe(200)
    expect(sim.getOrder(data.id).status).toBe("confirming")
    expect((await raw("DELETE", "/__sim/faults", {})).status).toBe(200)
    expect((await raw("POST", "/__sim/reset", { "content-type": "application/json" })).status).toBe(200)
  })
})

describe("shutdown", () => {
  it("close() cancels retries, hung requests and expiry timers", async () => {
    const receiver = await startReceiver()
    const s = await startSimulator({ retryDelaysMs: [50_000], newOrderTtlMs: 60_000 })
    receiver.setResponder(() => ({ status: 500 }))
    const c = client(s.url)
    const { data } = await c.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "1", price_currency: "EUR", callback_url: receiver.url })
    await s.setStatus(data.id, "paid")
    expect(s.stats().callbackBacklog).toBe(1)
    receiver.setResponder(() => "hang")
    const hung = s.setStatus(data.id, "refunded")
    s.injectFault({ kind: "timeout" })
    const pending = c.get("/v2/ping").catch((e) => e)
    await waitUntil(() => s.requestLog.length === 2 && receiver.received.length === 2, 2000, "hung request and callback")
    await s.close()
    expect(await hung).toMatchObject({ status: "error" })
    expect(await pending).toBeInstanceOf(Error)
    expect(s.server.listening).toBe(false)
    expect(s.stats().callbackBacklog).toBe(0)
    expect(s.store.expiryTimers.size).toBe(0)
    await s.close()
    await receiver.close()
    const refused = await new Promise((resolve) => http.get(`${s.url}/v2/ping`).on("error", resolve))
    expect(refused).toMatchObject({ code: "ECONNREFUSED" })
  })
})
