// @ts-check
"use strict"

const { startSimulator, COINGATE_RETRY_DELAYS_MS } = require("..")
const { client, startReceiver, waitUntil } = require("./helpers")

/** @type {import("..").Simulator[]} */
let sims = []
/** @type {Awaited<ReturnType<typeof startReceiver>>} */
let receiver

/** @param {import("..").SimulatorOptions} [opts] */
async function sim(opts) {
  const s = await startSimulator({ retryDelaysMs: [20, 20, 20], ...opts })
  sims.push(s)
  return s
}

/** @param {import("..").Simulator} s @param {Record<string, unknown>} [body] */
async function createOrder(s, body = {}) {
  const res = await client(s.url).post("/v2/orders", { title: "Test order", description: "1 x Test item",
    price_amount: "10.50", price_currency: "EUR", order_id: "sess_1", title: "Shop order",
    callback_url: receiver.url, token: "tok_123", ...body,
  })
  expect(res.status).toBe(200)
  return /** @type {number} */ (res.data.id)
}

beforeEach(async () => {
  receiver = await startReceiver()
})
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()))
  sims = []
  await receiver.close()
})

describe("state machine and callbacks", () => {
  it("pays in full: pending -> confirming -> paid, one form callback each, in order", async () => {
    const s = await sim()
    const id = await createOrder(s)
    const order = await s.pay(id, { kind: "full", payCurrency: "BTC" })
    expect(order.status).toBe("paid")
    expect(order.status_history.map((h) => h.status)).toEqual(["new", "pending", "confirming", "paid"])
    const got = await receiver.waitFor(3)
    expect(got.map((r) => r.body.status)).toEqual(["pending", "confirming", "paid"])
    expect(got[0].headers["content-type"]).toBe("application/x-www-form-urlencoded")
    expect(got[0].body.paid_at).toBeUndefined()
    expect(got[0].body.fees).toBeUndefined()
    expect(got[2].raw).toContain("fees[][type]=processing_fee&fees[][amount]=0.11&fees[][currency][id]=11&fees[][currency][symbol]=EUR")
    expect(got[2].body).toEqual({
      id: String(id), order_id: "sess_1", status: "paid", price_amount: "10.5", price_currency: "EUR",
      receive_currency: "EUR", receive_amount: "10.39", pay_amount: "0.00021", pay_currency: "BTC",
      underpaid_amount: "0", overpaid_amount: "0", is_refundable: "false", created_at: order.created_at,
      token: "tok_123", fees: [{ type: "processing_fee", amount: "0.11", currency: { id: "11", symbol: "EUR" } }],
      paid_at: order.paid_at,
    })
  })

  it("sends JSON callbacks with real types when configured", async () => {
    const s = await sim({ callbackFormat: "json" })
    const id = await createOrder(s, { receive_currency: "DO_NOT_CONVERT", price_amount: "1050", price_currency: "JPY" })
    await s.pay(id, { kind: "full", payCurrency: "ETH" })
    const paid = (await receiver.waitFor(3))[2]
    expect(paid.headers["content-type"]).toBe("application/json")
    expect(paid.body).toMatchObject({
      id, status: "paid", is_refundable: false, price_amount: "1050.0", pay_amount: "0.00252",
      receive_amount: "0.0024948", fees: [{ type: "processing_fee", amount: "0.0000252", currency: { id: 3, symbol: "ETH" } }],
    })
  })

  it("underpayment leaves the order pending without a callback until topped up", async () => {
    const s = await sim()
    const id = await createOrder(s, { price_amount: "100", price_currency: "USD" })
    let order = await s.pay(id, { kind: "underpay", payCurrency: "USDT" })
    expect(order).toMatchObject({ status: "pending", pay_amount: "100.0", underpaid_amount: "10.0" })
    await receiver.waitFor(1)
    expect(receiver.received.map((r) => r.body.status)).toEqual(["pending"])
    order = await s.pay(id, { kind: "full" })
    expect(order).toMatchObject({ status: "paid", underpaid_amount: "0" })
    expect(order.blockchain_transactions.map((/** @type {any} */ t) => t.amount)).toEqual(["90.0", "10.0"])
  })

  it("overpayment pays the order and marks the excess refundable", async () => {
    const s = await sim()
    const id = await createOrder(s)
    const order = await s.pay(id, { kind: "overpay", payCurrency: "LTC" })
    expect(order).toMatchObject({ status: "paid", pay_amount: "0.105", overpaid_amount: "0.0105", is_refundable: true })
  })

  it("stops at confirming when confirm is false; a later payment confirms", async () => {
    const s = await sim()
    const id = await createOrder(s)
    expect((await s.pay(id, { confirm: false })).status).toBe("confirming")
    expect((await s.pay(id)).status).toBe("paid")
    await expect(s.pay(id)).rejects.toMatchObject({ status: 422, message: "Order already settled" })
  })

  it("accepts late payments on expired and canceled orders", async () => {
    const s = await sim()
    const a = await createOrder(s)
    await s.setStatus(a, "expired")
    expect((await s.pay(a)).status).toBe("paid")
    const b = await createOrder(s)
    await s.cancel(b)
    expect((await s.pay(b, { payCurrency: "USDC" })).status).toBe("paid")
    await receiver.waitFor(4)
    expect(receiver.received.map((r) => r.body.status)).toEqual(["expired", "paid", "canceled", "paid"])
  })

  it("setStatus forces any transition, overrides callback fields only, and reports the first attempt", async () => {
    const s = await sim()
    const id = await createOrder(s)
    await s.setStatus(id, "paid")
    const result = await s.setStatus(id, "expired", { overrides: { price_amount: "1.00", token: null } })
    expect(result).toEqual({ status: 200, body: "ok" })
    const last = (await receiver.waitFor(2))[1]
    expect(last.body).toMatchObject({ status: "expired", price_amount: "1.00" })
    expect(last.body.token).toBeUndefined()
    expect(s.getOrder(id)).toMatchObject({ status: "expired", price_amount: "10.5", token: "tok_123" })
    expect(await s.setStatus(id, "refunded", { callback: false, fields: { is_refundable: true } })).toBeNull()
    await expect(s.setStatus(id, "bogus")).rejects.toMatchObject({ status: 422 })
    await expect(s.setStatus(999999, "paid")).rejects.toMatchObject({ status: 404 })
  })

  it("sendCallback replays the current state with overrides, format and url", async () => {
    const s = await sim()
    const id = await createOrder(s)
    await s.setStatus(id, "paid", { callback: false })
    const res = await s.sendCallback(id, { overrides: { token: "forged" }, format: "json" })
    expect(res).toEqual({ status: 200, body: "ok" })
    expect(receiver.received[0].body).toMatchObject({ id, status: "paid", token: "forged" })
    const noCb = await createOrder(s, { callback_url: undefined })
    expect(await s.setStatus(noCb, "paid")).toBeNull()
    await expect(s.sendCallback(noCb)).rejects.toMatchObject({ status: 422 })
    await s.sendCallback(noCb, { url: `${receiver.url}?secret=1` })
    expect(receiver.received[1].url).toBe("/hooks/coingate?secret=1")
  })

  it("expires unpaid new and pending orders on (scaled) timers with a callback", async () => {
    const s = await sim({ newOrderTtlMs: 60, pendingTtlMs: 80 })
    const a = await createOrder(s)
    const b = await createOrder(s)
    await s.chooseCoin(b, "ETH")
    await waitUntil(() => s.getOrder(a)?.status === "expired" && s.getOrder(b)?.status === "expired", 2000, "expiry")
    await receiver.waitFor(3)
    expect(receiver.received.map((r) => `${r.body.id}:${r.body.status}`).sort()).toEqual([`${a}:expired`, `${b}:expired`, `${b}:pending`].sort())
  })
})

