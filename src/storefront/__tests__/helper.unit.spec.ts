import { StoreApiError, storeClient, type StoreClient } from "../client"
import { checkCart } from "../completed-cart"
import { watchCoinGateReturn } from "../return-watch"
import { reusableSession, startCoinGatePayment, type CartForPayment } from "../session"

const RETURN = "https://shop.example/coingate/return?cart_id={cart_id}&session_id={session_id}"

const session = (over: Record<string, any> = {}) => ({
  id: "payses_1",
  provider_id: "pp_coingate_coingate",
  status: "pending",
  amount: 28.9,
  currency_code: "eur",
  data: { payment_url: "https://pay.example/i/1", coingate_status: "new", success_url: RETURN, cancel_url: RETURN, ...over.data },
  ...over,
  ...(over.data ? { data: { payment_url: "https://pay.example/i/1", coingate_status: "new", success_url: RETURN, cancel_url: RETURN, ...over.data } } : {}),
})
const cart = (sessions: any[], over: Partial<CartForPayment> = {}): CartForPayment => ({
  id: "cart_1",
  total: 28.9,
  currency_code: "eur",
  region_id: "reg_1",
  email: "a@example.com",
  completed_at: null,
  payment_collection: { id: "pay_col_1", payment_sessions: sessions },
  ...over,
})

/** A fake store API: answers by "METHOD path" prefix, records calls. */
function fakeStore(routes: Record<string, (body: any) => any>) {
  const calls: string[] = []
  const client: StoreClient = async (path, { method = "GET", body } = {}) => {
    const key = `${method} ${path}`
    calls.push(key)
    const route = Object.keys(routes).find((k) => key.startsWith(k))
    if (!route) throw new Error(`unexpected ${key}`)
    return routes[route](body)
  }
  return { client, calls }
}

describe("one CoinGate invoice per checkout", () => {
  it("reuses the cart's open invoice for the same total, currency, flow and return URLs", () => {
    expect(reusableSession(cart([session()]), { successUrl: RETURN })?.id).toBe("payses_1")
    expect(reusableSession(cart([session()], { total: 30 }), { successUrl: RETURN })).toBeNull()
    expect(reusableSession(cart([session()], { currency_code: "usd" }), { successUrl: RETURN })).toBeNull()
    expect(reusableSession(cart([session({ data: { coingate_status: "expired" } })]), { successUrl: RETURN })).toBeNull()
    expect(reusableSession(cart([session({ status: "canceled" })]), { successUrl: RETURN })).toBeNull()
    expect(reusableSession(cart([session()]), { successUrl: RETURN, flow: "order_first" })).toBeNull()
    expect(reusableSession(cart([session()]), { successUrl: "https://shop.example/other" })).toBeNull()
    expect(reusableSession(cart([session({ provider_id: "pp_system_default" })]), { successUrl: RETURN })).toBeNull()
  })

  it("creates no second session when the storefront asks twice", async () => {
    const { client, calls } = fakeStore({ "GET /store/carts/cart_1": () => ({ cart: cart([session()]) }) })
    const started = await startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN })
    expect(started).toMatchObject({ reused: true, paymentUrl: "https://pay.example/i/1" })
    expect(calls.filter((c) => c.startsWith("POST"))).toEqual([])
  })

  it("creates the collection and a session with the return URLs and email when there is none", async () => {
    let sent: any
    const { client, calls } = fakeStore({
      "GET /store/carts/cart_1": () => ({ cart: cart([], { payment_collection: null }) }),
      "GET /store/payment-providers": () => ({ payment_providers: [{ id: "pp_system_default" }, { id: "pp_coingate_cg" }] }),
      "POST /store/payment-collections/pay_col_9/payment-sessions": (body) => {
        sent = body
        return { payment_collection: { payment_sessions: [session({ provider_id: "pp_coingate_cg" })] } }
      },
      "POST /store/payment-collections": () => ({ payment_collection: { id: "pay_col_9" } }),
    })
    const started = await startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN })
    expect(started.reused).toBe(false)
    expect(sent).toEqual({ provider_id: "pp_coingate_cg", data: { success_url: RETURN, cancel_url: RETURN, email: "a@example.com" } })
    expect(calls.some((c) => c.startsWith("POST /store/carts"))).toBe(false)
  })

  it("refuses a completed cart", async () => {
    const { client } = fakeStore({ "GET /store/carts/cart_1": () => ({ cart: cart([], { completed_at: "2026-01-01" }) }) })
    await expect(startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN })).rejects.toThrow(/already an order/)
  })
})

