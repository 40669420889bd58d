// @ts-check
"use strict"

/**
 * The simulator against CoinGate's own reference, one row per documented behaviour.
 *
 * Each row names where the behaviour is documented (`ref`: a file of github.com/coingate/openapi and
 * its section, or of shared/docs/coingate-api.md when only that summary states it) and checks it over
 * HTTP against a running simulator (conformance.unit.spec.js starts it and runs every row).
 * Rows use jest's `expect`. `ctx` is built by the spec:
 *   ctx.api     axios client with a valid token (any status resolves)
 *   ctx.pub     axios client without a token
 *   ctx.sim     the simulator (JS API, to move orders the way a shopper would)
 *   ctx.order(body?)  creates an order (a valid body with `body` merged) and resolves to the response data
 *   ctx.receiver      callback receiver ({ url, received, waitFor(n), setResponder(fn) })
 *   ctx.start(options) starts another simulator with `options` (closed after the row)
 *
 * @typedef {{ api: import("axios").AxiosInstance, pub: import("axios").AxiosInstance, sim: any,
 *   order: (body?: Record<string, unknown>) => Promise<any>, receiver: any,
 *   start: (options: Record<string, unknown>) => Promise<{ sim: any, api: import("axios").AxiosInstance }> }} Ctx
 * @typedef {{ id: string, ref: string, says: string, check: (ctx: Ctx) => Promise<void> }} Row
 */

const V2 = "reference/v2.json"
const CALLBACKS_MD = "reference/Documentation/api-callbacks.md"
const CALLBACKS_YAML = "reference/api-callbacks.yaml"
const LIMITS_MD = "reference/Documentation/api-limits-and-quotas.md"
const SUMMARY = "shared/docs/coingate-api.md"

const LEDGER_EUR = "01JNQWKKJ6WXN8BZT1Y66B6EUR"
const LEDGER_BTC = "01JNQWKKJ6WXN8BZT1Y66B6BTC"

/** @param {any} sim @param {number} id */
const paid = async (sim, id) => {
  await sim.pay(id)
  return sim.getOrder(id)
}

