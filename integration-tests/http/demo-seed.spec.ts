import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import seedDemo from "../../src/scripts/seed-demo"
import { checkCart, startCoinGatePayment, storeClient, watchCoinGateReturn } from "../../src/storefront"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { COINGATE, completeCart } from "../helpers/store"

jest.setTimeout(240_000)

const { sim, backendUrl } = useSimulator()

/**
 * The demo store as the backend of a real storefront (dtc-starter): what its checkout asks, in
 * its order, through the store API only: regions, a cart with a product, an address, the shipping
 * options for the cart, a shipping method, a CoinGate session, the order.
 */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let seed: any
    let headers: Record<string, string>
    beforeAll(async () => {
      const lines: string[] = []
      const write = process.stdout.write.bind(process.stdout)
      ;(process.stdout as any).write = (chunk: any, ...rest: any[]) => {
        lines.push(String(chunk))
        return write(chunk, ...rest)
      }
      try {
        await seedDemo({ container: getContainer(), args: [] } as any)
        // Idempotent: a second run (every `npm run demo`) changes nothing and does not fail.
        await seedDemo({ container: getContainer(), args: [] } as any)
      } finally {
        ;(process.stdout as any).write = write
      }
      const line = lines.join("").split("\n").reverse().find((l) => l.startsWith("DEMO_SEED_RESULT "))!
      seed = JSON.parse(line.slice("DEMO_SEED_RESULT ".length))
      headers = { "x-publishable-api-key": seed.publishable_key }
    })

    it("offers a shipping option for a cart in every seeded region, and a storefront's checkout places a paid order", async () => {
      const { data: regions } = await api.get("/store/regions?fields=id,name,currency_code,*countries", { headers })
      const demoRegions = regions.regions.filter((r: any) => r.name.endsWith("(crypto demo)"))
      expect(demoRegions.map((r: any) => r.currency_code).sort()).toEqual(["eur", "gbp", "usd"])
      expect(demoRegions.flatMap((r: any) => r.countries.map((c: any) => c.iso_2))).toContain("dk")

      const { data: products } = await api.get(`/store/products?fields=id,title,*variants`, { headers })
      const sticker = products.products.find((p: any) => p.title === "Sticker pack")
      for (const region of demoRegions) {
        const country = region.countries[0].iso_2
        const { data: created } = await api.post(
          "/store/carts",
          { region_id: region.id, email: "shopper@example.com", items: [{ variant_id: sticker.variants[0].id, quantity: 2 }] },
          { headers }
        )
        const cartId = created.cart.id
        const address = { first_name: "Ada", last_name: "Shopper", address_1: "Main street 1", city: "Town", postal_code: "12345", country_code: country }
        await api.post(`/store/carts/${cartId}`, { shipping_address: address, billing_address: address }, { headers })
        const { data: options } = await api.get(`/store/shipping-options?cart_id=${cartId}`, { headers })
        expect(options.shipping_options.length).toBeGreaterThan(0)
        await api.post(`/store/carts/${cartId}/shipping-methods`, { option_id: options.shipping_options[0].id }, { headers })

        const { data: pc } = await api.post("/store/payment-collections", { cart_id: cartId }, { headers })
        const { data: withSession } = await api.post(
          `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
          { provider_id: COINGATE, data: { email: "shopper@example.com" } },
          { headers }
        )
        const session = withSession.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
        const invoice = sim().getOrder(session.data.coingate_order_id)
        expect(invoice.title).toBe("CoinGate demo store: 2 × Sticker pack")
        expect(invoice.price_currency).toBe(region.currency_code.toUpperCase())
        await sim().setStatus(session.data.coingate_order_id, "paid", { callback: false })
        const done = await completeCart(api, { headers } as any, cartId)
        expect(done.data.type).toBe("order")
        expect(done.data.order.shipping_methods).toHaveLength(1)
      }
    })

    it("the storefront helper: one invoice per checkout, the return page places the order, a closed tab finds it", async () => {
      const client = storeClient({ backendUrl: backendUrl(), publishableKey: seed.publishable_key })
      const { data: products } = await api.get(`/store/products?fields=id,title,*variants`, { headers })
      const shirt = products.products.find((p: any) => p.title === "Satoshi T-shirt")
      const { data: created } = await api.post("/store/carts", { region_id: seed.region_id, email: "shopper@example.com", items: [{ variant_id: shirt.variants[0].id, quantity: 1 }] }, { headers })
      const cartId = created.cart.id
      const address = { first_name: "Ada", last_name: "Shopper", address_1: "Main street 1", city: "Copenhagen", postal_code: "1000", country_code: "dk" }
      await api.post(`/store/carts/${cartId}`, { shipping_address: address, billing_address: address }, { headers })
      const { data: options } = await api.get(`/store/shipping-options?cart_id=${cartId}`, { headers })
      await api.post(`/store/carts/${cartId}/shipping-methods`, { option_id: options.shipping_options[0].id }, { headers })

      // dtc-starter starts the payment when the shopper continues to review, and again at "Pay with crypto".
      const successUrl = "http://localhost:8000/coingate/return?cart_id={cart_id}&session_id={session_id}"
      const before = sim().listOrders().length
      const first = await startCoinGatePayment(client, { cartId, successUrl })
      const second = await startCoinGatePayment(client, { cartId, successUrl })
      expect(first.reused).toBe(false)
      expect(second).toMatchObject({ reused: true, paymentUrl: first.paymentUrl })
      expect(second.session.id).toBe(first.session.id)
      expect(sim().listOrders().length).toBe(before + 1)

      // A changed cart (quantity 2): a new invoice for the new total.
      const { data: withItems } = await api.get(`/store/carts/${cartId}?fields=*items`, { headers })
      await api.post(`/store/carts/${cartId}/line-items/${withItems.cart.items[0].id}`, { quantity: 2 }, { headers })
      const third = await startCoinGatePayment(client, { cartId, successUrl })
      expect(third.reused).toBe(false)
      expect(third.session.id).not.toBe(first.session.id)
      expect(sim().getOrder(third.session.data.coingate_order_id!).title).toBe("CoinGate demo store: 2 × Satoshi T-shirt")

      // The shopper pays; the return page's watcher completes the cart and shows the order's number.
      await sim().setStatus(third.session.data.coingate_order_id!, "confirming", { callback: false })
      const views: string[] = []
      const result = await watchCoinGateReturn(client, { sessionId: third.session.id, cartId, onView: (v) => views.push(v.kind), firstDelayMs: 200, budgetMs: 20_000 })
      // The sync itself placed the order (the backend applies what CoinGate says); the page never says "not seen".
      expect(views).not.toContain("not_paid")
      expect(result.view).toMatchObject({ kind: "confirming" })
      expect(result.view!.displayId).toEqual(expect.any(Number))
      await sim().setStatus(third.session.data.coingate_order_id!, "paid", { callback: false })
      const paid = await watchCoinGateReturn(client, { sessionId: third.session.id, cartId, onView: () => {}, firstDelayMs: 200, budgetMs: 20_000 })
      expect(paid.view).toMatchObject({ kind: "placed", orderId: result.view!.orderId, displayId: result.view!.displayId })

      // The shopper who closed the tab comes back: the cart is an order, the storefront clears its cookie.
      expect(await checkCart(client, cartId)).toEqual({ kind: "completed", cartId, orderId: result.view!.orderId, displayId: result.view!.displayId })
      const { data: other } = await api.post("/store/carts", { region_id: seed.region_id }, { headers })
      expect(await checkCart(client, other.cart.id)).toEqual({ kind: "open", cartId: other.cart.id })
    })
  },
})
