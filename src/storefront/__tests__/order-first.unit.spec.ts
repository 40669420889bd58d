import type { StoreClient } from "../client"
import { copyCart } from "../copy-cart"
import { startCoinGatePayment, type CartForPayment } from "../session"

const RETURN = "https://shop.example/dk/coingate/return?cart_id={cart_id}&session_id={session_id}"

const orderFirstSession = {
  id: "payses_1",
  provider_id: "pp_coingate_coingate",
  status: "pending",
  amount: 28.9,
  currency_code: "eur",
  data: { payment_url: "https://pay.example/i/1", coingate_status: "new", success_url: RETURN, cancel_url: RETURN, flow: "order_first" as const },
}
const cart = (sessions: any[]): CartForPayment => ({
  id: "cart_1",
  total: 28.9,
  currency_code: "eur",
  region_id: "reg_1",
  email: "a@example.com",
  completed_at: null,
  payment_collection: { id: "pay_col_1", payment_sessions: sessions },
})

/** A fake store API: answers by "METHOD path" prefix, records calls and bodies. */
function fakeStore(routes: Record<string, (body: any) => any>) {
  const calls: { key: string; body: any }[] = []
  const client: StoreClient = async (path, { method = "GET", body } = {}) => {
    const key = `${method} ${path}`
    calls.push({ key, body })
    const route = Object.keys(routes).find((k) => key.startsWith(k))
    if (!route) throw new Error(`unexpected ${key}`)
    return routes[route](body)
  }
  return { client, posts: () => calls.filter((c) => c.key.startsWith("POST")) }
}

describe("order first: the payment step makes the invoice, the pay button places the order", () => {
  const routes = (sessions: any[]) => ({
    "GET /store/carts/cart_1": () => ({ cart: cart(sessions) }),
    "GET /store/payment-providers": () => ({ payment_providers: [{ id: "pp_coingate_coingate" }] }),
    "POST /store/payment-collections/pay_col_1/payment-sessions": () => ({ payment_collection: { payment_sessions: [orderFirstSession] } }),
    "POST /store/carts/cart_1/complete": () => ({ type: "order", order: { id: "order_1" } }),
  })

  it("placeOrder: false makes the order-first invoice and places no order", async () => {
    const { client, posts } = fakeStore(routes([]))
    const started = await startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN, flow: "order_first", placeOrder: false })
    expect(started).toMatchObject({ reused: false, orderId: null })
    expect(posts().map((c) => c.key)).toEqual(["POST /store/payment-collections/pay_col_1/payment-sessions"])
    expect(posts()[0].body.data.flow).toBe("order_first")
  })

  it("reusing that invoice still places the order (no second invoice)", async () => {
    const { client, posts } = fakeStore(routes([orderFirstSession]))
    const started = await startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN, flow: "order_first" })
    expect(started).toMatchObject({ reused: true, orderId: "order_1", paymentUrl: "https://pay.example/i/1" })
    expect(posts().map((c) => c.key)).toEqual(["POST /store/carts/cart_1/complete"])
  })

  it("a new order-first invoice places the order; redirect first never completes the cart", async () => {
    const first = fakeStore(routes([]))
    expect((await startCoinGatePayment(first.client, { cartId: "cart_1", successUrl: RETURN, flow: "order_first" })).orderId).toBe("order_1")
    const redirect = fakeStore(routes([]))
    expect((await startCoinGatePayment(redirect.client, { cartId: "cart_1", successUrl: RETURN, placeOrder: true })).orderId).toBeNull()
    expect(redirect.posts().some((c) => c.key.endsWith("/complete"))).toBe(false)
  })

  it("an order that cannot be placed is an error, not a redirect to an invoice", async () => {
    const { client } = fakeStore({ ...routes([orderFirstSession]), "POST /store/carts/cart_1/complete": () => ({ type: "cart", error: { message: "Out of stock" } }) })
    await expect(startCoinGatePayment(client, { cartId: "cart_1", successUrl: RETURN, flow: "order_first" })).rejects.toThrow("Out of stock")
  })
})

describe("copyCart: Try again after a canceled order-first order", () => {
  const completed = {
    id: "cart_1",
    region_id: "reg_1",
    email: "a@example.com",
    completed_at: "2026-12-01T10:00:00Z",
    items: [
      { id: "item_1", variant_id: "variant_1", quantity: 2, unit_price: 10, metadata: null },
      { id: "item_2", variant_id: null, quantity: 1 },
    ],
    shipping_address: { id: "addr_1", first_name: "Ada", last_name: "Shopper", address_1: "Main street 1", city: "Copenhagen", country_code: "dk", postal_code: "1000", created_at: "x", province: null },
    billing_address: null,
    shipping_methods: [{ id: "sm_1", shipping_option_id: "so_1", amount: 5, data: {} }],
    promotions: [{ id: "promo_1", code: "WELCOME" }],
  }

  it("makes a new cart with the items, email, address, shipping option and codes, and nothing internal", async () => {
    const { client, posts } = fakeStore({
      "GET /store/carts/cart_1": () => ({ cart: completed }),
      "POST /store/carts/cart_2/promotions": () => ({ cart: { id: "cart_2" } }),
      "POST /store/carts/cart_2/shipping-methods": () => ({ cart: { id: "cart_2" } }),
      "POST /store/carts": () => ({ cart: { id: "cart_2" } }),
    })
    expect(await copyCart(client, "cart_1")).toBe("cart_2")
    const [create, promotions, shipping] = posts()
    expect(create).toEqual({
      key: "POST /store/carts",
      body: {
        region_id: "reg_1",
        email: "a@example.com",
        items: [{ variant_id: "variant_1", quantity: 2 }],
        shipping_address: { first_name: "Ada", last_name: "Shopper", address_1: "Main street 1", city: "Copenhagen", country_code: "dk", postal_code: "1000" },
      },
    })
    expect(promotions.body).toEqual({ promo_codes: ["WELCOME"] })
    expect(shipping.body).toEqual({ option_id: "so_1" })
  })

  it("keeps the copy when a promotion or shipping option no longer applies; refuses a cart with no items", async () => {
    const { client } = fakeStore({
      "GET /store/carts/cart_1": () => ({ cart: completed }),
      "POST /store/carts/cart_2/": () => {
        throw new Error("not applicable")
      },
      "POST /store/carts": () => ({ cart: { id: "cart_2" } }),
    })
    expect(await copyCart(client, "cart_1")).toBe("cart_2")
    const empty = fakeStore({ "GET /store/carts/cart_1": () => ({ cart: { ...completed, items: [] } }) })
    await expect(copyCart(empty.client, "cart_1")).rejects.toThrow(/no items/)
  })
})
