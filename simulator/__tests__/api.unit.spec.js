// @ts-check
"use strict"

const { startSimulator } = require("..")
const { client } = require("./helpers")

/** @type {import("..").Simulator} */
let sim
/** @type {import("axios").AxiosInstance} */
let api

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: ["sim_token", "second_token"], firstOrderId: 5000 })
  api = client(sim.url, "sim_token")
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

const create = (/** @type {Record<string, unknown>} */ body = {}) =>
  api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "10.50", price_currency: "EUR", title: "Order #1", order_id: "cart_1", ...body })

describe("authentication", () => {
  it("answers the public ping without a token", async () => {
    const res = await client(sim.url, null).get("/v2/ping")
    expect(res.status).toBe(200)
    expect(res.data.ping).toBe("pong")
    expect(Number.isNaN(Date.parse(res.data.time))).toBe(false)
  })

  it("rejects missing and wrong tokens with 401 BadAuthToken", async () => {
    for (const token of [null, "wrong"]) {
      const res = await client(sim.url, token).get("/v2/auth/test")
      expect(res.status).toBe(401)
      expect(res.data).toEqual({ message: "Auth Token is not valid", reason: "BadAuthToken" })
    }
    const bare = await client(sim.url, null).get("/v2/orders", { headers: { Authorization: "sim_token" } })
    expect(bare.status).toBe(401)
  })

  it("accepts both Token and Bearer schemes for any configured token", async () => {
    const token = await client(sim.url, null).get("/v2/auth/test", { headers: { Authorization: "Token second_token" } })
    expect(token.status).toBe(200)
    expect(token.data).toBe("OK")
    const bearer = await client(sim.url, null).get("/v2/auth/test", { headers: { Authorization: "Bearer sim_token" } })
    expect(bearer.status).toBe(200)
  })

  it("answers unknown API paths with 404 PageNotFound", async () => {
    const res = await api.get("/v2/nothing-here")
    expect(res.status).toBe(404)
    expect(res.data.reason).toBe("PageNotFound")
  })
})

describe("creating orders", () => {
  it("returns CoinGate's create shape, token included", async () => {
    const res = await create({ token: "my_secret_token", callback_url: "http://127.0.0.1:1/cb" })
    expect(res.status).toBe(200)
    expect(Object.keys(res.data).sort()).toEqual([
      "blockchain_transactions", "created_at", "do_not_convert", "fees", "id", "is_refundable", "lightning_network",
      "order_id", "orderable_id", "orderable_type", "overpaid_amount", "payment_url", "price_amount", "price_currency",
      "receive_amount", "receive_currency", "refunds", "status", "title", "token", "underpaid_amount", "voids",
    ])
    expect(res.data).toMatchObject({
      status: "new", title: "Order #1", do_not_convert: false, orderable_type: "ApiApp", orderable_id: 1,
      price_currency: "EUR", price_amount: "10.5", lightning_network: false, receive_currency: "EUR",
      receive_amount: "0", order_id: "cart_1", underpaid_amount: "0", overpaid_amount: "0", is_refundable: false,
      refunds: [], voids: [], fees: [], blockchain_transactions: [], token: "my_secret_token",
    })
    expect(res.data.id).toBeGreaterThanOrEqual(1000)
    expect(res.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
    expect(res.data.payment_url).toMatch(new RegExp(`^${sim.url}/invoice/[0-9a-f-]{36}$`))
    const stored = sim.getOrder(res.data.id)
    expect(stored).toMatchObject({ token: "my_secret_token", callback_url: "http://127.0.0.1:1/cb" })
    expect(res.data.payment_url.endsWith(/** @type {any} */ (stored).uuid)).toBe(true)
  })

  it("generates a 30-character token and increments ids", async () => {
    const a = await create()
    const b = await create({ order_id: 42 })
    expect(a.data.token).toMatch(/^[A-Za-z0-9]{30}$/)
    expect(b.data.id).toBe(a.data.id + 1)
    expect(b.data.order_id).toBe("42")
    const other = await client(sim.url, "second_token").post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: 1, price_currency: "USD" })
    expect(other.data.orderable_id).toBe(2)
  })

  it("accepts form-encoded bodies with nested shopper fields", async () => {
    const res = await api.post(
      "/v2/orders",
      "title=Order+%231&description=1+x+Item&price_amount=3.125&price_currency=KWD&receive_currency=DO_NOT_CONVERT&shopper[email]=a%40b.c&shopper[first_name]=Ann",
      { headers: { "Content-Type": "application/x-www-form-urlencoded" } },
    )
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ price_amount: "3.125", price_currency: "KWD", receive_currency: "DO_NOT_CONVERT", do_not_convert: true })
    expect(sim.getOrder(res.data.id)?.shopper).toEqual({ email: "a@b.c", first_name: "Ann" })
  })

  it("keeps every decimal digit of the price", async () => {
    expect((await create({ price_amount: "1050", price_currency: "JPY" })).data.price_amount).toBe("1050.0")
    expect((await create({ price_amount: "3.125", price_currency: "KWD" })).data.price_amount).toBe("3.125")
    expect((await create({ price_amount: "10.50", price_currency: "EUR" })).data.price_amount).toBe("10.5")
    expect((await create({ price_amount: 19.99, price_currency: "USD" })).data.price_amount).toBe("19.99")
  })

  it("rejects invalid orders with 422 OrderIsNotValid and the list of errors", async () => {
    const res = await create({ price_amount: "0", price_currency: "XXX", title: "no", callback_url: "not a url" })
    expect(res.status).toBe(422)
    expect(res.data).toEqual({
      message: "Order is not valid",
      reason: "OrderIsNotValid",
      errors: [
        "Price amount must be greater than 0",
        "Price currency is not valid",
        "Title is too short (minimum is 3 characters)",
        "Callback url is not a valid URL",
      ],
    })
    expect(sim.listOrders()).toHaveLength(0)
  })

  it("answers malformed JSON with 400 and bodies over 1 MB with 413", async () => {
    const bad = await api.post("/v2/orders", "{nope", { headers: { "Content-Type": "application/json" } })
    expect(bad.status).toBe(400)
    expect(bad.data.reason).toBe("BadRequest")
    const huge = await create({ description: "x".repeat(1024 * 1024 + 10) })
    expect(huge.status).toBe(413)
  })
})

