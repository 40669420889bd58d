import http from "http"
import type { AddressInfo } from "net"
import { CoinGateApiError, CoinGateClient } from "../client"
import { PLUGIN_VERSION } from "../version"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../simulator")

const TOKEN = "cg_unit_api_token_5f3a9b"

let sim: any
const client = (over: Partial<ConstructorParameters<typeof CoinGateClient>[0]> = {}) =>
  new CoinGateClient({ apiOrigin: sim.url, apiToken: TOKEN, timeoutMs: 2000, backoffMs: 5, ...over })

const orderBody = (over: Record<string, unknown> = {}) => ({
  order_id: "payses_1",
  price_amount: "10.50",
  price_currency: "EUR",
  title: "Order payses_1",
  description: "Payment for payses_1",
  callback_url: "http://127.0.0.1:1/hooks/coingate",
  token: "cb_token",
  ...over,
})

/** Runs `fn`, expecting a CoinGateApiError, and checks it carries no API token. */
async function apiError(fn: () => Promise<unknown>): Promise<CoinGateApiError> {
  try {
    await fn()
  } catch (e) {
    expect(e).toBeInstanceOf(CoinGateApiError)
    const error = e as CoinGateApiError
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(TOKEN)
    return error
  }
  throw new Error("expected a CoinGateApiError")
}

const requests = (route: string) => sim.requestLog.filter((r: any) => r.route === route)

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: [TOKEN] })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

describe("CoinGate client against the simulator", () => {
  it("creates, reads and lists orders", async () => {
    const created = await client().createOrder(orderBody())
    expect(created).toMatchObject({ status: "new", order_id: "payses_1", price_amount: "10.5", price_currency: "EUR" })
    expect(typeof created.id).toBe("number")
    expect(created.payment_url).toMatch(/\/invoice\//)
    const read = await client().getOrder(created.id)
    expect(read).toMatchObject({ id: created.id, status: "new", order_id: "payses_1" })
    const list = await client().listOrders({ per_page: 10 })
    expect(list.orders.map((o) => o.id)).toEqual([created.id])
    expect(list.total_orders).toBe(1)
  })

  it("checks credentials with /v2/auth/test: true for a good token, false on 401", async () => {
    expect(await client().testAuth()).toBe(true)
    expect(await client({ apiToken: "wrong" }).testAuth()).toBe(false)
  })

  describe("typed errors with CoinGate's status and reason", () => {
    it("401 BadAuthToken: not transient, token not in the message", async () => {
      const error = await apiError(() => client({ apiToken: "not_the_token" }).getOrder(1))
      expect(error).toMatchObject({ status: 401, reason: "BadAuthToken", transient: false })
      expect(error.message).toContain("401")
      expect(error.message).not.toContain("not_the_token")
    })

    it("404 OrderNotFound", async () => {
      const error = await apiError(() => client().getOrder(987654))
      expect(error).toMatchObject({ status: 404, reason: "OrderNotFound", transient: false, isNotFound: true })
      expect(requests("GET /v2/orders/:id")).toHaveLength(1)
    })

    it("422 OrderIsNotValid with CoinGate's validation errors", async () => {
      const error = await apiError(() => client().createOrder(orderBody({ price_amount: "" })))
      expect(error).toMatchObject({ status: 422, reason: "OrderIsNotValid", transient: false })
      expect(error.errors).toEqual(expect.arrayContaining([expect.stringMatching(/Price amount/)]))
      expect(error.message).toMatch(/Price amount/)
      expect(error.message).not.toContain("cb_token")
    })
  })

  describe("retries", () => {
    it.each(["500", "503", "429", "drop"])("retries a read after a %s and succeeds", async (kind) => {
      const { id } = await client().createOrder(orderBody())
      sim.injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind, times: 2 })
      await expect(client().getOrder(id)).resolves.toMatchObject({ id })
      expect(requests("GET /v2/orders/:id")).toHaveLength(3)
    })

    it("gives up after its retries with a transient error", async () => {
      const { id } = await client().createOrder(orderBody())
      sim.injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 10 })
      const error = await apiError(() => client({ readRetries: 2 }).getOrder(id))
      expect(error).toMatchObject({ status: 503, transient: true })
      expect(requests("GET /v2/orders/:id")).toHaveLength(3)
      // What the call cost, for callers that account for CoinGate's budget (reconciliation).
      expect(error.attempts).toBe(3)
    })

    it("does not retry 4xx answers", async () => {
      const error = await apiError(() => client().getOrder(424242))
      expect(requests("GET /v2/orders/:id")).toHaveLength(1)
      expect(error.attempts).toBe(1)
    })

    it("a read with no retries left says it sent one request", async () => {
      const { id } = await client().createOrder(orderBody())
      sim.injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 1 })
      const error = await apiError(() => client({ readRetries: 0 }).getOrder(id))
      expect(error.attempts).toBe(1)
      expect(await client({ readRetries: 1 }).getOrder(id)).toMatchObject({ id })
    })

    it.each(["500", "503", "429", "drop", "timeout"])("never retries order creation (%s): a retry could issue a second invoice", async (kind) => {
      sim.injectFault({ method: "POST", path: "/v2/orders", kind, times: 1 })
      const error = await apiError(() => client({ timeoutMs: 300 }).createOrder(orderBody()))
      expect(error.transient).toBe(true)
      expect(requests("POST /v2/orders")).toHaveLength(1)
      expect(sim.listOrders()).toHaveLength(0)
    })
  })

  describe("timeouts", () => {
    it("times out a read that never answers, then retries it", async () => {
      const { id } = await client().createOrder(orderBody())
      sim.injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "timeout", times: 1 })
      const started = Date.now()
      await expect(client({ timeoutMs: 200 }).getOrder(id)).resolves.toMatchObject({ id })
      expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    })

    it("reports a timeout as a transient error without an HTTP status", async () => {
      sim.injectFault({ method: "GET", path: "/v2/auth/test", kind: "timeout", times: 5 })
      const error = await apiError(() => client({ timeoutMs: 150, readRetries: 1 }).testAuth())
      expect(error).toMatchObject({ status: undefined, transient: true })
      expect(error.message).toMatch(/ECONNABORTED|timeout/i)
    })

    it("reports a refused connection as transient", async () => {
      const error = await apiError(() => new CoinGateClient({ apiOrigin: "http://127.0.0.1:1", apiToken: TOKEN, timeoutMs: 500, readRetries: 0 }).getOrder(1))
      expect(error).toMatchObject({ status: undefined, transient: true })
      expect(error.message).toMatch(/ECONNREFUSED/)
    })
  })
})

describe("CoinGate client request headers", () => {
  let server: http.Server
  let seen: http.IncomingHttpHeaders[] = []
  let origin = ""

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(200, { "Content-Type": "application/json" })
      res.end(JSON.stringify({ id: 1, status: "new", price_amount: "1.00", price_currency: "EUR" }))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  beforeEach(() => {
    seen = []
  })

  it("sends `Authorization: Token ...` and a User-Agent naming the plugin and its version", async () => {
    await new CoinGateClient({ apiOrigin: origin, apiToken: TOKEN, timeoutMs: 1000 }).getOrder(1)
    expect(seen[0].authorization).toBe(`Token ${TOKEN}`)
    expect(seen[0]["user-agent"]).toBe(`CoinGate/v2 (Medusa plugin medusa-payment-coingate v${PLUGIN_VERSION})`)
  })
})