describe("the return page's watcher", () => {
  const noSleep = async () => {}

  it("completes the cart once when CoinGate says confirming, then shows the order with its display number", async () => {
    const answers = [
      { coingate_status: "confirming", state: "pending", order_id: null },
      { coingate_status: "new", state: "pending", order_id: null }, // a stale answer: no step back
      { coingate_status: "confirming", state: "awaiting_payment", order_id: "order_1" },
      { coingate_status: "paid", state: "captured", order_id: "order_1" },
    ]
    const syncBodies: any[] = []
    const { client, calls } = fakeStore({
      "POST /store/coingate/payment-sessions/payses_1/sync": (body) => {
        syncBodies.push(body)
        return answers.shift()
      },
      "POST /store/carts/cart_1/complete": () => ({ type: "cart", error: { message: "not yet" } }),
      "GET /store/orders/order_1": () => ({ order: { id: "order_1", display_id: 42 } }),
    })
    const seen: any[] = []
    const result = await watchCoinGateReturn(client, { sessionId: "payses_1", cartId: "cart_1", onView: (v) => seen.push(v), sleep: noSleep })
    expect(seen.map((v) => v.kind)).toEqual(["placing", "placing", "confirming", "placed"])
    expect(calls.filter((c) => c.includes("/complete"))).toHaveLength(1)
    expect(result).toMatchObject({ timedOut: false, view: { kind: "placed", displayId: 42 } })
    expect(calls.filter((c) => c.startsWith("GET /store/orders"))).toHaveLength(1)
    // Every status check names the cart: the session id alone gets no order id (issue 22, finding 7).
    expect(syncBodies).toEqual(Array(4).fill({ cart_id: "cart_1" }))
  })

  it("waits for Retry-After on a 503, bounded, and gives up when the budget is spent", async () => {
    let t = 0
    const waits: number[] = []
    const { client } = fakeStore({
      "POST /store/coingate/payment-sessions/payses_1/sync": () => {
        throw new StoreApiError("CoinGate unavailable", 503, "coingate_unavailable", 120_000)
      },
    })
    const result = await watchCoinGateReturn(client, {
      sessionId: "payses_1",
      cartId: "cart_1",
      onView: () => {},
      budgetMs: 100_000,
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms)
        t += ms
      },
    })
    expect(result.timedOut).toBe(true)
    expect(waits.every((w) => w === 30_000)).toBe(true)
    expect(waits).toHaveLength(3)
  })
})

describe("a cart completed while the shopper was away", () => {
  it("is reported with its order, so the storefront clears the cart cookie", async () => {
    const { client } = fakeStore({
      "GET /store/carts/cart_1": () => ({ cart: { id: "cart_1", completed_at: "2026-01-01T00:00:00Z" } }),
      "POST /store/carts/cart_1/complete": () => ({ type: "order", order: { id: "order_1", display_id: 7 } }),
    })
    expect(await checkCart(client, "cart_1")).toEqual({ kind: "completed", cartId: "cart_1", orderId: "order_1", displayId: 7 })
  })

  it("an open cart is left alone (no completion call), a missing one is reported", async () => {
    const { client, calls } = fakeStore({ "GET /store/carts/cart_1": () => ({ cart: { id: "cart_1", completed_at: null } }) })
    expect(await checkCart(client, "cart_1")).toEqual({ kind: "open", cartId: "cart_1" })
    expect(calls).toEqual(["GET /store/carts/cart_1?fields=id,completed_at"])
    const missing = fakeStore({
      "GET /store/carts/cart_x": () => {
        throw new StoreApiError("not found", 404)
      },
    })
    expect(await checkCart(missing.client, "cart_x")).toEqual({ kind: "missing", cartId: "cart_x" })
  })
})

describe("storeClient", () => {
  it("sends the publishable key and parses Medusa's errors and Retry-After", async () => {
    const seen: any[] = []
    const fetch = (async (url: string, init: any) => {
      seen.push({ url, init })
      return new Response(JSON.stringify({ type: "coingate_unavailable", message: "try later" }), { status: 503, headers: { "retry-after": "7" } })
    }) as any
    const client = storeClient({ backendUrl: "http://localhost:9000/", publishableKey: "pk_1", fetch })
    const err = await client("/store/x", { method: "POST" }).catch((e) => e)
    expect(err).toBeInstanceOf(StoreApiError)
    expect(err).toMatchObject({ status: 503, type: "coingate_unavailable", retryAfterMs: 7000, message: "try later" })
    expect(seen[0].url).toBe("http://localhost:9000/store/x")
    expect(seen[0].init.headers["x-publishable-api-key"]).toBe("pk_1")
    expect(() => storeClient({ backendUrl: "localhost:9000", publishableKey: "pk" })).toThrow(/http/)
  })
})