describe("callback delivery and retries", () => {
  it("retries on 500 until a 200, logging every attempt", async () => {
    const s = await sim({ retryDelaysMs: [30, 30, 30, 30] })
    let n = 0
    receiver.setResponder(() => (++n <= 2 ? { status: 500, body: "boom" } : { status: 200, body: "ok" }))
    const id = await createOrder(s)
    const first = await s.setStatus(id, "paid")
    expect(first).toEqual({ status: 500, body: "boom" })
    await waitUntil(() => s.callbackLog.length === 3, 2000, "3 attempts")
    expect(s.callbackLog.map((c) => [c.attempt, c.status, c.outcome])).toEqual([
      [1, 500, "retrying"], [2, 500, "retrying"], [3, 200, "delivered"],
    ])
    expect(s.callbackLog[0]).toMatchObject({ orderId: id, url: receiver.url, format: "form", body: { status: "paid", token: "tok_123" } })
    const times = receiver.received.map((r) => r.at)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(25)
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(25)
    await new Promise((r) => setTimeout(r, 80))
    expect(receiver.received).toHaveLength(3)
    expect(s.stats()).toMatchObject({ callbacks: 3, callbacksDelivered: 1, callbackBacklog: 0 })
  })

  it("uses CoinGate's schedule scaled by timeScale by default", async () => {
    expect(COINGATE_RETRY_DELAYS_MS).toHaveLength(40)
    expect(COINGATE_RETRY_DELAYS_MS.slice(0, 6)).toEqual([60000, 60000, 60000, 60000, 60000, 300000])
    expect(COINGATE_RETRY_DELAYS_MS[39]).toBe(86_400_000)
    const s = await startSimulator({ timeScale: 0.001 })
    sims.push(s)
    expect(s.options.retryDelaysMs[0]).toBe(60)
    expect(s.options.callbackTimeoutMs).toBe(1000)
    receiver.setResponder(() => ({ status: 503 }))
    const id = await createOrder(s)
    await s.setStatus(id, "paid")
    await receiver.waitFor(3, 2000)
    const gap = receiver.received[2].at - receiver.received[1].at
    expect(gap).toBeGreaterThanOrEqual(50)
  })

  it.each([301, 302, 401, 403])("stops for good on %i", async (code) => {
    const s = await sim({ retryDelaysMs: [10, 10] })
    receiver.setResponder(() => ({ status: code, headers: code < 400 ? { Location: "https://elsewhere.example" } : undefined }))
    const id = await createOrder(s)
    expect(await s.setStatus(id, "paid")).toMatchObject({ status: code })
    await new Promise((r) => setTimeout(r, 60))
    expect(receiver.received).toHaveLength(1)
    expect(s.callbackLog.map((c) => c.outcome)).toEqual(["stopped"])
  })

  it("accepts 204, retries other 4xx and gives up when the schedule ends", async () => {
    const s = await sim({ retryDelaysMs: [10, 10] })
    receiver.setResponder((r) => (r.body.status === "paid" ? { status: 204 } : { status: 422 }))
    const id = await createOrder(s)
    await s.setStatus(id, "paid")
    await s.setStatus(id, "expired")
    await waitUntil(() => s.callbackLog.length === 4, 2000, "4 attempts")
    expect(s.callbackLog.map((c) => `${c.body.status}:${c.status}:${c.outcome}`)).toEqual([
      "paid:204:delivered", "expired:422:retrying", "expired:422:retrying", "expired:422:gave_up",
    ])
  })

  it("treats a slow receiver as a timeout and connection errors as retryable", async () => {
    const s = await sim({ retryDelaysMs: [10, 10], callbackTimeoutMs: 100 })
    let n = 0
    receiver.setResponder(() => (++n === 1 ? "hang" : { status: 200 }))
    const id = await createOrder(s)
    const first = await s.setStatus(id, "paid")
    expect(first).toMatchObject({ status: "error", error: "timeout after 100 ms" })
    await waitUntil(() => s.callbackLog.some((c) => c.outcome === "delivered"), 2000, "delivery after timeout")

    const dead = await createOrder(s, { callback_url: "http://127.0.0.1:1/nobody-listens" })
    const refused = await s.setStatus(dead, "paid")
    expect(refused).toMatchObject({ status: "error" })
    await waitUntil(() => s.callbackLog.filter((c) => c.orderId === dead).length === 3, 2000, "3 refused attempts")
    expect(s.callbackLog.filter((c) => c.orderId === dead).map((c) => c.outcome)).toEqual(["retrying", "retrying", "gave_up"])
  })

  it("sends first attempts of one order in status order even with a slow receiver", async () => {
    const s = await sim()
    let inFlight = 0
    let maxInFlight = 0
    receiver.setResponder(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await new Promise((r) => setTimeout(r, 30))
      inFlight--
      return { status: 200 }
    })
    const id = await createOrder(s)
    await s.pay(id)
    expect(receiver.received.map((r) => r.body.status)).toEqual(["pending", "confirming", "paid"])
    expect(maxInFlight).toBe(1)
  })
})
