import { CoinGateApiError, CoinGateBudgetError, CoinGateClient } from "../client"
import { SharedRequestBudget, withRequestClass } from "../request-budget"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../simulator")

const TOKEN = "cg_unit_budget_token"
const ORDER_PATH = /^\/v2\/orders\/\d+$/

let sim: any
const client = (over: Partial<ConstructorParameters<typeof CoinGateClient>[0]> = {}) =>
  new CoinGateClient({ apiOrigin: sim.url, apiToken: TOKEN, timeoutMs: 2000, backoffMs: 5, ...over })
const reads = () => sim.requestLog.filter((r: any) => r.route === "GET /v2/orders/:id")
const newOrder = (c: CoinGateClient) =>
  c.createOrder({ order_id: "payses_b", price_amount: "5.00", price_currency: "EUR", title: "Order", description: "Payment", token: "t" } as any)

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: [TOKEN] })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

describe("CoinGate client: 429 and the request budget", () => {
  it("waits CoinGate's Retry-After (seconds) before retrying, and pauses the budget for the others", async () => {
    const c = client()
    const { id } = await newOrder(c)
    sim.injectFault({ method: "GET", path: ORDER_PATH, kind: "429", times: 1, retryAfter: "2" })
    const read = c.getOrder(id)
    await new Promise((r) => setTimeout(r, 300))
    // Meanwhile the budget is paused: a public read would have to wait.
    expect(c.budget.pausedFor(Date.now())).toBeGreaterThan(1000)
    await expect(read).resolves.toMatchObject({ id })
    const [limited, retried] = reads()
    expect(limited.status).toBe(429)
    expect(Date.parse(retried.at) - Date.parse(limited.at)).toBeGreaterThanOrEqual(1900)
  })

  it("reads an HTTP-date Retry-After", async () => {
    const c = client()
    const { id } = await newOrder(c)
    sim.injectFault({ method: "GET", path: ORDER_PATH, kind: "429", times: 1, retryAfter: new Date(Date.now() + 3000).toUTCString() })
    await expect(c.getOrder(id)).resolves.toMatchObject({ id })
    const [limited, retried] = reads()
    expect(Date.parse(retried.at) - Date.parse(limited.at)).toBeGreaterThanOrEqual(1000)
  })

  it("does not hold a request for a long Retry-After: gives up at once, and the public class is refused meanwhile", async () => {
    const c = client()
    const { id } = await newOrder(c)
    sim.injectFault({ method: "GET", path: ORDER_PATH, kind: "429", times: 1, retryAfter: "60" })
    await expect(c.getOrder(id)).rejects.toMatchObject({ status: 429, transient: true })
    expect(reads()).toHaveLength(1)
    const refused = await withRequestClass("public", () => c.getOrder(id)).catch((e) => e)
    expect(refused).toBeInstanceOf(CoinGateBudgetError)
    expect(refused).toBeInstanceOf(CoinGateApiError)
    expect(refused).toMatchObject({ transient: true, requestClass: "public", status: undefined })
    expect(refused.retryAfterMs).toBeGreaterThan(50_000)
    // Nothing was sent for it; callbacks still go.
    expect(reads()).toHaveLength(1)
    await expect(c.getOrder(id)).resolves.toMatchObject({ id })
  })

  it("refuses a class past its share without sending, and counts every attempt", async () => {
    const budget = new SharedRequestBudget({ public: 2 })
    const c = client({ budget })
    const { id } = await withRequestClass("callback", () => newOrder(c))
    sim.injectFault({ method: "GET", path: ORDER_PATH, kind: "503", times: 1 })
    // One admitted read with one retry: two requests of the public share.
    await withRequestClass("public", () => c.getOrder(id))
    expect(budget.used(Date.now(), "public")).toBe(2)
    await expect(withRequestClass("public", () => c.getOrder(id))).rejects.toBeInstanceOf(CoinGateBudgetError)
    expect(reads()).toHaveLength(2)
    // Callbacks are not held to the public share.
    await expect(c.getOrder(id)).resolves.toMatchObject({ id })
  })

  it("counts the simulator's own rate limit: 429 with Retry-After once its minute is spent", async () => {
    const limited = await startSimulator({ apiTokens: [TOKEN], rateLimitPerMinute: 2 })
    try {
      const c = new CoinGateClient({ apiOrigin: limited.url, apiToken: TOKEN, timeoutMs: 2000, readRetries: 0 })
      await c.testAuth()
      await c.testAuth()
      const error = await c.testAuth().catch((e) => e)
      expect(error).toMatchObject({ status: 429 })
      const last = limited.requestLog[limited.requestLog.length - 1]
      expect(last.status).toBe(429)
      // The client paused for the Retry-After the simulator sent (about a minute).
      expect(c.budget.pausedFor(Date.now())).toBeGreaterThan(50_000)
    } finally {
      await limited.close()
    }
  })
})