/** @type {Row[]} */
const ROWS = [
  // ---- Create order -------------------------------------------------------------------------------
  {
    id: "create.required",
    ref: `${V2} paths./orders.post requestBody (required: price_amount, price_currency, title, description)`,
    says: "an order without price_amount, price_currency, title or description is 422 OrderIsNotValid with errors[]",
    async check({ api }) {
      const res = await api.post("/v2/orders", {})
      expect(res.status).toBe(422)
      expect(res.data).toMatchObject({ message: "Order is not valid", reason: "OrderIsNotValid" })
      expect(res.data.errors).toEqual(expect.arrayContaining([
        "Price amount can't be blank", "Price currency can't be blank", "Title can't be blank", "Description can't be blank",
      ]))
      const untitled = await api.post("/v2/orders", { price_amount: "10", price_currency: "EUR", description: "1 x Item" })
      expect(untitled.status).toBe(422)
      const undescribed = await api.post("/v2/orders", { price_amount: "10", price_currency: "EUR", title: "Order" })
      expect(undescribed.status).toBe(422)
    },
  },
  {
    id: "create.shape",
    ref: `${V2} paths./orders.post responses.200 (example)`,
    says: "the created order has CoinGate's fields, status new, the token, and empty refunds/voids/fees/blockchain_transactions",
    async check({ order }) {
      const o = await order({ token: "my_token" })
      expect(o).toMatchObject({
        status: "new", do_not_convert: false, orderable_type: "ApiApp", lightning_network: false,
        underpaid_amount: "0", overpaid_amount: "0", receive_amount: "0", is_refundable: false,
        refunds: [], voids: [], fees: [], blockchain_transactions: [], token: "my_token",
      })
      for (const f of ["id", "title", "orderable_id", "price_currency", "price_amount", "receive_currency", "created_at", "order_id", "payment_url"]) {
        expect(o).toHaveProperty(f)
      }
      expect(o.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
    },
  },
  {
    id: "create.token-generated",
    ref: `${V2} paths./orders.post requestBody token ("Your custom token"), responses.200 example token`,
    says: "without a token of its own the merchant gets one CoinGate generated (30 characters in the example)",
    async check({ order }) {
      const o = await order()
      expect(o.token).toMatch(/^[A-Za-z0-9]{30}$/)
    },
  },
  {
    id: "amounts.price",
    ref: `${V2} paths./orders.post responses.200 example (price_amount "10.0")`,
    says: "price_amount is answered BigDecimal-style: 10 -> \"10.0\", 10.50 -> \"10.5\", 1369 -> \"1369.0\"",
    async check({ order }) {
      expect((await order({ price_amount: "10" })).price_amount).toBe("10.0")
      expect((await order({ price_amount: "10.50" })).price_amount).toBe("10.5")
      expect((await order({ price_amount: 1369 })).price_amount).toBe("1369.0")
      expect((await order({ price_amount: "0.20" })).price_amount).toBe("0.2")
    },
  },
  {
    id: "create.no-coin-yet",
    ref: `${V2} paths./orders.post responses.200 example (no pay_currency, pay_amount, expire_at, payment_address)`,
    says: "a new order has no coin fields: pay_currency, pay_amount, payment_address, expire_at appear only after the shopper's choice",
    async check({ api, order }) {
      const o = await order()
      const got = (await api.get(`/v2/orders/${o.id}`)).data
      for (const f of ["pay_currency", "pay_amount", "payment_address", "expire_at", "paid_at", "conversion_rate", "payment_request_uri", "platform"]) {
        expect(o).not.toHaveProperty(f)
        expect(got).not.toHaveProperty(f)
      }
    },
  },
  {
    id: "create.order-id-empty",
    ref: `${V2} paths./orders.get responses.200 example (order_id "")`,
    says: "an order created without order_id answers order_id \"\" (never null)",
    async check({ api, order }) {
      const o = await order({ order_id: undefined })
      expect(o.order_id).toBe("")
      expect((await api.get(`/v2/orders/${o.id}`)).data.order_id).toBe("")
    },
  },
  {
    id: "quota.orders",
    ref: `${LIMITS_MD} "Merchant Order Creation"`,
    says: "500 orders an hour per business; the next is 422 OrderIsNotValid \"Order limit exceeded (contact support to increase)\"",
    async check({ start }) {
      const { api } = await start({ rateLimitPerMinute: 0 })
      const body = { price_amount: "1", price_currency: "EUR", title: "Order", description: "1 x Item" }
      for (let i = 0; i < 500; i++) expect((await api.post("/v2/orders", body)).status).toBe(200)
      const over = await api.post("/v2/orders", body)
      expect(over.status).toBe(422)
      expect(over.data).toEqual({ message: "Order is not valid", reason: "OrderIsNotValid", errors: ["Order limit exceeded (contact support to increase)"] })
    },
  },
  {
    id: "limits.requests",
    ref: `${LIMITS_MD} "API Requests"`,
    says: "200 requests a minute on public and private endpoints alike; then 429 {message: \"API request limit is exceeded\", reason: RateLimitExceeded}",
    async check({ start }) {
      const { api } = await start({})
      for (let i = 0; i < 100; i++) expect((await api.get("/v2/ping")).status).toBe(200)
      for (let i = 0; i < 100; i++) expect((await api.get("/v2/auth/test")).status).toBe(200)
      const over = await api.get("/v2/ping")
      expect(over.status).toBe(429)
      expect(over.data).toEqual({ message: "API request limit is exceeded", reason: "RateLimitExceeded" })
    },
  },

  // ---- Base URLs and authentication -----------------------------------------------------------------
  {
    id: "base.api-v2",
    ref: `${V2} servers (https://api.coingate.com/api/v2)`,
    says: "the API is served under /api/v2 as well as /v2",
    async check({ api, order }) {
      const o = await order()
      expect((await api.get(`/api/v2/orders/${o.id}`)).data.id).toBe(o.id)
      expect((await api.get(`/v2/orders/${o.id}`)).data.id).toBe(o.id)
      expect((await api.post("/api/v2/orders", { price_amount: "1", price_currency: "EUR", title: "Order", description: "1 x Item" })).status).toBe(200)
    },
  },
  {
    id: "auth.bad-token",
    ref: `${CALLBACKS_YAML} components.responses.Unauthorized; ${V2} paths./ledger/accounts.get responses.401`,
    says: "a missing or wrong token is 401 {message: \"Auth Token is not valid\", reason: BadAuthToken}",
    async check({ pub }) {
      for (const headers of [{}, { Authorization: "Token nope" }]) {
        const res = await pub.get("/v2/orders", { headers })
        expect(res.status).toBe(401)
        expect(res.data).toEqual({ message: "Auth Token is not valid", reason: "BadAuthToken" })
      }
    },
  },
  {
    id: "auth.token-scheme",
    ref: `${CALLBACKS_YAML} components.securitySchemes.ApiToken ("Authorization: Token YOUR_API_TOKEN")`,
    says: "the token is accepted as \"Authorization: Token <token>\"",
    async check({ pub, sim }) {
      const res = await pub.get("/v2/auth/test", { headers: { Authorization: `Token ${sim.options.apiTokens[0]}` } })
      expect(res.status).toBe(200)
    },
  },

  // ---- Get and list orders --------------------------------------------------------------------------
  {
    id: "get.not-found",
    ref: `${V2} paths./orders/{id}.get responses.404`,
    says: "an unknown order is 404 {message: \"Order not found\", reason: OrderNotFound}",
    async check({ api }) {
      const res = await api.get("/v2/orders/999999999")
      expect(res.status).toBe(404)
      expect(res.data).toEqual({ message: "Order not found", reason: "OrderNotFound" })
    },
  },
  {
    id: "get.paid-shape",
    ref: `${V2} paths./orders/{id}.get responses.200 example (a paid order)`,
    says: "a paid order shows pay_currency, pay_amount, expire_at, paid_at, payment_address, payment_url, payment_request_uri, conversion_rate, fees, blockchain_transactions and ledger_transactions, and no token",
    async check({ api, order, sim }) {
      const o = await order()
      await paid(sim, o.id)
      const got = (await api.get(`/v2/orders/${o.id}`)).data
      expect(got).toMatchObject({ status: "paid", payment_gateway: "coingate", pay_currency: "BTC" })
      for (const f of ["pay_amount", "expire_at", "paid_at", "payment_address", "payment_request_uri", "conversion_rate", "uuid"]) expect(got).toHaveProperty(f)
      expect(got.fees).toEqual([{ type: "processing_fee", amount: expect.any(String), currency: { id: expect.any(Number), symbol: "EUR" } }])
      expect(got.blockchain_transactions[0]).toMatchObject({ id: expect.any(Number), txid: expect.any(String), amount: expect.any(String), status: expect.any(String), network_confirmations: expect.any(Number), currency: { symbol: "BTC", platform: { id: expect.any(Number), title: "Bitcoin" } } })
      expect(got).not.toHaveProperty("token")
    },
  },
  {
    id: "amounts.pay",
    ref: `${V2} paths./orders.get responses.200 example (pay_amount "0.0009822")`,
    says: "pay_amount and the other crypto amounts carry no trailing zeros (10.50 EUR at 50000 EUR/BTC is \"0.00021\")",
    async check({ api, order, sim }) {
      const o = await order({ price_amount: "10.50" })
      await sim.chooseCoin(o.id, "BTC")
      expect((await api.get(`/v2/orders/${o.id}`)).data.pay_amount).toBe("0.00021")
    },
  },
  {
    id: "get.conversion-rate",
    ref: `${V2} paths./orders/{id}.get responses.200 example (conversion_rate "20566.0" for a BTC payment priced in EUR)`,
    says: "conversion_rate is what one coin costs in the price currency, BigDecimal-style",
    async check({ api, order, sim }) {
      const o = await order({ price_currency: "EUR" })
      await sim.chooseCoin(o.id, "BTC")
      expect((await api.get(`/v2/orders/${o.id}`)).data.conversion_rate).toBe("50000.0") // the simulator's fixed rate
    },
  },
  {
    id: "get.ledger-transactions",
    ref: `${V2} paths./orders/{id}.get responses.200 example (ledger_transactions: merchant_order, fee)`,
    says: "GET shows ledger_transactions[] ({id, type, credited_amount, debited_amount, purpose}): empty until paid, then merchant_order and fee",
    async check({ api, order, sim }) {
      const o = await order({ price_amount: "100" })
      expect((await api.get(`/v2/orders/${o.id}`)).data.ledger_transactions).toEqual([])
      await paid(sim, o.id)
      const lt = (await api.get(`/v2/orders/${o.id}`)).data.ledger_transactions
      expect(lt).toEqual([
        { id: expect.stringMatching(/^[0-9A-Z]{26}$/), type: "merchant_order", credited_amount: "0", debited_amount: "100.0", purpose: `Order ID #${o.id} 100.0 EUR` },
        { id: expect.stringMatching(/^[0-9A-Z]{26}$/), type: "fee", credited_amount: "1.0", debited_amount: "0", purpose: `Order ID #${o.id} processing fee 1.0 EUR` },
      ])
    },
  },
  {
    id: "get.no-coin-after-cancel",
    ref: `${V2} paths./orders.get responses.200 example (order 537: canceled, no coin fields)`,
    says: "an order canceled or expired before a coin was chosen has no pay_currency, pay_amount, payment_address, expire_at (GET and callback)",
    async check({ api, order, sim, receiver }) {
      for (const status of ["canceled", "expired"]) {
        const o = await order({ callback_url: receiver.url })
        const before = receiver.received.length
        await sim.setStatus(o.id, status)
        const got = (await api.get(`/v2/orders/${o.id}`)).data
        expect(got.status).toBe(status)
        for (const f of ["pay_currency", "pay_amount", "payment_address", "expire_at"]) expect(got).not.toHaveProperty(f)
        await receiver.waitFor(before + 1)
        const body = receiver.received[before].body
        expect(body.status).toBe(status)
        for (const f of ["pay_currency", "pay_amount", "payment_address", "expire_at"]) expect(body).not.toHaveProperty(f)
      }
    },
  },
  {
    id: "list.shape",
    ref: `${V2} paths./orders.get parameters and responses.200`,
    says: "GET /orders pages ({current_page, per_page, total_orders, total_pages, orders}), per_page at most 100, sorted created_at_desc by default",
    async check({ api, order }) {
      const a = await order()
      const b = await order()
      const page = (await api.get("/v2/orders", { params: { per_page: 1 } })).data
      expect(page).toMatchObject({ current_page: 1, per_page: 1, total_orders: expect.any(Number), total_pages: expect.any(Number) })
      expect(page.orders[0].id).toBe(b.id)
      const asc = (await api.get("/v2/orders", { params: { sort: "created_at_asc", per_page: 500 } })).data
      expect(asc.per_page).toBe(100)
      expect(asc.orders.findIndex((/** @type {any} */ x) => x.id === a.id)).toBeLessThan(asc.orders.findIndex((/** @type {any} */ x) => x.id === b.id))
    },
  },
  {
    id: "list.filters",
    ref: `${V2} paths./orders.get parameters (status, created_at[from], created_at[to], paid_at[from], paid_at[to])`,
    says: "GET /orders filters by status, created_at and paid_at (dates YYYY-MM-DD, inclusive)",
    async check({ api, order, sim }) {
      const o = await order()
      await paid(sim, o.id)
      const today = new Date().toISOString().slice(0, 10)
      const ids = async (/** @type {Record<string, string>} */ params) => (await api.get("/v2/orders", { params })).data.orders.map((/** @type {any} */ x) => x.id)
      expect(await ids({ status: "paid" })).toContain(o.id)
      expect(await ids({ status: "new" })).not.toContain(o.id)
      expect(await ids({ "created_at[from]": today, "created_at[to]": today })).toContain(o.id)
      expect(await ids({ "paid_at[from]": today })).toContain(o.id)
      expect(await ids({ "created_at[to]": "2000-01-01" })).not.toContain(o.id)
    },
  },
  {
    id: "get.blockchain-transactions",
    ref: `${V2} paths./orders/{order_id}/blockchain_transactions.get and /orders/{order_id}/blockchain_transactions/:id.get`,
    says: "an order's transactions page as {current_page, per_page, total_transactions, total_pages, transactions}; one transaction by its id",
    async check({ api, order, sim }) {
      const o = await order()
      await paid(sim, o.id)
      const page = (await api.get(`/v2/orders/${o.id}/blockchain_transactions`)).data
      expect(page).toMatchObject({ current_page: 1, per_page: 100, total_transactions: 1, total_pages: 1 })
      const tx = page.transactions[0]
      expect(tx).toMatchObject({ id: expect.any(Number), txid: expect.any(String), amount: expect.any(String), network_confirmations: expect.any(Number), currency: { symbol: "BTC" } })
      expect((await api.get(`/v2/orders/${o.id}/blockchain_transactions/${tx.id}`)).data).toEqual(tx)
    },
  },

  // ---- Checkout -------------------------------------------------------------------------------------
  {
    id: "checkout.not-found",
    ref: `${V2} paths./orders/{id}/checkout.post responses.422 ("Order does not exist", OrderNotFound)`,
    says: "checkout of an unknown order is 422 {message: \"Order does not exist\", reason: OrderNotFound}",
    async check({ api }) {
      const res = await api.post("/v2/orders/999999999/checkout", { pay_currency: "BTC", platform_id: 2 })
      expect(res.status).toBe(422)
      expect(res.data).toEqual({ message: "Order does not exist", reason: "OrderNotFound" })
    },
  },
  {
    id: "checkout.not-enabled",
    ref: `${SUMMARY} §2.4 (checkout "only enabled for selected merchants on request; otherwise 422")`,
    says: "for a merchant without white-label checkout, checkout is 422 and the order stays new",
    async check({ api, order, sim }) {
      const o = await order()
      const res = await api.post(`/v2/orders/${o.id}/checkout`, { pay_currency: "BTC", platform_id: 2 })
      expect(res.status).toBe(422)
      expect(res.data.reason).toBe("OrderIsNotValid")
      expect(sim.getOrder(o.id).status).toBe("new")
    },
  },
  {
    id: "checkout.enabled",
    ref: `${V2} paths./orders/{id}/checkout.post (required pay_currency, platform_id; responses.200 example)`,
    says: "with checkout enabled the order becomes pending with pay_currency, pay_amount, payment_address, expire_at, payment_request_uri, conversion_rate and platform",
    async check({ start }) {
      const { api } = await start({ checkout: true })
      const o = (await api.post("/v2/orders", { price_amount: "0.2", price_currency: "EUR", title: "Order", description: "1 x Item" })).data
      expect((await api.post(`/v2/orders/${o.id}/checkout`, { pay_currency: "BTC" })).status).toBe(422)
      const res = await api.post(`/v2/orders/${o.id}/checkout`, { pay_currency: "BTC", platform_id: 2 })
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ status: "pending", pay_currency: "BTC", pay_amount: "0.000004", platform: { id: 2, title: "Bitcoin", id_name: "bitcoin" } })
      for (const f of ["payment_address", "expire_at", "payment_request_uri", "conversion_rate"]) expect(res.data).toHaveProperty(f)
      expect(Date.parse(res.data.expire_at) - Date.parse(res.data.created_at)).toBeGreaterThanOrEqual(19 * 60_000)
    },
  },

  // ---- Callbacks ------------------------------------------------------------------------------------
  {
    id: "callback.form",
    ref: `${CALLBACKS_MD} "Callback Format" (POST; form encoding or JSON per API app)`,
    says: "callbacks are POSTed form-encoded by default with the order's fields and its token",
    async check({ order, sim, receiver }) {
      const o = await order({ callback_url: receiver.url, token: "cb_token" })
      const before = receiver.received.length
      await paid(sim, o.id) // pending, confirming, paid: three callbacks
      await receiver.waitFor(before + 3)
      const last = receiver.received[receiver.received.length - 1]
      expect(last.method).toBe("POST")
      expect(last.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/)
      expect(last.body).toMatchObject({ id: String(o.id), status: "paid", price_amount: o.price_amount, price_currency: "EUR", pay_currency: "BTC", token: "cb_token" })
      for (const f of ["order_id", "receive_currency", "receive_amount", "pay_amount", "created_at", "paid_at"]) expect(last.body).toHaveProperty(f)
    },
  },
  {
    id: "callback.json",
    ref: `${CALLBACKS_MD} "Callback Format" (JSON, application/json)`,
    says: "an API app set to JSON gets application/json callbacks",
    async check({ order, sim, receiver }) {
      const o = await order({ callback_url: receiver.url })
      const before = receiver.received.length
      await sim.sendCallback(o.id, { format: "json" })
      await receiver.waitFor(before + 1)
      expect(receiver.received[before].headers["content-type"]).toMatch(/^application\/json/)
      expect(receiver.received[before].body.id).toBe(o.id)
    },
  },
  {
    id: "callback.amount-style",
    ref: `${CALLBACKS_YAML} listApiCallbackRetries example (callback_params price_amount '5.0', pay_amount '0.00009606')`,
    says: "callback amounts are rendered like the API's (5 -> \"5.0\")",
    async check({ order, sim, receiver }) {
      const o = await order({ price_amount: "5", callback_url: receiver.url })
      const before = receiver.received.length
      await paid(sim, o.id) // pending, confirming, paid: three callbacks
      await receiver.waitFor(before + 3)
      const body = receiver.received[receiver.received.length - 1].body
      expect(body.price_amount).toBe("5.0")
      expect(body.pay_amount).toBe("0.0001")
    },
  },
  {
    id: "callback.delivered",
    ref: `${CALLBACKS_MD} "Callback Retry Schedule" (sent until 200 OK or 204 No Content)`,
    says: "a 200 or 204 answer delivers a callback; any other answer is retried",
    async check({ start, receiver }) {
      const { sim, api } = await start({ retryDelaysMs: [5, 5] })
      const answers = [500, 204]
      receiver.setResponder(() => ({ status: answers.shift() ?? 200 }))
      const o = (await api.post("/v2/orders", { price_amount: "1", price_currency: "EUR", title: "Order", description: "1 x Item", callback_url: receiver.url })).data
      await sim.sendCallback(o.id)
      const deadline = Date.now() + 3000
      while (sim.callbackLog.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
      expect(sim.callbackLog.map((/** @type {any} */ c) => [c.status, c.outcome])).toEqual([[500, "retrying"], [204, "delivered"]])
    },
  },
  {
    id: "callback.terminated",
    ref: `${CALLBACKS_MD} "Conditions for Canceling and Terminating Payment Notifications" (301, 302, 401, 403)`,
    says: "a 301, 302, 401 or 403 answer ends delivery at once",
    async check({ start, receiver }) {
      for (const status of [301, 302, 401, 403]) {
        const { sim, api } = await start({ retryDelaysMs: [5, 5, 5] })
        receiver.setResponder(() => ({ status }))
        const o = (await api.post("/v2/orders", { price_amount: "1", price_currency: "EUR", title: "Order", description: "1 x Item", callback_url: receiver.url })).data
        await sim.sendCallback(o.id)
        await new Promise((r) => setTimeout(r, 60))
        expect(sim.callbackLog.map((/** @type {any} */ c) => c.outcome)).toEqual(["stopped"])
      }
    },
  },
  {
    id: "callback.schedule",
    ref: `${CALLBACKS_MD} "Retry Policy for Payment Notifications" (1-5 every 1 min ... 36-40 every 1 day, 41+ terminated)`,
    says: "retries follow CoinGate's schedule: 5 x 1 min, 5 x 5 min, 5 x 10 min, 5 x 20 min, 5 x 30 min, 5 x 1 h, 5 x 5 h, 5 x 1 day, then none",
    async check({ start }) {
      const { sim } = await start({})
      const min = 60_000
      const expected = [1, 5, 10, 20, 30, 60, 300, 1440].flatMap((m) => Array(5).fill(m * min))
      expect(sim.options.retryDelaysMs).toEqual(expected)
    },
  },
  {
    id: "callback.timeout",
    ref: `${CALLBACKS_MD} "Notification Response Timeout" (20 seconds)`,
    says: "CoinGate waits 20 s for the merchant's answer",
    async check({ start }) {
      const { sim } = await start({})
      expect(sim.options.callbackTimeoutMs).toBe(20_000)
    },
  },
  {
    id: "callback.no-creation-callback",
    ref: `${CALLBACKS_MD} (sent "whenever the order status ... changes")`,
    says: "creating an order sends no callback; each status change sends one",
    async check({ order, sim, receiver }) {
      const before = receiver.received.length
      const o = await order({ callback_url: receiver.url })
      await new Promise((r) => setTimeout(r, 30))
      expect(receiver.received.length).toBe(before)
      await sim.chooseCoin(o.id)
      await receiver.waitFor(before + 1)
      expect(receiver.received[before].body.status).toBe("pending")
    },
  },

  // ---- API callbacks log ----------------------------------------------------------------------------
  {
    id: "api-callbacks.list",
    ref: `${CALLBACKS_YAML} paths./api_callbacks.get (listApiCallbacks)`,
    says: "GET /api_callbacks lists {id, callbackable_type, callbackable_id, status, retries, created_at}, newest first, filtered by callbackable_type and callbackable_id, as {current_page, per_page, total_api_callbacks, total_pages, api_callbacks}",
    async check({ api, order, sim, receiver }) {
      const o = await order({ callback_url: receiver.url })
      const before = receiver.received.length
      await paid(sim, o.id) // pending, confirming, paid: three callbacks
      await receiver.waitFor(before + 3)
      const res = (await api.get("/v2/api_callbacks", { params: { callbackable_type: "Order", callbackable_id: o.id } })).data
      expect(res).toMatchObject({ current_page: 1, per_page: 100, total_api_callbacks: 3, total_pages: 1 })
      expect(res.api_callbacks).toHaveLength(3)
      expect(res.api_callbacks[0]).toEqual({ id: expect.any(Number), callbackable_type: "Order", callbackable_id: o.id, status: "success", retries: 1, created_at: expect.stringMatching(/\+00:00$/) })
      expect(res.api_callbacks[0].id).toBeGreaterThan(res.api_callbacks[1].id)
      expect((await api.get("/v2/api_callbacks", { params: { callbackable_type: "SendRequest", callbackable_id: o.id } })).data.api_callbacks).toEqual([])
    },
  },
  {
    id: "api-callbacks.per-page",
    ref: `${CALLBACKS_YAML} paths./api_callbacks.get parameters.per_page ("Defaults to 100, maximum 100. Values below 1 are clamped to 1.")`,
    says: "per_page defaults to 100, is at most 100 and at least 1",
    async check({ api }) {
      expect((await api.get("/v2/api_callbacks", { params: { per_page: 0 } })).data.per_page).toBe(1)
      expect((await api.get("/v2/api_callbacks", { params: { per_page: 1000 } })).data.per_page).toBe(100)
      expect((await api.get("/v2/api_callbacks")).data.per_page).toBe(100)
    },
  },
  {
    id: "api-callbacks.retries",
    ref: `${CALLBACKS_YAML} paths./api_callbacks/{id}/retries.get (listApiCallbackRetries)`,
    says: "GET /api_callbacks/:id/retries lists the attempts newest first ({id uuid, api_callback_id, response_status as a string, callback_params with token [FILTERED], created_at}); an unknown id is 404 ApiCallbackNotFound",
    async check({ api, start, receiver }) {
      const { sim, api: other } = await start({ retryDelaysMs: [5] })
      const answers = [500, 200]
      receiver.setResponder(() => ({ status: answers.shift() ?? 200 }))
      const o = (await other.post("/v2/orders", { price_amount: "1", price_currency: "EUR", title: "Order", description: "1 x Item", callback_url: receiver.url, token: "secret" })).data
      await sim.sendCallback(o.id)
      const deadline = Date.now() + 3000
      while (sim.callbackLog.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
      const cb = (await other.get("/v2/api_callbacks")).data.api_callbacks[0]
      expect(cb).toMatchObject({ status: "success", retries: 2 })
      const { retries } = (await other.get(`/v2/api_callbacks/${cb.id}/retries`)).data
      expect(retries.map((/** @type {any} */ r) => r.response_status)).toEqual(["200", "500"])
      expect(retries[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), api_callback_id: cb.id, callback_params: { id: o.id, token: "[FILTERED]" } })
      const missing = await api.get("/v2/api_callbacks/999999999/retries")
      expect(missing.status).toBe(404)
      expect(missing.data).toEqual({ message: "API callback not found", reason: "ApiCallbackNotFound" })
    },
  },

  // ---- Public endpoints -----------------------------------------------------------------------------
  {
    id: "public.ping",
    ref: `${V2} paths./ping.get ("This endpoint is public"; example {ping: "pong", time})`,
    says: "GET /ping answers {ping: \"pong\", time} without a token",
    async check({ pub }) {
      const res = await pub.get("/v2/ping")
      expect(res.status).toBe(200)
      expect(res.data).toEqual({ ping: "pong", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/) })
    },
  },
  {
    id: "public.rate",
    ref: `${V2} paths./rates/merchant/{from}/{to}.get (public, text/plain "7469.5")`,
    says: "GET /rates/merchant/:from/:to answers the rate as plain text, without a token",
    async check({ pub }) {
      const res = await pub.get("/v2/rates/merchant/BTC/EUR", { transformResponse: (/** @type {string} */ x) => x })
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toMatch(/^text\/plain/)
      expect(String(res.data)).toBe("50000.0")
    },
  },
  {
    id: "public.rates",
    ref: `${V2} paths./rates.get (list-rates: {merchant: {FROM: {TO: rate}}, trader: {buy, sell}})`,
    says: "GET /rates lists merchant and trader (buy, sell) rates as strings, without a token",
    async check({ pub }) {
      const { data } = await pub.get("/v2/rates")
      expect(data.merchant.BTC.EUR).toBe("50000.0")
      expect(data.merchant.EUR.BTC).toBe("0.00002")
      expect(data.trader.buy.BTC.EUR).toEqual(expect.any(String))
      expect(data.trader.sell.EUR.BTC).toEqual(expect.any(String))
    },
  },
  {
    id: "public.currencies.shape",
    ref: `${V2} paths./currencies.get responses.200 example`,
    says: "each currency is {id, title, kind, symbol, native, disabled, disabled_message, merchant {price, pay, receive}}, crypto ones with platforms[{id, id_name, title, enabled}], fiat ones without",
    async check({ pub }) {
      const { data } = await pub.get("/v2/currencies")
      const btc = data.find((/** @type {any} */ c) => c.symbol === "BTC")
      const eur = data.find((/** @type {any} */ c) => c.symbol === "EUR")
      expect(btc).toEqual({ id: expect.any(Number), title: "Bitcoin", kind: "crypto", symbol: "BTC", native: true, disabled: false, disabled_message: null, merchant: { price: true, pay: true, receive: true }, platforms: [{ id: expect.any(Number), id_name: "bitcoin", title: "Bitcoin", enabled: true }] })
      expect(eur).toEqual({ id: expect.any(Number), title: "Euro", kind: "fiat", symbol: "EUR", native: true, disabled: false, disabled_message: null, merchant: { price: true, pay: false, receive: true } })
    },
  },
  {
    id: "public.currencies.filters",
    ref: `${V2} paths./currencies.get parameters (native, enabled, merchant_pay, merchant_receive, kind, symbol)`,
    says: "GET /currencies filters by native, enabled, merchant_pay, merchant_receive, kind and symbol",
    async check({ pub }) {
      const symbols = async (/** @type {Record<string, string>} */ params) => (await pub.get("/v2/currencies", { params })).data.map((/** @type {any} */ c) => c.symbol)
      expect(await symbols({ merchant_pay: "true" })).toEqual(["BTC", "LTC", "ETH", "USDT", "USDC"])
      expect(await symbols({ merchant_pay: "false" })).toContain("EUR")
      expect(await symbols({ merchant_pay: "false" })).not.toContain("BTC")
      expect(await symbols({ symbol: "btc" })).toEqual(["BTC"])
      expect(await symbols({ kind: "fiat", symbol: "BTC" })).toEqual([])
      expect(await symbols({ native: "false" })).toEqual([])
      expect(await symbols({ enabled: "true", merchant_receive: "true" })).toContain("EUR")
      expect(await symbols({ enabled: "false" })).toEqual([])
    },
  },
  {
    id: "public.platforms",
    ref: `${V2} paths./platforms.get responses.200 example`,
    says: "GET /platforms lists {id, title, id_name, disabled, disabled_message, currencies[{id, title, symbol, enabled}]}, without a token",
    async check({ pub }) {
      const { data } = await pub.get("/v2/platforms", { params: { enabled: "true" } })
      const bitcoin = data.find((/** @type {any} */ p) => p.id_name === "bitcoin")
      expect(bitcoin).toEqual({ id: expect.any(Number), title: "Bitcoin", id_name: "bitcoin", disabled: false, disabled_message: null, currencies: [{ id: expect.any(Number), title: "Bitcoin", symbol: "BTC", enabled: true }] })
      expect(data.find((/** @type {any} */ p) => p.id_name === "tron").currencies.map((/** @type {any} */ c) => c.symbol)).toEqual(["USDT", "USDC"])
    },
  },
  {
    id: "public.ips",
    ref: `${CALLBACKS_MD} "IP Addresses" (public, "Each IP address is listed on a new line")`,
    says: "GET /ips-v4 lists the callback source IPs as plain text, one a line, without a token",
    async check({ pub }) {
      const res = await pub.get("/v2/ips-v4")
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toMatch(/^text\/plain/)
      for (const line of String(res.data).split("\n")) expect(line).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    },
  },

  // ---- Refunds --------------------------------------------------------------------------------------
  {
    id: "refunds.amounts",
    ref: `${V2} paths./orders/{id}.get responses.200 example refunds[] (request_amount "10.0", refund_amount "0.0004862")`,
    says: "a refund's request_amount and refund_amount are answered BigDecimal-style (5.00 -> \"5.0\")",
    async check({ api, order, sim }) {
      const o = await order({ price_amount: "100" })
      await paid(sim, o.id)
      const res = await api.post(`/v2/orders/${o.id}/refunds`, { amount: "5.00", address: "bc1qrefund", currency_id: 1, platform_id: 2, reason: "Broken", email: "a@b.co", ledger_account_id: LEDGER_EUR })
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ request_amount: "5.0", refund_amount: "0.0001", status: "pending", order: { id: o.id, price_amount: "100.0" } })
      expect((await api.get(`/v2/orders/${o.id}`)).data.refunds[0]).toMatchObject({ request_amount: "5.0" })
    },
  },
  {
    id: "refunds.sandbox-marks",
    ref: `${V2} paths./orders/{order_id}/refunds/{id}/mark_as_completed.patch and /mark_as_rejected.patch`,
    says: "the sandbox marks a refund completed or rejected and answers the refund object; the parent order becomes partially_refunded",
    async check({ api, order, sim }) {
      const o = await order({ price_amount: "100" })
      await paid(sim, o.id)
      const ask = { address: "bc1qrefund", currency_id: 1, platform_id: 2, reason: "Broken", email: "a@b.co", ledger_account_id: LEDGER_EUR }
      const a = (await api.post(`/v2/orders/${o.id}/refunds`, { ...ask, amount: "10" })).data
      const b = (await api.post(`/v2/orders/${o.id}/refunds`, { ...ask, amount: "20" })).data
      const done = await api.patch(`/v2/orders/${o.id}/refunds/${a.id}/mark_as_completed`)
      expect(done.status).toBe(200)
      expect(done.data).toMatchObject({ id: a.id, status: "completed", request_amount: "10.0", order: { id: o.id } })
      const rejected = await api.patch(`/v2/orders/${o.id}/refunds/${b.id}/mark_as_rejected`)
      expect(rejected.data).toMatchObject({ id: b.id, status: "rejected" })
      expect((await api.patch(`/v2/orders/${o.id}/refunds/${b.id}/mark_as_completed`)).status).toBe(422)
      const deadline = Date.now() + 2000
      while (sim.getOrder(o.id).status !== "partially_refunded" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
      expect((await api.get(`/v2/orders/${o.id}`)).data.status).toBe("partially_refunded")
    },
  },
  {
    id: "refunds.order-not-found",
    ref: `${V2} paths./orders/{order_id}/refunds/{id}.get responses.404 ("Order not found", OrderNotFound)`,
    says: "refunds of an unknown order are 404 OrderNotFound",
    async check({ api }) {
      const res = await api.get("/v2/orders/999999999/refunds/1")
      expect(res.status).toBe(404)
      expect(res.data).toEqual({ message: "Order not found", reason: "OrderNotFound" })
    },
  },

  // ---- Ledger ---------------------------------------------------------------------------------------
  {
    id: "ledger.accounts",
    ref: `${V2} paths./ledger/accounts.get responses.200 example`,
    says: "GET /ledger/accounts pages {current_page, per_page, total_accounts, total_pages, accounts[{id, balance, status, account_type, title, currency{id, title, kind, symbol, enabled, disabled_message}}]}",
    async check({ api }) {
      const { data } = await api.get("/v2/ledger/accounts")
      expect(data).toMatchObject({ current_page: 1, per_page: 100, total_accounts: data.accounts.length, total_pages: 1 })
      expect(data.accounts[0]).toEqual({ id: LEDGER_EUR, balance: expect.stringMatching(/^\d+\.\d+$/), status: "active", account_type: "main", title: expect.any(String), currency: { id: expect.any(Number), title: "Euro", kind: "fiat", symbol: "EUR", enabled: true, disabled_message: null } })
    },
  },
  {
    id: "ledger.transactions",
    ref: `${V2} paths./ledger/transactions.get (list-transactions: parameters and responses.200 example)`,
    says: "GET /ledger/transactions pages the journal ({current_page, per_page, sort, date_from, date_to, currency: \"all\", total_entries, total_pages, entries}); source_type + source_id select an order's entries",
    async check({ api, order, sim }) {
      const o = await order({ price_amount: "100" })
      await paid(sim, o.id)
      const { data } = await api.get("/v2/ledger/transactions", { params: { source_type: "Order", source_id: o.id } })
      expect(data).toMatchObject({ current_page: 1, per_page: 100, sort: "created_at_desc", date_from: "", date_to: "", currency: "all", total_entries: 2, total_pages: 1 })
      expect(data.entries.map((/** @type {any} */ e) => e.type)).toEqual(["fee", "merchant_order"])
      expect(data.entries[1]).toMatchObject({ source_type: "Order", source_id: String(o.id), credited_amount: "0", debited_amount: "100.0", currency: { symbol: "EUR" }, account: { id: LEDGER_EUR }, closing_balance: expect.any(String) })
      expect((await api.get("/v2/ledger/transactions", { params: { currency: "BTC", source_type: "Order", source_id: o.id } })).data.total_entries).toBe(0)
      expect((await api.get("/v2/ledger/transactions", { params: { source_type: "Order" } })).status).toBe(422)
    },
  },
  {
    id: "ledger.conversions",
    ref: `${V2} paths./ledger/conversions.post and .get, /ledger/conversions/{id}/confirm, /cancel, /{id}`,
    says: "a conversion is created pending with actions_required {confirm, cancel} (under /api/v2) and expires_at; confirm completes it, a second answer is 422 LedgerConversionIsNotValid; lists as {..., total_records, exchange_transactions}; unknown ids are 404 LedgerConversionNotFound",
    async check({ api }) {
      const created = await api.post("/v2/ledger/conversions", { ledger_account_id: LEDGER_EUR, quote_currency_id: 1, base_amount: "100" })
      expect(created.status).toBe(200)
      const c = created.data
      expect(c).toMatchObject({ status: "pending", base_amount: "100.0", base_ledger_account: { id: LEDGER_EUR }, quote_ledger_account: { id: LEDGER_BTC }, fees: { conversion_fee: { amount: "1.0" } } })
      expect(c.actions_required.confirm).toMatch(new RegExp(`/api/v2/ledger/conversions/${c.id}/confirm$`))
      expect(c.actions_required.cancel).toMatch(new RegExp(`/api/v2/ledger/conversions/${c.id}/cancel$`))
      expect(Date.parse(c.expires_at)).toBeGreaterThan(Date.parse(c.created_at))
      const done = await api.patch(`/v2/ledger/conversions/${c.id}/confirm`)
      expect(done.data.status).toBe("completed")
      expect(done.data).not.toHaveProperty("actions_required")
      const again = await api.patch(`/v2/ledger/conversions/${c.id}/cancel`)
      expect(again.status).toBe(422)
      expect(again.data).toEqual({ message: "Ledger Conversion is not valid", reason: "LedgerConversionIsNotValid", errors: ["Conversion can only be canceled when in 'pending' state. Current state: completed."] })
      const list = (await api.get("/v2/ledger/conversions")).data
      expect(list).toMatchObject({ current_page: 1, total_records: 1, total_pages: 1 })
      expect(list.exchange_transactions[0].id).toBe(c.id)
      const missing = await api.get("/v2/ledger/conversions/NOPE")
      expect(missing.status).toBe(404)
      expect(missing.data).toEqual({ message: "Ledger conversion not found", reason: "LedgerConversionNotFound" })
    },
  },
  {
    id: "ledger.conversion-pair",
    ref: `${V2} paths./ledger/conversions.post responses.422 ("The BTC/GBP conversion pair is not supported on CoinGate.")`,
    says: "a conversion into a currency the merchant has no account for is 422 LedgerConversionIsNotValid naming the pair",
    async check({ api }) {
      const res = await api.post("/v2/ledger/conversions", { ledger_account_id: LEDGER_BTC, quote_currency_id: 13, base_amount: "0.001" })
      expect(res.status).toBe(422)
      expect(res.data).toEqual({ message: "Ledger Conversion is not valid", reason: "LedgerConversionIsNotValid", errors: ["The BTC/GBP conversion pair is not supported on CoinGate."] })
    },
  },
  {
    id: "withdrawals.list",
    ref: `${SUMMARY} §6.3 (GET /v2/withdrawals, GET /v2/withdrawals/{id}, read-only)`,
    says: "withdrawals are listed (none are made through the API) and an unknown one is 404",
    async check({ api }) {
      const list = await api.get("/v2/withdrawals")
      expect(list.status).toBe(200)
      expect(list.data).toMatchObject({ current_page: 1, per_page: 100, total_pages: 0 })
      expect((await api.get("/v2/withdrawals/1")).status).toBe(404)
    },
  },

  // ---- Payouts (send requests) ----------------------------------------------------------------------
  {
    id: "beneficiaries.shape",
    ref: `${V2} paths./beneficiaries.post (create-beneficiary: form-encoded, required beneficiary_type, email, country (alpha3), currency_id, platform_id, crypto_address; person[first_name], person[surname]; responses.422 errors by field)`,
    says: "a beneficiary is a person[first_name]/person[surname] with an alpha-3 country; top-level names or an alpha-2 country are 422 BeneficiaryIsNotValid with errors keyed by field",
    async check({ api }) {
      const ok = await api.post("/v2/beneficiaries", { beneficiary_type: "person", person: { first_name: "Joe", surname: "Doe" }, email: "test@example.com", country: "LTU", currency_id: 1, platform_id: 2, crypto_address: "bc1qjoe" })
      expect(ok.status).toBe(200)
      expect(ok.data).toMatchObject({ beneficiary_type: "person", first_name: "Joe", surname: "Doe", country: "LTU", beneficiary_payout_settings: [{ crypto_address: "bc1qjoe", platform: { id: 2 }, currency: { id: 1 } }] })
      const old = await api.post("/v2/beneficiaries", { beneficiary_type: "person", first_name: "Joe", last_name: "Doe", email: "test@example.com", country: "LT", currency_id: 1, platform_id: 2, crypto_address: "bc1qjoe" })
      expect(old.status).toBe(422)
      expect(old.data).toMatchObject({ message: "Beneficiary is not valid", reason: "BeneficiaryIsNotValid" })
      expect(Object.keys(old.data.errors)).toEqual(["person[first_name]", "person[surname]", "country"])
    },
  },
  {
    id: "send-requests.shape",
    ref: `${V2} paths./send_requests.post (create-send: required fields, responses.200 example)`,
    says: "a send request answers input_amount BigDecimal-style and, when the coin differs from the account's currency, actions_required {confirm, cancel} under /api/v2/send_requests/:id",
    async check({ api }) {
      const b = (await api.post("/v2/beneficiaries", { beneficiary_type: "person", person: { first_name: "Joe", surname: "Doe" }, email: "joe@doe.co", country: "LTU", currency_id: 3, platform_id: 4, crypto_address: "0xabc" })).data
      const missing = await api.post("/v2/send_requests", {})
      expect(missing.status).toBe(422)
      expect(missing.data.reason).toBe("SendRequestIsNotValid")
      const res = await api.post("/v2/send_requests", { ledger_account_id: LEDGER_EUR, beneficiary_payout_setting_id: b.beneficiary_payout_settings[0].id, amount: "100.00", amount_currency_id: 11, purpose: "Refund" })
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ status: "draft", input_amount: "100.0", input_currency: { symbol: "EUR" }, sending_currency: { symbol: "ETH" }, requires_2fa_confirmation: false })
      expect(res.data.actions_required.confirm).toMatch(new RegExp(`/api/v2/send_requests/${res.data.id}/confirm$`))
      expect(res.data.actions_required.cancel).toMatch(new RegExp(`/api/v2/send_requests/${res.data.id}/cancel$`))
    },
  },
  {
    id: "send-requests.not-found",
    ref: `${V2} paths./send_requests/{id}.get responses.404 ("Send request not found", SendRequestNotFound)`,
    says: "an unknown send request is 404 SendRequestNotFound",
    async check({ api }) {
      const res = await api.get("/v2/send_requests/999999999")
      expect(res.status).toBe(404)
      expect(res.data).toEqual({ message: "Send request not found", reason: "SendRequestNotFound" })
    },
  },
  {
    id: "send-requests.list",
    ref: `${V2} paths./send_requests.get (list-send: {current_page, per_page, total_records, total_pages, send_requests})`,
    says: "GET /send_requests pages as {current_page, per_page, total_records, total_pages, send_requests}",
    async check({ api }) {
      expect((await api.get("/v2/send_requests")).data).toMatchObject({ current_page: 1, per_page: 100, total_records: expect.any(Number), total_pages: expect.any(Number), send_requests: expect.any(Array) })
    },
  },
]

module.exports = { ROWS }
