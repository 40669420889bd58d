import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import seedDemo from "../../src/scripts/seed-demo"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { COINGATE, completeCart } from "../helpers/store"

jest.setTimeout(240_000)

const { sim } = useSimulator()

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
  },
})