describe("reading orders", () => {
  it("GET returns the superset shape but never the token", async () => {
    const { data: created } = await create({ token: "hidden" })
    await sim.pay(created.id, { kind: "full", payCurrency: "ETH" })
    const res = await api.get(`/v2/orders/${created.id}`)
    expect(res.status).toBe(200)
    expect(res.data.token).toBeUndefined()
    expect(res.data.callback_url).toBeUndefined()
    expect(res.data).toMatchObject({
      id: created.id, status: "paid", pay_currency: "ETH", pay_amount: "0.0042", receive_amount: "10.39",
      fees: [{ type: "processing_fee", amount: "0.11", currency: { id: 11, symbol: "EUR" } }],
    })
    expect(res.data.uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.data.payment_address).toMatch(/^0x[0-9a-f]{40}$/)
    expect(res.data.blockchain_transactions[0]).toMatchObject({
      amount: "0.0042", status: "confirmed",
      currency: { symbol: "ETH", platform: { id: 4, title: "Ethereum" } },
    })
    for (const f of ["expire_at", "paid_at", "conversion_rate", "underpaid_amount", "overpaid_amount"]) {
      expect(res.data).toHaveProperty(f)
    }
  })

  it("answers unknown ids with 404 OrderNotFound", async () => {
    for (const id of ["999999", "abc"]) {
      const res = await api.get(`/v2/orders/${id}`)
      expect(res.status).toBe(404)
      expect(res.data).toEqual({ message: "Order not found", reason: "OrderNotFound" })
    }
  })

  it("lists with pagination, sort and status filter", async () => {
    const ids = []
    for (let i = 0; i < 5; i++) ids.push((await create({ order_id: `c${i}` })).data.id)
    await sim.setStatus(ids[1], "paid", { callback: false })
    await sim.setStatus(ids[3], "paid", { callback: false })

    const all = await api.get("/v2/orders")
    expect(all.data).toMatchObject({ current_page: 1, per_page: 100, total_orders: 5, total_pages: 1 })
    expect(all.data.orders.map((/** @type {any} */ o) => o.id)).toEqual([...ids].reverse())
    expect(all.data.orders[0].token).toBeUndefined()

    const page2 = await api.get("/v2/orders", { params: { per_page: 2, page: 2, sort: "created_at_asc" } })
    expect(page2.data).toMatchObject({ current_page: 2, per_page: 2, total_orders: 5, total_pages: 3 })
    expect(page2.data.orders.map((/** @type {any} */ o) => o.id)).toEqual([ids[2], ids[3]])

    const paid = await api.get("/v2/orders", { params: { status: "paid" } })
    expect(paid.data.orders.map((/** @type {any} */ o) => o.id).sort()).toEqual([ids[1], ids[3]])
    expect((await api.get("/v2/orders", { params: { per_page: 500 } })).data.per_page).toBe(100)
  })

  it("filters by created_at and paid_at ranges (dates or ISO times)", async () => {
    const a = (await create()).data.id
    await sim.setStatus(a, "paid", { callback: false })
    const today = new Date().toISOString().slice(0, 10)
    const q = (/** @type {Record<string, string>} */ params) => api.get("/v2/orders", { params }).then((r) => r.data.total_orders)
    expect(await q({ "created_at[from]": today, "created_at[to]": today })).toBe(1)
    expect(await q({ "created_at[from]": "2000-01-01", "created_at[to]": "2000-01-02" })).toBe(0)
    expect(await q({ "paid_at[from]": new Date(Date.now() - 60_000).toISOString() })).toBe(1)
    expect(await q({ "paid_at[to]": "2000-01-01" })).toBe(0)
    expect((await api.get("/v2/orders", { params: { "created_at[from]": "garbage" } })).status).toBe(400)
  })
})

describe("rate limiting and extras", () => {
  it("answers 429 RateLimitExceeded past the per-minute limit", async () => {
    const limited = await startSimulator({ rateLimitPerMinute: 3 })
    try {
      const c = client(limited.url)
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push((await c.get("/v2/auth/test")).status)
      expect(statuses).toEqual([200, 200, 200, 429, 429])
      const res = await c.get("/v2/ping")
      expect(res.data).toEqual({ message: "API request limit is exceeded", reason: "RateLimitExceeded" })
    } finally {
      await limited.close()
    }
  })

  it("counts requests per route and logs them", async () => {
    await create()
    await api.get("/v2/orders")
    await client(sim.url, "bad").get("/v2/orders")
    const stats = sim.stats()
    expect(stats.requests).toBe(3)
    expect(stats.byRoute).toEqual({ "POST /v2/orders": 1, "GET /v2/orders": 2 })
    expect(sim.requestLog.map((r) => r.status)).toEqual([200, 200, 401])
  })

  it("serves public merchant rates as plain text", async () => {
    const res = await client(sim.url, null).get("/v2/rates/merchant/EUR/BTC", { responseType: "text" })
    expect(res.headers["content-type"]).toMatch(/^text\/plain/)
    expect(res.data).toBe("0.00002")
  })
})
