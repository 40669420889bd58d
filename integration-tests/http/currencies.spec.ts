import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { completeCart, createCart, orderOfCart, recordOf, seedStore, startCoinGatePayment } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/** Amounts in currencies with 0, 2 and 3 decimals, asked and checked exactly. */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    beforeEach(() => {
      sim().reset()
    })

    async function payInCurrency(currency: string, unitPrice: number) {
      const store = await seedStore(getContainer(), currency)
      const cart = await createCart(getContainer(), store, unitPrice, currency)
      const started = await startCoinGatePayment(api, store, cart.id)
      return { store, cart, ...started }
    }

    async function expectCaptured(cartId: string, amount: number) {
      const order = await orderOfCart(getContainer(), cartId)
      expect(order!.captured).toBe(true)
      expect(order!.captures).toHaveLength(1)
      expect(Number(order!.captures[0].amount)).toBe(amount)
      expect(Number(order!.payments[0].amount)).toBe(amount)
      return order!
    }

    // CoinGate answers decimals BigDecimal-style ("10.50" -> "10.5", "1050" -> "1050.0"); the plugin
    // asks in the currency's precision and compares the answer as a decimal.
    it.each([
      ["jpy", 1050, "1050", "1050.0", "JPY"],
      ["kwd", 3.125, "3.125", "3.125", "KWD"],
      ["eur", 10.5, "10.50", "10.5", "EUR"],
    ])("%s: asks CoinGate %p as price_amount %s (answered %s) %s and captures exactly that", async (currency, unitPrice, priceAmount, answered, priceCurrency) => {
      const { cart, session, coingateOrderId } = await payInCurrency(currency, unitPrice)
      const invoice = sim().getOrder(coingateOrderId)
      expect(invoice.price_amount).toBe(answered)
      expect(invoice.price_currency).toBe(priceCurrency)
      expect(session.data).toMatchObject({ price_amount: priceAmount, price_currency: priceCurrency })

      await sim().pay(coingateOrderId)
      await expectCaptured(cart.id, unitPrice)
      expect((await recordOf(getContainer(), coingateOrderId)).medusa_state).toBe("captured")
    })

    it("accepts CoinGate's own rendering of the price (10.5 for 10.50, 1050.0 for 1050) by callback and by the shopper's return", async () => {
      const eur = await payInCurrency("eur", 10.5)
      const jpy = await payInCurrency("jpy", 1050)
      expect(sim().getOrder(eur.coingateOrderId).price_amount).toBe("10.5")
      expect(sim().getOrder(jpy.coingateOrderId).price_amount).toBe("1050.0")

      await sim().pay(eur.coingateOrderId) // by callback
      await expectCaptured(eur.cart.id, 10.5)
      await sim().setStatus(jpy.coingateOrderId, "paid", { callback: false })
      expect((await completeCart(api, jpy.store, jpy.cart.id)).status).toBe(200) // by the shopper's return
      await expectCaptured(jpy.cart.id, 1050)
    })

    it("sees a difference in the third decimal of KWD: nothing captured, record flagged", async () => {
      const { store, cart, coingateOrderId } = await payInCurrency("kwd", 3.125)
      await sim().setStatus(coingateOrderId, "paid", { fields: { price_amount: "3.12" } })
      expect(await orderOfCart(getContainer(), cart.id)).toBeNull()
      expect(await recordOf(getContainer(), coingateOrderId)).toMatchObject({ medusa_state: "mismatch", attention: "amount_mismatch" })
      expect((await completeCart(api, store, cart.id)).status).toBe(400)
    })
  },
})
